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
  /** Where a failed write/open is reported (once per failure streak). Default: `process.stderr`. */
  report?: (message: string) => void;
  /** The file system calls used (tests inject failing ones). Default: `node:fs`. */
  fs?: Partial<DailyFileStreamFs>;
}

/** The `node:fs` calls the stream makes; injectable so tests can make the disk fail. */
export interface DailyFileStreamFs {
  closeSync: typeof closeSync;
  existsSync: typeof existsSync;
  mkdirSync: typeof mkdirSync;
  openSync: typeof openSync;
  readdirSync: typeof readdirSync;
  renameSync: typeof renameSync;
  statSync: typeof statSync;
  unlinkSync: typeof unlinkSync;
  writeSync: typeof writeSync;
}

const nodeFs: DailyFileStreamFs = {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
};

const day = (date: Date) => date.toISOString().slice(0, 10);

/**
 * A writable stream of log lines to `<dir>/<name>.log`, rolled at the first write of each new (UTC) day to
 * `<name>-YYYY-MM-DD.log`, the day the lines were written. Lines written in the same event-loop turn go to
 * disk in one append at the end of the turn (or at 64 KiB): one system call per burst instead of one per
 * request line, which under load was the largest single cost of logging. `flush()` writes what is waiting
 * now; `end()` flushes and closes. Appends never overlap, so lines never interleave. A file left from an
 * earlier day (a restart after midnight) is rolled on the first write.
 *
 * A failing disk (ENOSPC, EFBIG, EACCES, a removed directory) never throws out of the stream: the flush runs
 * in a `setImmediate`, where a throw would kill the whole gateway. The lines of the failed append are
 * dropped and counted (`droppedLines`), the failure is reported once to stderr, and the file is reopened on a
 * later write; the first successful append after a failure reports how many lines were lost.
 */
export class DailyFileStream extends Writable {
  private fd: number | undefined;
  private openDay: string | undefined;
  private readonly path: string;
  private readonly name: string;
  private pending: (string | Buffer)[] = [];
  private pendingBytes = 0;
  private scheduled = false;
  private readonly fs: DailyFileStreamFs;
  private failing = false;
  private dropped = 0;
  private droppedInStreak = 0;

  constructor(private readonly options: DailyFileStreamOptions) {
    super({ decodeStrings: false });
    this.name = options.name ?? 'app';
    this.path = join(options.dir, `${this.name}.log`);
    this.fs = { ...nodeFs, ...options.fs };
  }

  /** Lines lost to failed writes since the stream was created. */
  get droppedLines(): number {
    return this.dropped;
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
    if (this.fd === undefined) this.guard(() => this.open(today), 'open');
    else if (today !== this.openDay) {
      // Lines of the day that ended go to that day's file before it is rolled.
      this.flush();
      this.guard(() => this.roll(today), 'roll');
    }
    if (this.fd === undefined) {
      // No file to write to (the open failed, reported): the line is dropped; the next write retries.
      this.drop(1);
      return;
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
    const fd = this.fd;
    const ok = this.guard(() => {
      if (typeof text === 'string') this.fs.writeSync(fd, text);
      else this.fs.writeSync(fd, text);
    }, 'write');
    if (!ok) {
      this.drop(lines.length);
      // Reopen on a later write: the file may have been removed or rotated away under us.
      this.closeQuietly();
      return;
    }
    if (this.failing) {
      this.failing = false;
      this.report(`log file ${this.path}: writing again after ${this.droppedInStreak} dropped line(s)`);
      this.droppedInStreak = 0;
    }
  }

  /** Runs a file-system step; a throw is reported (once per failure streak) instead of propagated. */
  private guard(step: () => void, what: string): boolean {
    try {
      step();
      return true;
    } catch (error) {
      if (!this.failing) {
        this.failing = true;
        const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        this.report(`log file ${this.path}: ${what} failed (${code}); dropping log lines until it recovers`);
      }
      return false;
    }
  }

  private drop(lines: number): void {
    this.dropped += lines;
    this.droppedInStreak += lines;
    this.failing = true;
  }

  private report(message: string): void {
    try {
      (this.options.report ?? ((m: string) => process.stderr.write(`${m}\n`)))(message);
    } catch {
      // Reporting is best effort: stderr itself may be gone.
    }
  }

  private closeQuietly(): void {
    const fd = this.fd;
    this.fd = undefined;
    this.openDay = undefined;
    if (fd !== undefined) {
      try {
        this.fs.closeSync(fd);
      } catch {
        // Already unusable; nothing to recover.
      }
    }
  }

  private open(today: string): void {
    this.fs.mkdirSync(this.options.dir, { recursive: true });
    if (this.fs.existsSync(this.path)) {
      const written = day(this.fs.statSync(this.path).mtime);
      if (written !== today) this.rename(written);
    }
    this.fd = this.fs.openSync(this.path, 'a');
    this.openDay = today;
  }

  private roll(today: string): void {
    const openDay = this.openDay;
    this.closeQuietly();
    if (openDay !== undefined) this.rename(openDay);
    this.fd = this.fs.openSync(this.path, 'a');
    this.openDay = today;
    this.prune();
  }

  private rename(forDay: string): void {
    let target = join(this.options.dir, `${this.name}-${forDay}.log`);
    // Bounded: a second roll for the same day (clock set back) gets a numbered name instead of overwriting.
    for (let i = 1; this.fs.existsSync(target) && i < 1000; i++) {
      target = join(this.options.dir, `${this.name}-${forDay}.${i}.log`);
    }
    this.fs.renameSync(this.path, target);
  }

  private prune(): void {
    const keep = this.options.retentionDays;
    if (keep === undefined) return;
    const pattern = new RegExp(`^${this.name}-\\d{4}-\\d{2}-\\d{2}(\\.\\d+)?\\.log$`);
    const rolled = this.fs
      .readdirSync(this.options.dir)
      .filter((f) => pattern.test(f))
      .sort();
    for (const file of rolled.slice(0, Math.max(0, rolled.length - keep))) {
      this.fs.unlinkSync(join(this.options.dir, file));
    }
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.flush();
    this.closeQuietly();
    callback();
  }
}
