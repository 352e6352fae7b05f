/**
 * Pacing of status polls, shared by every pattern: the `Retry-After` value to send, the
 * `X-Progress` text, and the 429 answer for a poll that arrives sooner than the server
 * allows (RETRY-03). The throttling window is at most the Retry-After delay (options.ts
 * enforces it), and the HTTP-date form is rounded UP to a whole second, so a client that
 * honours Retry-After never polls early and never sees 429.
 */
import type { ServerResponse } from 'node:http';
import type { FaultSet } from './faults/fault-set.js';
import { formatHttpDate } from './fhir-time.js';
import { sendError, sendText } from './http-util.js';
import type { Job } from './job-store.js';
import type { ResolvedConfig } from './options.js';

/** What the pacing helpers need of a request context (RequestContext satisfies it). */
export interface PacingContext {
  res: ServerResponse;
  state: { config: Pick<ResolvedConfig, 'clock' | 'retryAfter' | 'minPollIntervalMs'> & { faults: FaultSet } };
}

/** Formats a wait of `delayMs` from now as the configured Retry-After form. */
function formatRetryAfter(ctx: Pick<PacingContext, 'state'>, delayMs: number): string {
  const { clock, retryAfter } = ctx.state.config;
  if (retryAfter.form === 'seconds') return String(Math.ceil(delayMs / 1000));
  // Round the date up: a date truncated to the second would let a client poll early.
  return formatHttpDate(Math.ceil((clock.now() + delayMs) / 1000) * 1000);
}

/** The `Retry-After` value for an in-progress status response: `N` seconds or an IMF-fixdate. */
export function retryAfterHeader(ctx: Pick<PacingContext, 'state'>): string {
  return formatRetryAfter(ctx, ctx.state.config.retryAfter.seconds * 1000);
}

/** `X-Progress` text for a running job (`NN% complete`, well under 100 characters). */
export function formatProgress(fraction: number): string {
  const percent = Math.min(99, Math.max(0, Math.floor(fraction * 100)));
  return `${percent}% complete`;
}

/** The throttling window in ms (0: none). */
function computePollWindow(ctx: PacingContext): number {
  const { minPollIntervalMs, retryAfter, faults } = ctx.state.config;
  // Fault RETRY-03: the window outlasts the advertised Retry-After, so honest pollers get 429.
  if (faults.has('throttle-honest-poller')) return Math.max(1000, retryAfter.seconds * 2000);
  return minPollIntervalMs;
}

function sendTooManyRequests(ctx: PacingContext, waitMs: number): void {
  const faults = ctx.state.config.faults;
  // Fault RETRY-03: 429 without Retry-After.
  const headers: Record<string, string> = faults.has('throttle-without-retry-after')
    ? { 'Cache-Control': 'no-store' }
    : { 'Cache-Control': 'no-store', 'Retry-After': formatRetryAfter(ctx, Math.max(1000, waitMs)) };
  // Fault RETRY-03: a 429 body that is not an OperationOutcome.
  if (faults.has('throttle-plain-text-body')) {
    sendText(ctx.res, 429, 'Too Many Requests: slow down', { contentType: 'text/plain', headers });
    return;
  }
  sendError(ctx.res, {
    status: 429,
    code: 'throttled',
    diagnostics: 'status polled too often; wait as long as Retry-After says before polling again',
    headers,
  });
}

/**
 * Call before answering a status poll of `job`. While the job runs, a poll sooner than the
 * window after the previous answered poll gets 429 + Retry-After + OperationOutcome (and is
 * not counted as a poll); otherwise the poll time is recorded. Returns true when it answered.
 */
export function rejectEarlyPoll(ctx: PacingContext, job: Job<unknown>, running: boolean): boolean {
  if (!running) return false;
  const now = ctx.state.config.clock.now();
  const window = computePollWindow(ctx);
  const last = job.lastPolledAt;
  if (window > 0 && last !== undefined && now - last < window) {
    sendTooManyRequests(ctx, last + window - now);
    return true;
  }
  job.lastPolledAt = now;
  return false;
}
