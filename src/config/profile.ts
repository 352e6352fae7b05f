import { readFileSync } from 'node:fs';
import { displayPath, type Diagnostic } from '../scenario/diagnostics.js';
import { validateAgainstSchema } from '../scenario/validate-schema.js';
import { parseYamlSource } from '../scenario/yaml-source.js';

/** A target profile (`--config file.yaml`): where the target is and how to talk to it. */
export interface TargetProfile {
  baseUrl?: string;
  paths?: { export?: string };
  headers?: Record<string, string>;
  vars?: Record<string, string>;
}

export const DEFAULT_EXPORT_PATH = '/$export';

export function loadProfile(file: string): { profile: TargetProfile; diagnostics: Diagnostic[] } {
  const shown = displayPath(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { profile: {}, diagnostics: [{ file: shown, line: 1, column: 1, message: `cannot read target profile: ${(e as Error).message}` }] };
  }
  const source = parseYamlSource(shown, text);
  if (source.syntaxErrors.length) return { profile: {}, diagnostics: source.syntaxErrors };
  const value = source.value ?? {};
  const diagnostics = validateAgainstSchema('profile', { ...source, value });
  return { profile: diagnostics.length ? {} : (value as TargetProfile), diagnostics };
}

/** Variables a profile defines for scenarios: the built-ins plus its own `vars`. */
export function profileVariables(profile: TargetProfile): Record<string, string> {
  return { exportPath: profile.paths?.export ?? DEFAULT_EXPORT_PATH, ...(profile.vars ?? {}) };
}
