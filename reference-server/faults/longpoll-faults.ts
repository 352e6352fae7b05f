/** Faults of the longpoll area. Each breaks exactly one catalogue requirement. */
import type { FaultInfo } from './fault-info.js';

export const LONGPOLL_FAULTS = [
  {
    name: 'longpoll-ignores-completion',
    requirement: 'LONGPOLL-01',
    description: 'A status request with Prefer: wait=N is held for the full N seconds even after the job completed or was cancelled.',
  },
] as const satisfies readonly FaultInfo[];
