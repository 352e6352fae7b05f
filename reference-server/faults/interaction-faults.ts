/** Faults of the interaction area. Each breaks exactly one catalogue requirement. */
import type { FaultInfo } from './fault-info.js';

export const INTERACTION_FAULTS = [
] as const satisfies readonly FaultInfo[];
