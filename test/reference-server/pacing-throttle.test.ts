import { afterEach, describe, expect, it } from 'vitest';
import { resolveOptions } from '../../reference-server/options.js';
import { retryAfterHeader } from '../../reference-server/pacing.js';
import { createFaultSet } from '../../reference-server/faults/fault-set.js';
import { closeAllServers, createFakeClock, expectOutcome, get, START, startExport, startServer, type FakeClock } from './helpers.js';
import { reindexBody, startAsync } from './interaction-helpers.js';

afterEach(closeAllServers);

const LONG = { timings: { interaction: 30_000, reindex: 30_000, export: 30_000 } };

/** Milliseconds the client must wait after `res` arrived at `now`, per its Retry-After. */
function waitOf(res: Response, now: number): number {
  const value = res.headers.get('retry-after') ?? '';
  return /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now;
}

async function pollHonestly(statusUrl: string, clock: FakeClock, polls: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < polls; i++) {
    const res = await get(statusUrl);
    statuses.push(res.status);
    clock.advance(waitOf(res, clock.now()));
  }
  return statuses;
}

describe('poll pacing (RETRY-03)', () => {
  it('answers a too-early poll of an interaction job with 429, Retry-After and an OperationOutcome, and does not count it', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, ...LONG });
    const statusUrl = await startAsync(baseUrl, { path: '/Patient/p1' });
    expect((await get(statusUrl)).status).toBe(202);
    clock.advance(499);
    const early = await get(statusUrl);
    const body = await expectOutcome(early, 429);
    expect(body.issue[0]?.code).toBe('throttled');
    expect(early.headers.get('retry-after')).toBe('1');
    clock.advance(1);
    expect((await get(statusUrl)).status).toBe(202);
  });

  it('throttles bulk export polls through the same check', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, ...LONG });
    const statusUrl = await startExport(baseUrl);
    expect((await get(statusUrl)).status).toBe(202);
    await expectOutcome(await get(statusUrl), 429);
  });

  it.each([
    [{ form: 'seconds' as const, seconds: 1 }],
    [{ form: 'http-date' as const, seconds: 1 }],
    [{ form: 'http-date' as const, seconds: 2 }],
  ])('never throttles a client that honours Retry-After %j', async (retryAfter) => {
    const clock = createFakeClock(START + 300);
    const { baseUrl } = await startServer({ clock, retryAfter, ...LONG });
    const statusUrl = await startAsync(baseUrl, { path: '/$reindex', body: reindexBody('Patient') });
    expect(await pollHonestly(statusUrl, clock, 8)).toEqual(Array(8).fill(202));
  });

  it('rounds an HTTP-date Retry-After up to the next whole second', async () => {
    const clock = createFakeClock(START + 300);
    const { baseUrl } = await startServer({ clock, retryAfter: { form: 'http-date', seconds: 1 }, ...LONG });
    const res = await get(await startAsync(baseUrl, { path: '/Patient/p1' }));
    expect(Date.parse(res.headers.get('retry-after') ?? '')).toBe(START + 2_000);
  });

  it('does not throttle finished jobs, and can be switched off', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    const statusUrl = await startAsync(baseUrl, { path: '/Patient/p1' });
    clock.advance(2_000);
    expect([(await get(statusUrl)).status, (await get(statusUrl)).status]).toEqual([200, 200]);

    const off = await startServer({ clock, pacing: false, ...LONG });
    const running = await startAsync(off.baseUrl, { path: '/Patient/p1' });
    expect([(await get(running)).status, (await get(running)).status]).toEqual([202, 202]);
  });

  it('uses a configured window', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, pacing: { minPollIntervalMs: 200 }, ...LONG });
    const statusUrl = await startAsync(baseUrl, { path: '/Patient/p1' });
    expect((await get(statusUrl)).status).toBe(202);
    clock.advance(199);
    expect((await get(statusUrl)).status).toBe(429);
    clock.advance(1);
    expect((await get(statusUrl)).status).toBe(202);
  });

  it('keeps X-Progress under 100 characters', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, ...LONG });
    const res = await get(await startAsync(baseUrl, { path: '/Patient/p1' }));
    expect((res.headers.get('x-progress') ?? '').length).toBeLessThan(100);
  });
});

describe('pacing options and helpers', () => {
  it('defaults the window to half the Retry-After delay, at most 500 ms', () => {
    expect(resolveOptions().minPollIntervalMs).toBe(500);
    expect(resolveOptions({ retryAfter: { form: 'seconds', seconds: 0 } }).minPollIntervalMs).toBe(0);
    expect(resolveOptions({ retryAfter: { form: 'seconds', seconds: 5 } }).minPollIntervalMs).toBe(500);
    expect(resolveOptions({ pacing: false }).minPollIntervalMs).toBe(0);
  });

  it('refuses a window longer than the Retry-After delay, or a bad number', () => {
    expect(() => resolveOptions({ pacing: { minPollIntervalMs: 1_001 } })).toThrow(/must not exceed the Retry-After delay/);
    expect(() => resolveOptions({ pacing: { minPollIntervalMs: -1 } })).toThrow(RangeError);
    expect(resolveOptions({ pacing: { minPollIntervalMs: 1_000 } }).minPollIntervalMs).toBe(1_000);
  });

  it('formats retryAfterHeader in both forms, the date rounded up', () => {
    const ctx = (form: 'seconds' | 'http-date', now: number): Parameters<typeof retryAfterHeader>[0] => ({
      state: {
        config: { clock: { now: () => now }, retryAfter: { form, seconds: 3 }, minPollIntervalMs: 500, faults: createFaultSet([]) },
      },
    });
    expect(retryAfterHeader(ctx('seconds', START))).toBe('3');
    expect(retryAfterHeader(ctx('http-date', START))).toBe(new Date(START + 3_000).toUTCString());
    expect(retryAfterHeader(ctx('http-date', START + 1))).toBe(new Date(START + 4_000).toUTCString());
  });
});
