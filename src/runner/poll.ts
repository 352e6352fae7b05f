import type { HttpResponse, SendResult } from '../http/client.js';
import { parseHttpDate } from '../protocol/http-date.js';
import { parseRetryAfter, retryAfterDelayMs } from '../protocol/retry-after.js';
import { formatDuration } from '../util/duration.js';
import type { Clock } from './clock.js';

export interface PollPolicy {
  /** Whole polling deadline. */
  timeoutMs: number;
  /** Wait when no (valid) Retry-After came; multiplied by `backoff` after each such poll. */
  intervalMs: number;
  backoff: number;
  /** No wait is longer than this, whatever Retry-After says. */
  maxIntervalMs: number;
  /** Never poll sooner than this after a response (guards against `Retry-After: 0` loops). */
  minIntervalMs: number;
  maxPolls: number;
}

export const DEFAULT_POLL_POLICY: PollPolicy = {
  timeoutMs: 60_000,
  intervalMs: 1_000,
  backoff: 1.5,
  maxIntervalMs: 30_000,
  minIntervalMs: 100,
  maxPolls: 200,
};

export type PollResult =
  | { kind: 'done'; response: HttpResponse; polls: number }
  | { kind: 'transport-error'; error: string; polls: number }
  | { kind: 'gave-up'; reason: string; polls: number };

export interface PollOptions {
  policy: PollPolicy;
  clock: Clock;
  signal: AbortSignal;
  /** Send poll number `n` (1-based). */
  send(n: number): Promise<SendResult>;
  /** True while the job is still running (status in the scenario's `while`, or 429). */
  keepPolling(res: HttpResponse): boolean;
  /** Called with each in-progress response (for per-poll checks). */
  onInterim?(res: HttpResponse, n: number): void;
  /**
   * Called with each 429 answer: `honoured` says how long the previous answer's Retry-After asked
   * for and how long the harness waited, when that wait kept it (else undefined: nothing to judge).
   */
  onThrottled?(res: HttpResponse, n: number, honoured: HonouredWait | undefined): void;
}

/** A poll sent after waiting at least what the previous answer's Retry-After asked. */
export interface HonouredWait {
  askedMs: number;
  waitedMs: number;
  /** The Retry-After value, as sent. */
  retryAfter: string;
}

/**
 * Poll until the response leaves the in-progress set. The next poll is never sent before the
 * server's Retry-After allows (delay-seconds counted from when the response arrived, or the
 * HTTP-date), except that a wait is clamped to `maxIntervalMs`. Without Retry-After the wait
 * grows by `backoff` from `intervalMs`.
 */
export async function pollUntilDone(opts: PollOptions): Promise<PollResult> {
  const { policy, clock } = opts;
  const deadline = clock.now() + policy.timeoutMs;
  let fallback = policy.intervalMs;
  let last = '';
  let previous: { askedMs: number; retryAfter: string; answeredAt: number } | undefined;
  for (let n = 1; ; n++) {
    const sentAt = clock.now();
    const sent = await opts.send(n);
    if (!sent.ok) return { kind: 'transport-error', error: sent.error, polls: n };
    const res = sent.response;
    if (res.status === 429 && opts.onThrottled) {
      const waitedMs = previous === undefined ? 0 : sentAt - previous.answeredAt;
      const honoured = previous !== undefined && waitedMs >= previous.askedMs ? { askedMs: previous.askedMs, waitedMs, retryAfter: previous.retryAfter } : undefined;
      opts.onThrottled(res, n, honoured);
    }
    if (!opts.keepPolling(res)) return { kind: 'done', response: res, polls: n };
    opts.onInterim?.(res, n);
    const now = clock.now();
    const asked = askedWaitMs(res);
    previous = asked === undefined ? undefined : { askedMs: asked, retryAfter: res.headers['retry-after'] ?? '', answeredAt: now };
    const { waitMs, why } = nextWait(res, now, policy, fallback);
    if (why === 'fallback') fallback = Math.min(fallback * policy.backoff, policy.maxIntervalMs);
    last = `last status ${res.status} after ${n} poll${n === 1 ? '' : 's'}`;
    if (n >= policy.maxPolls) {
      return { kind: 'gave-up', reason: `still in progress after ${policy.maxPolls} polls (poll maxPolls); ${last}`, polls: n };
    }
    if (now + waitMs > deadline) {
      const next = why === 'retry-after' ? `; the next poll would be allowed in ${formatDuration(waitMs)} by Retry-After` : '';
      return { kind: 'gave-up', reason: `did not finish within ${formatDuration(policy.timeoutMs)} (poll timeout); ${last}${next}`, polls: n };
    }
    await clock.sleep(waitMs, opts.signal);
  }
}

/**
 * How long the server's Retry-After asks to wait, measured without the harness clock: delay-seconds
 * as given; an HTTP-date against the response's own Date header (undefined without one, or
 * without a valid Retry-After), so that clock skew never makes a wait look kept or broken.
 */
export function askedWaitMs(res: HttpResponse): number | undefined {
  const value = parseRetryAfter(res.headers['retry-after']);
  if (value === undefined) return undefined;
  if (value.kind === 'delay') return value.seconds * 1000;
  const date = res.headers['date'] === undefined ? undefined : parseHttpDate(res.headers['date']);
  return date === undefined ? undefined : Math.max(0, value.at - date);
}

/** How long to wait after `res` before the next poll, and why. */
export function nextWait(res: HttpResponse, now: number, policy: PollPolicy, fallbackMs: number): { waitMs: number; why: 'retry-after' | 'fallback' } {
  const retryAfter = parseRetryAfter(res.headers['retry-after'], now);
  if (retryAfter) {
    const asked = retryAfterDelayMs(retryAfter, now);
    return { waitMs: Math.max(policy.minIntervalMs, Math.min(asked, policy.maxIntervalMs)), why: 'retry-after' };
  }
  return { waitMs: Math.max(policy.minIntervalMs, Math.min(fallbackMs, policy.maxIntervalMs)), why: 'fallback' };
}
