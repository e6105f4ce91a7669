/**
 * `gpt://<folder>/<model>` unless the model is already a URI. `yandexgpt-lite` → `gpt://b1g…/yandexgpt-lite`
 * (the service reads a missing version as `/latest`); `yandexgpt/rc` keeps its version.
 */
export function yandexModelUri(model: string, folderId: string): string {
  if (/^[a-z]+:\/\//.test(model)) return model;
  return `gpt://${folderId}/${model.replace(/^\/+/, '')}`;
}

/** The model's base name for price lookups: `gpt://f/yandexgpt-lite/latest` → `yandexgpt-lite`. */
export function yandexModelName(model: string): string {
  const path = model.replace(/^[a-z]+:\/\/[^/]+\//, '');
  return path.split('/')[0]!.split('@')[0]!;
}
