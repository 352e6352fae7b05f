import { describe, it, expect } from 'vitest';
import type { HttpResponse, SendResult } from '../../src/http/client.js';
import type { Clock } from '../../src/runner/clock.js';
import { DEFAULT_POLL_POLICY, nextWait, pollUntilDone, type PollPolicy } from '../../src/runner/poll.js';

const T0 = Date.UTC(2024, 0, 1, 12, 0, 0);

/** A clock whose sleep records the wait and advances time at once (no real timers). */
class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(public t = T0) {}
  now(): number {
    return this.t;
  }
  sleep(ms: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    this.sleeps.push(ms);
    this.t += ms;
    return Promise.resolve();
  }
}

type Scripted = { status: number; headers?: Record<string, string>; latencyMs?: number } | { error: string };

const ok = (res: HttpResponse): SendResult => ({
  ok: true,
  response: res,
  exchange: { label: 'poll', request: { method: 'GET', url: 'http://h/status', headers: {} }, startedAt: new Date(T0).toISOString(), durationMs: 0 },
});

/** Run a poll against scripted responses; records when each poll was sent and when it arrived. */
async function runPoll(script: Scripted[], policy: Partial<PollPolicy> = {}, clock = new FakeClock()) {
  const sentAt: number[] = [];
  const arrivedAt: number[] = [];
  const interim: [number, number][] = [];
  const result = await pollUntilDone({
    policy: { ...DEFAULT_POLL_POLICY, ...policy },
    clock,
    signal: new AbortController().signal,
    send: (n) => {
      sentAt.push(clock.now());
      const step = script[Math.min(n, script.length) - 1];
      if (step === undefined) throw new Error('empty script');
      if ('error' in step) {
        return Promise.resolve({ ok: false, error: step.error, exchange: ok({ status: 0, headers: {}, body: Buffer.from('') }).exchange });
      }
      clock.t += step.latencyMs ?? 0;
      arrivedAt.push(clock.now());
      return Promise.resolve(ok({ status: step.status, headers: step.headers ?? {}, body: Buffer.from('') }));
    },
    keepPolling: (res) => res.status === 202 || res.status === 429,
    onInterim: (res, n) => interim.push([res.status, n]),
  });
  return { result, sleeps: clock.sleeps, sentAt, arrivedAt, interim, clock };
}

const running = (headers: Record<string, string> = {}, latencyMs = 0): Scripted => ({ status: 202, headers, latencyMs });
const done: Scripted = { status: 200 };

describe('pollUntilDone: Retry-After', () => {
  it('waits the delay-seconds counted from when the response arrived, not from when it was sent', async () => {
    const { result, sleeps, sentAt, arrivedAt } = await runPoll([running({ 'retry-after': '2' }, 500), running({ 'retry-after': '3' }, 700), done]);
    expect(result.kind).toBe('done');
    expect(sleeps).toEqual([2000, 3000]);
    expect(sentAt[1]! - arrivedAt[0]!).toBe(2000);
    expect(sentAt[2]! - arrivedAt[1]!).toBe(3000);
  });

  it('waits until an HTTP-date measured on the injected clock', async () => {
    const until = 'Mon, 01 Jan 2024 12:00:05 GMT';
    const { sleeps, sentAt } = await runPoll([running({ 'retry-after': until }, 1000), done]);
    expect(sleeps).toEqual([4000]);
    expect(sentAt[1]).toBe(T0 + 5000);
  });

  it('never sends the next poll before Retry-After allows (within maxInterval)', async () => {
    const script = [running({ 'retry-after': '1' }, 250), running({ 'retry-after': '10' }, 10), running({ 'retry-after': 'Mon, 01 Jan 2024 12:00:20 GMT' }, 30), done];
    const { sentAt, arrivedAt } = await runPoll(script);
    expect(sentAt[1]! - arrivedAt[0]!).toBeGreaterThanOrEqual(1000);
    expect(sentAt[2]! - arrivedAt[1]!).toBeGreaterThanOrEqual(10_000);
    expect(sentAt[3]!).toBeGreaterThanOrEqual(T0 + 20_000);
  });

  it('clamps a long Retry-After to maxIntervalMs', async () => {
    const { sleeps } = await runPoll([running({ 'retry-after': '120' }), running({ 'retry-after': 'Mon, 01 Jan 2024 13:00:00 GMT' }), done], { maxIntervalMs: 30_000, timeoutMs: 600_000 });
    expect(sleeps).toEqual([30_000, 30_000]);
  });

  it('uses the minIntervalMs floor for Retry-After: 0 and for a date in the past', async () => {
    const { sleeps } = await runPoll([running({ 'retry-after': '0' }), running({ 'retry-after': 'Mon, 01 Jan 2024 11:00:00 GMT' }), done], { minIntervalMs: 250 });
    expect(sleeps).toEqual([250, 250]);
  });

  it('honours Retry-After on a 429 that keepPolling accepts', async () => {
    const { result, sleeps } = await runPoll([{ status: 429, headers: { 'retry-after': '7' } }, running(), done], { intervalMs: 1000 });
    expect(result).toMatchObject({ kind: 'done', polls: 3 });
    expect(sleeps).toEqual([7000, 1000]);
  });
});

