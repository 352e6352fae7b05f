/**
 * Faults of status-poll pacing: X-Progress, Retry-After and 429 throttling. Each breaks
 * exactly one catalogue requirement. The X-Progress and Retry-After faults change interaction
 * status responses only; the throttling faults change the 429 check shared by every pattern.
 */
import type { FaultInfo } from './fault-info.js';

export const PACING_FAULTS = [
  {
    name: 'progress-over-100-chars',
    requirement: 'PROGRESS-01',
    description: 'X-Progress on a running interaction job is 100 characters or longer.',
  },
  {
    name: 'no-retry-after',
    requirement: 'RETRY-01',
    description: 'In-progress interaction status responses carry no Retry-After.',
  },
  {
    name: 'malformed-retry-after',
    requirement: 'RETRY-01',
    description: 'In-progress interaction status responses carry Retry-After "soon", neither delay-seconds nor an HTTP-date.',
  },
  {
    name: 'throttle-without-retry-after',
    requirement: 'RETRY-03',
    description: 'A status poll that comes too soon gets 429 without a Retry-After header.',
  },
  {
    name: 'throttle-plain-text-body',
    requirement: 'RETRY-03',
    description: 'A status poll that comes too soon gets 429 with a text/plain body instead of an OperationOutcome.',
  },
  {
    name: 'throttle-honest-poller',
    requirement: 'RETRY-03',
    description: 'The throttling window (2 x the Retry-After delay, at least 1 s) outlasts Retry-After, so a client that honours it gets 429.',
  },
] as const satisfies readonly FaultInfo[];
