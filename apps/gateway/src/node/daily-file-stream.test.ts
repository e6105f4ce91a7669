import {
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createGatewayLogger } from './create-logger.js';
import { DailyFileStream } from './daily-file-stream.js';

const root = mkdtempSync(join(tmpdir(), 'llmo-gateway-logs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');

describe('DailyFileStream', () => {
  it('rolls app.log to app-YYYY-MM-DD.log at the first write of a new day', () => {
    const dir = join(root, 'roll');
    let now = new Date('2026-03-01T23:59:58Z');
    const stream = new DailyFileStream({ dir, now: () => now });
    stream.writeLine('day one\n');
    stream.writeLine('still day one\n');
    now = new Date('2026-03-02T00:00:01Z');
    stream.writeLine('day two\n');
    stream.flush();
    expect(readdirSync(dir).sort()).toEqual(['app-2026-03-01.log', 'app.log']);
    expect(read(dir, 'app-2026-03-01.log')).toBe('day one\nstill day one\n');
    expect(read(dir, 'app.log')).toBe('day two\n');
    now = new Date('2026-03-04T08:00:00Z');
    stream.writeLine('day four\n');
    stream.flush();
    expect(readdirSync(dir).sort()).toEqual(['app-2026-03-01.log', 'app-2026-03-02.log', 'app.log']);
    stream.end();
  });

  it('a file left from an earlier day is rolled on start; retention keeps the newest', () => {
    const dir = join(root, 'restart');
    const first = new DailyFileStream({ dir, now: () => new Date('2026-05-10T12:00:00Z') });
    first.writeLine('before the restart\n');
    first.flush();
    first.end();
    const old = new Date('2026-05-10T12:00:00Z');
    utimesSync(join(dir, 'app.log'), old, old);
    writeFileSync(join(dir, 'app-2026-05-01.log'), 'old\n');
    writeFileSync(join(dir, 'app-2026-05-02.log'), 'old\n');
    let now = new Date('2026-05-11T09:00:00Z');
    const second = new DailyFileStream({ dir, retentionDays: 2, now: () => now });
    second.writeLine('after the restart\n');
    second.flush();
    expect(read(dir, 'app-2026-05-10.log')).toBe('before the restart\n');
    now = new Date('2026-05-12T09:00:00Z');
    second.writeLine('next day\n');
    second.flush();
    // Pruned on the roll: the two newest rolled files stay.
    expect(readdirSync(dir).sort()).toEqual(['app-2026-05-10.log', 'app-2026-05-11.log', 'app.log']);
    second.end();
  });

  it('through the gateway logger: pino JSON lines in the file, rolled by the injected clock', async () => {
    const dir = join(root, 'pino');
    let now = new Date('2026-07-01T23:00:00Z');
    const { logger, file } = createGatewayLogger({
      logs: { dir, level: 'info', stdout: false, file: true },
      now: () => now,
    });
    logger.info({ request_id: 'r1' }, 'request_completed');
    now = new Date('2026-07-02T01:00:00Z');
    logger.info({ request_id: 'r2' }, 'request_completed');
    await new Promise<void>((resolve) => file?.end(() => resolve()));
    expect(JSON.parse(read(dir, 'app-2026-07-01.log'))).toMatchObject({ request_id: 'r1', level: 30 });
    expect(JSON.parse(read(dir, 'app.log'))).toMatchObject({ request_id: 'r2', msg: 'request_completed' });
  });

  it('a failing disk never throws: lines are dropped and counted, reported once, and writing resumes', async () => {
    const dir = join(root, 'failing');
    let full = true;
    const reports: string[] = [];
    const stream = new DailyFileStream({
      dir,
      report: (m) => reports.push(m),
      fs: {
        writeSync: ((fd: number, data: string) => {
          if (full) throw Object.assign(new Error('file too large'), { code: 'EFBIG' });
          return writeSync(fd, data);
        }) as typeof writeSync,
      },
    });
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      stream.writeLine('lost one\n');
      stream.writeLine('lost two\n');
      // The scheduled flush (setImmediate) is where a throw used to escape and kill the process.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      stream.writeLine('lost three\n');
      stream.flush();
      expect(stream.droppedLines).toBe(3);
      expect(reports).toHaveLength(1);
      expect(reports[0]).toContain('EFBIG');
      full = false;
      stream.writeLine('back\n');
      stream.flush();
      expect(read(dir, 'app.log')).toBe('back\n');
      expect(reports[1]).toContain('3 dropped');
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(uncaught).toEqual([]);
    stream.end();
  });

  it('an open that fails (ENOSPC) drops lines and retries on a later write', () => {
    const dir = join(root, 'blocked');
    let blocked = true;
    const reports: string[] = [];
    const stream = new DailyFileStream({
      dir,
      report: (m) => reports.push(m),
      fs: {
        openSync: ((path: string, flags: string) => {
          if (blocked) throw Object.assign(new Error('no space'), { code: 'ENOSPC' });
          return openSync(path, flags);
        }) as typeof openSync,
      },
    });
    expect(() => stream.writeLine('dropped\n')).not.toThrow();
    expect(stream.droppedLines).toBe(1);
    expect(reports[0]).toContain('ENOSPC');
    blocked = false;
    stream.writeLine('kept\n');
    stream.flush();
    expect(read(dir, 'app.log')).toBe('kept\n');
    stream.end();
  });
});
