/** Where the gateway writes its one line per request: pino, or anything with pino's `info(object, msg)`. */
export interface RequestLogger {
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

/**
 * The fields of a request's log line. Only these are logged: never a header, a key, a credential, a prompt
 * or an answer (the line is built from this allow-list, not by redacting a request object).
 */
export interface RequestLogLine {
  request_id: string;
  method: string;
  path: string;
  status: number;
  latency_ms: number;
  tenant?: string;
  key?: string;
  provider?: string;
  model?: string;
  streaming?: boolean;
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  cost?: number;
  currency?: string;
  attempts?: number;
  error_kind?: string;
  /** The client went away before the answer was complete. */
  client_closed?: boolean;
  /** For an unexpected error only: its class name (never its message, which could quote input). */
  error_name?: string;
}
