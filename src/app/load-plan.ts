import picomatch from 'picomatch';
import { loadProfile, profileVariables, type TargetProfile } from '../config/profile.js';
import type { Catalogue, Scenario } from '../model/scenario.js';
import { sortDiagnostics, type Diagnostic } from '../scenario/diagnostics.js';
import { loadCatalogue } from '../scenario/load-catalogue.js';
import { CATALOGUE_FILE, loadScenarios } from '../scenario/load-scenarios.js';
import { BUILTIN_VARIABLES } from '../runner/variables.js';
import path from 'node:path';

export interface PlanOptions {
  suitesDir: string;
  /** Specific scenario files (validate); default all under suitesDir. */
  files?: string[];
  configFile?: string;
  vars?: Record<string, string>;
  grep?: string[];
}

export type Plan =
  | { ok: true; catalogue: Catalogue; scenarios: Scenario[]; profile: TargetProfile; variables: Record<string, string> }
  | { ok: false; diagnostics: Diagnostic[] };

/** Load catalogue, profile and scenarios; everything is checked before any request is sent. */
export function loadPlan(opts: PlanOptions): Plan {
  const diagnostics: Diagnostic[] = [];
  const { catalogue, diagnostics: catalogueProblems } = loadCatalogue(path.join(opts.suitesDir, CATALOGUE_FILE));
  diagnostics.push(...catalogueProblems);
  let profile: TargetProfile = {};
  if (opts.configFile) {
    const loaded = loadProfile(opts.configFile);
    profile = loaded.profile;
    diagnostics.push(...loaded.diagnostics);
  }
  const variables = { ...profileVariables(profile), ...(opts.vars ?? {}) };
  const known = new Set<string>([...BUILTIN_VARIABLES, ...Object.keys(variables)]);
  const { scenarios, diagnostics: scenarioProblems } = loadScenarios({
    suitesDir: opts.suitesDir,
    ...(opts.files ? { files: opts.files } : {}),
    catalogue,
    knownVariables: known,
  });
  diagnostics.push(...scenarioProblems);
  if (diagnostics.length) return { ok: false, diagnostics: sortDiagnostics(diagnostics) };
  const selected = opts.grep?.length ? scenarios.filter((s) => picomatch.isMatch(s.id, opts.grep ?? [])) : scenarios;
  return { ok: true, catalogue, scenarios: selected, profile, variables };
}
