import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

describe('TRUST_PROXY', () => {
  it('takes trusted proxy addresses or a hop count, never a blanket true (a forged X-Forwarded-For)', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).trustProxy).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test', TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ NODE_ENV: 'test', TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' }).trustProxy).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
    ]);
    expect(() => loadConfig({ NODE_ENV: 'test', TRUST_PROXY: 'true' })).toThrow('TRUST_PROXY');
    expect(() => loadConfig({ NODE_ENV: 'test', TRUST_PROXY: 'everyone' })).toThrow('TRUST_PROXY');
  });
});

describe('WORKER_THREADS', () => {
  it('sizes the worker pool: CPUs − 1 (at least 1) unless set; 0 or a word stops the start', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).workerThreads).toBe(Math.max(1, os.availableParallelism() - 1));
    expect(loadConfig({ NODE_ENV: 'test', WORKER_THREADS: '3' }).workerThreads).toBe(3);
    expect(() => loadConfig({ NODE_ENV: 'test', WORKER_THREADS: '0' })).toThrow('WORKER_THREADS');
    expect(() => loadConfig({ NODE_ENV: 'test', WORKER_THREADS: 'many' })).toThrow('WORKER_THREADS');
  });
});

describe('ALERT_SCAN_CRON', () => {
  it('defaults to 00:00 UTC (08:00 in Beijing); takes what the queues run, or off; anything else stops the start', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).alertScanCron).toBe('0 0 * * *');
    expect(loadConfig({ NODE_ENV: 'test', ALERT_SCAN_CRON: ' 30 7 * * 1,3 ' }).alertScanCron).toBe(
      '30 7 * * 1,3',
    );
    expect(loadConfig({ NODE_ENV: 'test', ALERT_SCAN_CRON: '*/30 * * * *' }).alertScanCron).toBe(
      '*/30 * * * *',
    );
    expect(loadConfig({ NODE_ENV: 'test', ALERT_SCAN_CRON: 'off' }).alertScanCron).toBeNull();
    expect(() => loadConfig({ NODE_ENV: 'test', ALERT_SCAN_CRON: '0 8 * *' })).toThrow('ALERT_SCAN_CRON');
    expect(() => loadConfig({ NODE_ENV: 'test', ALERT_SCAN_CRON: '0 8-9 * * *' })).toThrow('ALERT_SCAN_CRON');
    expect(() => loadConfig({ NODE_ENV: 'test', ALERT_SCAN_CRON: '@daily' })).toThrow('ALERT_SCAN_CRON');
  });
});
