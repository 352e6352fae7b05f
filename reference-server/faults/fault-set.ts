/** Validation of fault names from options, and the `has()` view handlers consult. */
import { FAULT_NAMES, type FaultName } from './catalogue.js';

export class UnknownFaultError extends Error {
  readonly unknown: readonly string[];
  readonly valid: readonly string[];

  constructor(unknown: readonly string[]) {
    const quoted = unknown.map((name) => `"${name}"`).join(', ');
    super(`unknown fault ${quoted}; valid faults are: ${FAULT_NAMES.join(', ')}`);
    this.name = 'UnknownFaultError';
    this.unknown = unknown;
    this.valid = FAULT_NAMES;
  }
}

export interface FaultSet {
  has(name: FaultName): boolean;
  readonly active: readonly FaultName[];
}

function isFaultName(name: string): name is FaultName {
  return (FAULT_NAMES as readonly string[]).includes(name);
}

/** Builds the active fault set; throws UnknownFaultError listing every unknown name at once. */
export function createFaultSet(names: readonly string[] = []): FaultSet {
  const unknown = names.filter((name) => !isFaultName(name));
  if (unknown.length > 0) throw new UnknownFaultError(unknown);
  const active = new Set(names.filter(isFaultName));
  return { has: (name) => active.has(name), active: [...active] };
}
