/**
 * The `wait` preference (RFC 7240 §4.3: `wait = "wait" BWS "=" BWS delta-seconds`) read as
 * "hold this status request up to N seconds". A malformed value is ignored like any
 * preference the server cannot honour (RFC 7240 §2, PREFER-01): the poll is answered at once.
 */
import type { Preferences } from '../prefer.js';
import type { ResolvedLongPollConfig } from './longpoll-config.js';

const DELTA_SECONDS = /^[0-9]+$/;

/** Milliseconds to hold the request (0: answer at once), capped by the configured maximum. */
export function readWaitMs(prefs: Preferences, config: ResolvedLongPollConfig): number {
  if (!config.enabled) return 0;
  const value = prefs.get('wait')?.value;
  if (value === undefined || !DELTA_SECONDS.test(value)) return 0;
  return Math.min(Number(value) * 1000, config.maxWaitMs);
}
