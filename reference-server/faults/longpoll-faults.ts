/** Faults of the longpoll area. Each breaks exactly one catalogue requirement. */
import type { FaultInfo } from './fault-info.js';

export const LONGPOLL_FAULTS = [
] as const satisfies readonly FaultInfo[];
