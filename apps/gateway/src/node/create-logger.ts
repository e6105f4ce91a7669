import type { ResolvedGatewayConfig } from '@llmo/config';
import pino, { type Logger } from 'pino';
import { DailyFileStream } from './daily-file-stream.js';

export interface GatewayLoggerOptions {
  logs: ResolvedGatewayConfig['logs'];
  /** Where stdout lines go. Default `process.stdout`. */
  stdout?: NodeJS.WritableStream;
  /** The log file's clock (tests cross midnight with it). */
  now?: () => Date;
}

/**
 * pino writing JSON lines to stdout and to `<logs.dir>/app.log` (rolled daily), as configured. The request
 * lines are built from an allow-list of fields (see `RequestLogLine`); `redact` is a second guard for any
 * line that carries headers.
 */
export function createGatewayLogger(options: GatewayLoggerOptions): {
  logger: Logger;
  file?: DailyFileStream;
} {
  const { logs } = options;
  const streams: pino.StreamEntry[] = [];
  if (logs.stdout) streams.push({ stream: options.stdout ?? process.stdout });
  let file: DailyFileStream | undefined;
  if (logs.file) {
    file = new DailyFileStream({
      dir: logs.dir,
      name: 'app',
      retentionDays: logs.retentionDays,
      now: options.now,
    });
    const target = file;
    // pino's multistream calls write(); the file stream appends synchronously.
    streams.push({ stream: { write: (line: string) => target.writeLine(line) } });
  }
  const logger = pino(
    {
      level: logs.level,
      base: { service: 'llmo-gateway' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: ['*.authorization', '*.apiKey', '*.api_key', '*.key_value'], censor: '[redacted]' },
    },
    streams.length > 0 ? pino.multistream(streams) : { write: () => {} },
  );
  return { logger, file };
}
