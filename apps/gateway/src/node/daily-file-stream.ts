import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';

export interface DailyFileStreamOptions {
  /** The directory; created when missing. */
  dir: string;
  /** File name without extension: `app` writes `app.log`, rolled to `app-YYYY-MM-DD.log`. Default `app`. */
  name?: string;
  /** Rolled files kept (the newest); unset: all. */
  retentionDays?: number;
  /** The clock (tests inject one to cross midnight). Default `() => new Date()`. */
  now?: () => Date;
}

const day = (date: Date) => date.toISOString().slice(0, 10);

/**
 * A writable stream of log lines to `<dir>/<name>.log`, rolled at the first write of each new (UTC) day to
 * `<name>-YYYY-MM-DD.log`, the day the lines were written. Writes are synchronous appends: a line is on disk
 * when `write` returns, so a crash or `process.exit` after a request loses nothing, and lines never
 * interleave. A file left from an earlier day (a restart after midnight) is rolled on the first write.
 */
export class DailyFileStream extends Writable {
  private fd: number | undefined;
  private openDay: string | undefined;
  private readonly path: string;
  private readonly name: string;

  constructor(private readonly options: DailyFileStreamOptions) {
    super({ decodeStrings: false });
    this.name = options.name ?? 'app';
    this.path = join(options.dir, `${this.name}.log`);
  }

  /** The file being written. */
  get currentPath(): string {
    return this.path;
  }

  override _write(
    chunk: Buffer | string,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    try {
      this.writeLine(chunk);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  /** Synchronous write (pino's multistream calls `write`; this is what `_write` does). */
  writeLine(chunk: Buffer | string): void {
    const today = day((this.options.now ?? (() => new Date()))());
    if (this.fd === undefined) this.open(today);
    else if (today !== this.openDay) this.roll(today);
    if (typeof chunk === 'string') writeSync(this.fd as number, chunk);
    else writeSync(this.fd as number, chunk);
  }

  private open(today: string): void {
    mkdirSync(this.options.dir, { recursive: true });
    if (existsSync(this.path)) {
      const written = day(statSync(this.path).mtime);
      if (written !== today) this.rename(written);
    }
    this.fd = openSync(this.path, 'a');
    this.openDay = today;
  }

  private roll(today: string): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    if (this.openDay !== undefined) this.rename(this.openDay);
    this.fd = openSync(this.path, 'a');
    this.openDay = today;
    this.prune();
  }

  private rename(forDay: string): void {
    let target = join(this.options.dir, `${this.name}-${forDay}.log`);
    // Bounded: a second roll for the same day (clock set back) gets a numbered name instead of overwriting.
    for (let i = 1; existsSync(target) && i < 1000; i++) {
      target = join(this.options.dir, `${this.name}-${forDay}.${i}.log`);
    }
    renameSync(this.path, target);
  }

  private prune(): void {
    const keep = this.options.retentionDays;
    if (keep === undefined) return;
    const pattern = new RegExp(`^${this.name}-\\d{4}-\\d{2}-\\d{2}(\\.\\d+)?\\.log$`);
    const rolled = readdirSync(this.options.dir)
      .filter((f) => pattern.test(f))
      .sort();
    for (const file of rolled.slice(0, Math.max(0, rolled.length - keep))) {
      unlinkSync(join(this.options.dir, file));
    }
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    callback();
  }
}
