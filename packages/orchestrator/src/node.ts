// @llmo/orchestrator/node: reading templates and tasks from JSON or YAML files (Node only: node:fs).
export { loadOrchestratorFile, loadTemplates, type OrchestratorFile } from './node/load-orchestrator-file.js';
