import { readFileSync } from 'node:fs';
import type { AuthProfile } from '../auth/auth-profile.js';
import type { CallbackProfile } from '../callbacks/callback-config.js';
import type { Capability, SpecTag } from '../model/scenario.js';
import { displayPath, type Diagnostic } from '../scenario/diagnostics.js';
import { validateAgainstSchema } from '../scenario/validate-schema.js';
import { parseYamlSource } from '../scenario/yaml-source.js';

/** A target profile (`--config file.yaml`): where the target is, what it claims, how to talk to it. */
export interface TargetProfile {
  baseUrl?: string;
  /** Spec versions and modes the target claims (e.g. bulk-v2, bundle, redirect). */
  claims?: SpecTag[];
  /** Capabilities to assume in addition to what /metadata advertises. */
  capabilities?: Capability[];
  paths?: { export?: string; patientExport?: string; groupExport?: string; search?: string; create?: string };
  groupId?: string;
  headers?: Record<string, string>;
  vars?: Record<string, string>;
  /** How callbacks are authenticated: environment variable names, never the secrets themselves. */
  callback?: CallbackProfile;
  /** How to get access tokens (none, bearer from an environment variable, SMART Backend Services). */
  auth?: AuthProfile;
}

export const DEFAULT_PATHS = {
  export: '/$export',
  patientExport: '/Patient/$export',
  groupExport: '/Group/${groupId}/$export',
  search: '/Patient?_count=5',
  create: '/Patient',
} as const;

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

/** Variables a profile defines for scenarios: endpoint paths, the group id, and its own `vars`. */
export function profileVariables(profile: TargetProfile): Record<string, string> {
  const paths = { ...DEFAULT_PATHS, ...(profile.paths ?? {}) };
  const groupId = profile.groupId;
  return {
    exportPath: paths.export,
    patientExportPath: paths.patientExport,
    ...(groupId === undefined ? {} : { groupId, groupExportPath: paths.groupExport.replaceAll('${groupId}', groupId) }),
    searchPath: paths.search,
    createPath: paths.create,
    ...(profile.vars ?? {}),
  };
}