describe('pollUntilDone: fallback backoff', () => {
  it('grows the wait exponentially from intervalMs when Retry-After is absent, up to maxIntervalMs', async () => {
    const script = [running(), running(), running(), running(), running(), running(), done];
    const { sleeps, result } = await runPoll(script, { intervalMs: 1000, backoff: 2, maxIntervalMs: 10_000 });
    expect(sleeps).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(result).toMatchObject({ kind: 'done', polls: 7 });
  });

  it('treats an invalid Retry-After as absent', async () => {
    const script = [running({ 'retry-after': 'soon' }), running({ 'retry-after': '-1' }), running({ 'retry-after': '1.5' }), done];
    const { sleeps } = await runPoll(script, { intervalMs: 500, backoff: 1.5 });
    expect(sleeps).toEqual([500, 750, 1125]);
  });

  it('does not advance the backoff on polls that carried Retry-After', async () => {
    const { sleeps } = await runPoll([running(), running({ 'retry-after': '3' }), running(), done], { intervalMs: 1000, backoff: 2 });
    expect(sleeps).toEqual([1000, 3000, 2000]);
  });

  it('applies the minIntervalMs floor to the fallback too', async () => {
    const { sleeps } = await runPoll([running(), done], { intervalMs: 10, minIntervalMs: 100 });
    expect(sleeps).toEqual([100]);
  });
});

describe('pollUntilDone: giving up', () => {
  it('gives up before a wait would pass the deadline, with a clear message, never sleeping past it', async () => {
    const { result, sleeps, clock } = await runPoll([running()], { timeoutMs: 10_000, intervalMs: 1000, backoff: 1 });
    expect(result.kind).toBe('gave-up');
    expect(result.polls).toBe(11);
    if (result.kind !== 'gave-up') return;
    expect(result.reason).toContain('did not finish within 10.0s');
    expect(result.reason).toContain('last status 202 after 11 polls');
    expect(sleeps).toHaveLength(10);
    expect(clock.now()).toBeLessThanOrEqual(T0 + 10_000);
  });

  it('says when Retry-After asks for a wait beyond the deadline, without sleeping', async () => {
    const { result, sleeps } = await runPoll([running({ 'retry-after': '30' })], { timeoutMs: 20_000 });
    expect(sleeps).toEqual([]);
    expect(result).toMatchObject({ kind: 'gave-up', polls: 1 });
    if (result.kind !== 'gave-up') return;
    expect(result.reason).toBe('did not finish within 20.0s (poll timeout); last status 202 after 1 poll; the next poll would be allowed in 30.0s by Retry-After');
  });

  it('counts response latency against the deadline', async () => {
    const { result, sleeps } = await runPoll([running({}, 4500), running({}, 4500)], { timeoutMs: 10_000, intervalMs: 1000, backoff: 1 });
    expect(sleeps).toEqual([1000]);
    expect(result).toMatchObject({ kind: 'gave-up', polls: 2 });
  });

  it('stops after maxPolls polls without a final sleep', async () => {
    const { result, sleeps, sentAt } = await runPoll([{ status: 429 }, running()], { maxPolls: 3, intervalMs: 100, backoff: 1 });
    expect(sentAt).toHaveLength(3);
    expect(sleeps).toEqual([100, 100]);
    expect(result).toEqual({ kind: 'gave-up', polls: 3, reason: 'still in progress after 3 polls (poll maxPolls); last status 202 after 3 polls' });
  });

  it('passes a transport error through with the poll number', async () => {
    const { result, interim } = await runPoll([running(), { error: 'connection refused' }]);
    expect(result).toEqual({ kind: 'transport-error', error: 'connection refused', polls: 2 });
    expect(interim).toEqual([[202, 1]]);
  });

  it('rejects with the abort reason when the signal aborts during a wait', async () => {
    const controller = new AbortController();
    controller.abort(new Error('scenario deadline'));
    const clock = new FakeClock();
    const outcome = pollUntilDone({
      policy: DEFAULT_POLL_POLICY,
      clock,
      signal: controller.signal,
      send: () => Promise.resolve(ok({ status: 202, headers: {}, body: Buffer.from('') })),
      keepPolling: (res) => res.status === 202,
    });
    await expect(outcome).rejects.toThrow('scenario deadline');
  });
});

