/** The `longPoll` server option: how long a status request may be held (or `false`: never). */

export interface LongPollOptions {
  /** Longest hold of one status request, whatever `wait=N` asks. Default 30 000 ms. */
  maxWaitMs?: number;
}

export interface ResolvedLongPollConfig {
  enabled: boolean;
  maxWaitMs: number;
}

export const DEFAULT_LONG_POLL_MAX_WAIT_MS = 30_000;
/** Upper bound for maxWaitMs (10 minutes): a hold beyond that outlives most proxies anyway. */
export const MAX_LONG_POLL_WAIT_MS = 600_000;

/** Applies defaults and validates; throws RangeError on a bad value. */
export function resolveLongPollOptions(opts: LongPollOptions | false | undefined): ResolvedLongPollConfig {
  if (opts === false) return { enabled: false, maxWaitMs: 0 };
  const maxWaitMs = opts?.maxWaitMs ?? DEFAULT_LONG_POLL_MAX_WAIT_MS;
  if (!Number.isInteger(maxWaitMs) || maxWaitMs < 0 || maxWaitMs > MAX_LONG_POLL_WAIT_MS) {
    throw new RangeError(`longPoll.maxWaitMs must be an integer from 0 to ${MAX_LONG_POLL_WAIT_MS}, got ${String(maxWaitMs)}`);
  }
  return { enabled: maxWaitMs > 0, maxWaitMs };
}
