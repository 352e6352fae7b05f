import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** What a fault must do to the suite: the scenarios that fail, and those that only warn (SHOULD faults). */
export interface FaultExpectation {
  failed: string[];
  warned: string[];
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** The checked-in table (`fault-matrix.yaml`): `name: [failing ids]` or `name: { failed: [...], warned: [...] }`. */
export function loadFaultMatrix(): Record<string, FaultExpectation> {
  const raw = parse(readFileSync(path.join(here, 'fault-matrix.yaml'), 'utf8')) as Record<string, unknown>;
  const out: Record<string, FaultExpectation> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) out[name] = { failed: value.map(String), warned: [] };
    else if (value !== null && typeof value === 'object') {
      const v = value as { failed?: unknown; warned?: unknown };
      const list = (x: unknown): string[] => (Array.isArray(x) ? x.map(String) : []);
      out[name] = { failed: list(v.failed), warned: list(v.warned) };
    } else throw new Error(`fault-matrix.yaml: ${name}: expected a list or { failed, warned }`);
  }
  return out;
}