describe('pollUntilDone: results and interim callbacks', () => {
  it('returns the first response that leaves the in-progress set, with the poll count', async () => {
    const { result } = await runPoll([running(), running(), { status: 500 }]);
    expect(result.kind).toBe('done');
    if (result.kind === 'done') expect(result.response.status).toBe(500);
    expect(result.polls).toBe(3);
  });

  it('calls onInterim for every in-progress response, and not for the final one', async () => {
    const { interim } = await runPoll([running(), { status: 429 }, running(), done]);
    expect(interim).toEqual([[202, 1], [429, 2], [202, 3]]);
  });

  it('does not sleep or call onInterim when the first response is final', async () => {
    const { result, sleeps, interim } = await runPoll([done]);
    expect(result).toMatchObject({ kind: 'done', polls: 1 });
    expect(sleeps).toEqual([]);
    expect(interim).toEqual([]);
  });
});

describe('nextWait', () => {
  const policy: PollPolicy = { ...DEFAULT_POLL_POLICY, minIntervalMs: 100, maxIntervalMs: 30_000 };
  const res = (headers: Record<string, string>): HttpResponse => ({ status: 202, headers, body: Buffer.from('') });

  it('reports why it chose a wait', () => {
    expect(nextWait(res({ 'retry-after': '5' }), T0, policy, 1000)).toEqual({ waitMs: 5000, why: 'retry-after' });
    expect(nextWait(res({}), T0, policy, 1000)).toEqual({ waitMs: 1000, why: 'fallback' });
    expect(nextWait(res({ 'retry-after': 'later' }), T0, policy, 2500)).toEqual({ waitMs: 2500, why: 'fallback' });
    expect(nextWait(res({ 'retry-after': 'Mon, 01 Jan 2024 12:00:01 GMT' }), T0, policy, 1000)).toEqual({ waitMs: 1000, why: 'retry-after' });
    expect(nextWait(res({}), T0, policy, 90_000)).toEqual({ waitMs: 30_000, why: 'fallback' });
  });
});

describe('pollUntilDone: onThrottled says whether the 429 answered a poll that kept the previous Retry-After', () => {
  async function throttled(script: Scripted[], policy: Partial<PollPolicy> = {}) {
    const clock = new FakeClock();
    const seen: [number, number | undefined, number | undefined][] = [];
    let n = 0;
    await pollUntilDone({
      policy: { ...DEFAULT_POLL_POLICY, ...policy },
      clock,
      signal: new AbortController().signal,
      send: () => {
        const step = script[Math.min(++n, script.length) - 1] as { status: number; headers?: Record<string, string> };
        return Promise.resolve(ok({ status: step.status, headers: step.headers ?? {}, body: Buffer.from('') }));
      },
      keepPolling: (res) => res.status === 202 || res.status === 429,
      onThrottled: (_res, i, honoured) => seen.push([i, honoured?.askedMs, honoured?.waitedMs]),
    });
    return seen;
  }

  it('a first poll answered 429 has nothing to judge; one sent after the asked wait has', async () => {
    const seen = await throttled([{ status: 429, headers: { 'retry-after': '2' } }, { status: 429, headers: { 'retry-after': '1' } }, done]);
    expect(seen).toEqual([[1, undefined, undefined], [2, 2000, 2000]]);
  });

  it('a wait clamped by maxInterval did not keep Retry-After, so its 429 is not judged', async () => {
    const seen = await throttled([running({ 'retry-after': '60' }), { status: 429, headers: { 'retry-after': '1' } }, done], { maxIntervalMs: 5000 });
    expect(seen).toEqual([[2, undefined, undefined]]);
  });

  it('an HTTP-date is measured against the answer\'s own Date header, never the harness clock (none: not judged)', async () => {
    const at = (offsetMs: number): string => new Date(T0 + offsetMs).toUTCString();
    // The server's clock is an hour behind: the date looks long past to the harness, which polls after 100ms, short of the 2 s asked.
    expect(await throttled([running({ 'retry-after': at(-3_600_000 + 2000), date: at(-3_600_000) }), { status: 429 }, done])).toEqual([[2, undefined, undefined]]);
    // An hour ahead: the harness waits its 30 s cap, more than the 2 s the server meant, so the 429 is judged against 2 s.
    expect(await throttled([running({ 'retry-after': at(3_600_000 + 2000), date: at(3_600_000) }), { status: 429 }, done])).toEqual([[2, 2000, 30_000]]);
    // No Date header: an HTTP-date cannot be measured without the harness clock, so nothing is judged.
    expect(await throttled([running({ 'retry-after': at(2000) }), { status: 429 }, done])).toEqual([[2, undefined, undefined]]);
  });
});
