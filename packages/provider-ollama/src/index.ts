export { createOllama, OLLAMA_BASE_URL, type OllamaSettings } from './ollama-provider.js';
