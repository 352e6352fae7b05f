import { parseHttpDate } from './http-date.js';

/** A parsed Retry-After value (RFC 9110 §10.2.3): delay-seconds or HTTP-date. */
export type RetryAfter =
  | { kind: 'delay'; seconds: number }
  | { kind: 'date'; at: number };

export function parseRetryAfter(text: string | undefined, now: number = Date.now()): RetryAfter | undefined {
  if (text === undefined) return undefined;
  const value = text.trim();
  if (/^[0-9]+$/.test(value)) return { kind: 'delay', seconds: Number(value) };
  const at = parseHttpDate(value, now);
  return at === undefined ? undefined : { kind: 'date', at };
}

/** How many ms from `now` the server asks the client to wait (never negative). */
export function retryAfterDelayMs(value: RetryAfter, now: number): number {
  return value.kind === 'delay' ? value.seconds * 1000 : Math.max(0, value.at - now);
}
