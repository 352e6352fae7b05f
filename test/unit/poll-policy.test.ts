import { describe, it, expect } from 'vitest';
import { systemClock } from '../../src/runner/clock.js';
import { resolvePollPolicy } from '../../src/runner/poll-policy.js';
import { DEFAULT_POLL_POLICY, type PollPolicy } from '../../src/runner/poll.js';

const DEFAULTS: PollPolicy = { timeoutMs: 60_000, intervalMs: 1_000, backoff: 1.5, maxIntervalMs: 30_000, minIntervalMs: 100, maxPolls: 200 };

describe('resolvePollPolicy', () => {
  it('keeps the run defaults when the step sets nothing', () => {
    expect(resolvePollPolicy({ while: { status: [202] } }, DEFAULTS)).toEqual(DEFAULTS);
  });

  it('takes every setting the step gives, with units', () => {
    const policy = resolvePollPolicy({ while: { status: [202] }, timeout: '2m', interval: '250ms', backoff: 2, maxInterval: '5s', maxPolls: 7 }, DEFAULTS);
    expect(policy).toEqual({ timeoutMs: 120_000, intervalMs: 250, backoff: 2, maxIntervalMs: 5_000, minIntervalMs: 100, maxPolls: 7 });
  });

  it('the Retry-After floor is not a step setting', () => {
    expect(resolvePollPolicy({ while: { status: [202] }, interval: '10ms' }, { ...DEFAULTS, minIntervalMs: 500 }).minIntervalMs).toBe(500);
  });

  it('the built-in defaults honour Retry-After within sane bounds', () => {
    expect(DEFAULT_POLL_POLICY.minIntervalMs).toBeGreaterThan(0);
    expect(DEFAULT_POLL_POLICY.maxIntervalMs).toBeGreaterThanOrEqual(DEFAULT_POLL_POLICY.intervalMs);
    expect(DEFAULT_POLL_POLICY.backoff).toBeGreaterThanOrEqual(1);
  });
});

describe('systemClock.sleep', () => {
  it('rejects at once with the reason when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(systemClock.sleep(60_000, controller.signal)).rejects.toThrow('stop');
  });

  it('rejects with the reason as soon as the signal aborts during the wait', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const sleeping = systemClock.sleep(60_000, controller.signal);
    controller.abort(new Error('deadline'));
    await expect(sleeping).rejects.toThrow('deadline');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('resolves after a zero wait', async () => {
    await expect(systemClock.sleep(0, new AbortController().signal)).resolves.toBeUndefined();
  });
});
