/**
 * `gpt://<folder>/<model>` unless the model is already a URI. `yandexgpt-lite` → `gpt://b1g…/yandexgpt-lite`
 * (the service reads a missing version as `/latest`); `yandexgpt/rc` keeps its version.
 */
export function yandexModelUri(model: string, folderId: string): string {
  if (/^[a-z]+:\/\//.test(model)) return model;
  return `gpt://${folderId}/${model.replace(/^\/+/, '')}`;
}
