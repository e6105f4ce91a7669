import { describe, expect, it } from 'vitest';
import { startRedis } from './redis-server.js';

describe('startRedis', () => {
  it('starts a real redis-server on 127.0.0.1 that stores values, and stops it', async () => {
    const redis = await startRedis();
    try {
      expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
      expect(await redis.command('SET', 'llmo:test', 'v')).toBe('+OK\r\n');
      expect(await redis.command('EXISTS', 'llmo:test')).toBe(':1\r\n');
      // Nothing persisted: the server runs with saving off.
      expect(await redis.command('CONFIG', 'GET', 'save')).toContain('save');
    } finally {
      await redis.stop();
    }
    await expect(redis.command('PING')).rejects.toThrow();
    await redis.stop(); // twice is fine
  });

  it('two servers run side by side on their own ports', async () => {
    const [a, b] = await Promise.all([startRedis(), startRedis()]);
    try {
      expect(a.port).not.toBe(b.port);
      await a.command('SET', 'k', 'a');
      expect(await b.command('EXISTS', 'k')).toBe(':0\r\n');
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
