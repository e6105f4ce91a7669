import { OrchestratorError } from '../errors/orchestrator-error.js';
import { checkTaskConfig, type TaskConfig } from './task-config.js';

/** Task types and their configuration, checked when added. */
export class TaskRegistry {
  readonly #tasks = new Map<string, TaskConfig>();

  constructor(tasks: Record<string, TaskConfig> = {}) {
    for (const [taskType, config] of Object.entries(tasks)) this.add(taskType, config);
  }

  add(taskType: string, config: TaskConfig): this {
    if (!taskType)
      throw new OrchestratorError({
        code: 'invalid-options',
        message: 'a task type must be a non-empty string',
      });
    if (this.#tasks.has(taskType))
      throw new OrchestratorError({
        code: 'duplicate-task',
        message: `task "${taskType}" is already registered`,
      });
    this.#tasks.set(taskType, checkTaskConfig(taskType, config));
    return this;
  }

  has(taskType: string): boolean {
    return this.#tasks.has(taskType);
  }

  types(): string[] {
    return [...this.#tasks.keys()];
  }

  get(taskType: string): TaskConfig {
    const task = this.#tasks.get(taskType);
    if (!task)
      throw new OrchestratorError({
        code: 'unknown-task',
        message: `unknown task type "${taskType}"; known task types: ${this.types().join(', ') || '(none registered)'}`,
        names: this.types(),
      });
    return task;
  }
}
