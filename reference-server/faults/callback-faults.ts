/** Faults of the callback area. Each breaks exactly one catalogue requirement. */
import type { FaultInfo } from './fault-info.js';

export const CALLBACK_FAULTS = [
] as const satisfies readonly FaultInfo[];
