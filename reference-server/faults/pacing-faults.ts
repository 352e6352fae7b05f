/** Faults of the pacing area. Each breaks exactly one catalogue requirement. */
import type { FaultInfo } from './fault-info.js';

export const PACING_FAULTS = [
] as const satisfies readonly FaultInfo[];
