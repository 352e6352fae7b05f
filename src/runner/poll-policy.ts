import type { PollSpec } from '../model/scenario.js';
import { parseDuration } from '../util/duration.js';
import type { PollPolicy } from './poll.js';

/** A step's poll settings over the run's defaults (durations are schema-checked at load). */
export function resolvePollPolicy(spec: PollSpec, defaults: PollPolicy): PollPolicy {
  const ms = (text: string | undefined, fallback: number): number => (text === undefined ? fallback : parseDuration(text) ?? fallback);
  return {
    timeoutMs: ms(spec.timeout, defaults.timeoutMs),
    intervalMs: ms(spec.interval, defaults.intervalMs),
    backoff: spec.backoff ?? defaults.backoff,
    maxIntervalMs: ms(spec.maxInterval, defaults.maxIntervalMs),
    minIntervalMs: defaults.minIntervalMs,
    maxPolls: spec.maxPolls ?? defaults.maxPolls,
  };
}
