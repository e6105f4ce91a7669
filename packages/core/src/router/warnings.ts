/** Receives router warnings (unknown prices, a model change under the same name, a failing usage sink…). */
export type WarningHandler = (warning: {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}) => void;

/** The default when `onWarning` is unset: one line on the console. `onWarning: false` silences it. */
export const printWarning: WarningHandler = (warning) => {
  // biome-ignore lint/suspicious/noConsole: the single documented default printer for warnings.
  console.warn(`[llmo] ${warning.code}: ${warning.message}`);
};
