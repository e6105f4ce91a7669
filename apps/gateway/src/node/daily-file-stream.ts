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
 * `<name>-YYYY-MM-DD.log`, the day the lines were written. Lines written in the same event-loop turn go to
 * disk in one append at the end of the turn (or at 64 KiB): one system call per burst instead of one per
 * request line, which under load was the largest single cost of logging. `flush()` writes what is waiting
 * now; `end()` flushes and closes. Appends never overlap, so lines never interleave. A file left from an
 * earlier day (a restart after midnight) is rolled on the first write.
 */
export class DailyFileStream extends Writable {
  private fd: number | undefined;
  private openDay: string | undefined;
  private readonly path: string;
  private readonly name: string;
  private pending: (string | Buffer)[] = [];
  private pendingBytes = 0;
  private scheduled = false;

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

  /** Queues a line for this turn's append (pino's multistream calls this; so does `_write`). */
  writeLine(chunk: Buffer | string): void {
    const today = day((this.options.now ?? (() => new Date()))());
    if (this.fd === undefined) this.open(today);
    else if (today !== this.openDay) {
      // Lines of the day that ended go to that day's file before it is rolled.
      this.flush();
      this.roll(today);
    }
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= 65_536) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    }
  }

  /** Writes the lines waiting, now. */
  flush(): void {
    if (this.pending.length === 0 || this.fd === undefined) return;
    const lines = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    const text = lines.every((l) => typeof l === 'string')
      ? lines.join('')
      : Buffer.concat(lines.map((l) => (typeof l === 'string' ? Buffer.from(l) : l)));
    if (typeof text === 'string') writeSync(this.fd, text);
    else writeSync(this.fd, text);
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
    this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    callback();
  }
}
