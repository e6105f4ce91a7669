import { type CallApiOptions, callApi, type ErrorInfo, ProviderError } from '@llmo/core/provider';

/** What one request produced: the 2xx response, or the error with the response's status, body and headers. */
export type Outcome =
  | { ok: true; response: Response }
  | {
      ok: false;
      error: ProviderError;
      status: number | undefined;
      body: unknown;
      headers: Headers | undefined;
    };

/**
 * One request through `callApi` (timeouts, aborts, secret redaction, error kinds), keeping the raw error body and
 * headers that key checks read (GigaChat code 7, Yandex grpcCode, Gemini reason, Retry-After).
 */
export async function send(options: Omit<CallApiOptions, 'classify'>): Promise<Outcome> {
  let info: ErrorInfo | undefined;
  try {
    const response = await callApi({
      ...options,
      classify: (captured) => {
        info = captured;
        return undefined;
      },
    });
    return { ok: true, response };
  } catch (error) {
    if (!ProviderError.isInstance(error)) throw error;
    return {
      ok: false,
      error,
      status: info?.status ?? error.status,
      body: info?.body,
      headers: info?.headers,
    };
  }
}
