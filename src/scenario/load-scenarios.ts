import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Catalogue, Scenario } from '../model/scenario.js';
import { displayPath, type Diagnostic } from './diagnostics.js';
import { checkScenarioSemantics } from './semantic-checks.js';
import { validateAgainstSchema } from './validate-schema.js';
import { parseYamlSource } from './yaml-source.js';

export interface LoadScenariosOptions {
  /** Root of the suites tree; a scenario's area and id derive from its path under it. */
  suitesDir: string;
  /** Specific files; default: every `*.yaml` under suitesDir except the catalogue. */
  files?: string[];
  catalogue: Catalogue;
  knownVariables: ReadonlySet<string>;
}

export interface ScenarioLoad {
  scenarios: Scenario[];
  diagnostics: Diagnostic[];
}

export const CATALOGUE_FILE = 'requirements.yaml';

export function findScenarioFiles(suitesDir: string): string[] {
  const entries = readdirSync(suitesDir, { recursive: true, encoding: 'utf8' });
  return entries
    .filter((f) => /\.ya?ml$/.test(f) && path.basename(f) !== CATALOGUE_FILE)
    .map((f) => path.join(suitesDir, f))
    .filter((f) => statSync(f).isFile())
    .sort();
}

/** Load every scenario, collecting all problems in one pass; nothing is sent before this succeeds. */
export function loadScenarios(opts: LoadScenariosOptions): ScenarioLoad {
  const files = opts.files ?? findScenarioFiles(opts.suitesDir);
  const diagnostics: Diagnostic[] = [];
  const scenarios: Scenario[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const shown = displayPath(file);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      diagnostics.push({ file: shown, line: 1, column: 1, message: `cannot read scenario file: ${(e as Error).message}` });
      continue;
    }
    const source = parseYamlSource(shown, text);
    if (source.syntaxErrors.length) {
      diagnostics.push(...source.syntaxErrors);
      continue;
    }
    const schemaProblems = validateAgainstSchema('scenario', source);
    if (schemaProblems.length) {
      diagnostics.push(...schemaProblems);
      continue;
    }
    const raw = source.value as Record<string, unknown>;
    const rel = path.relative(opts.suitesDir, file).replace(/\\/g, '/');
    const parts = rel.replace(/\.ya?ml$/, '').split('/');
    const area = parts.length > 1 ? (parts[0] ?? 'default') : 'default';
    const expectedId = parts.join('.');
    const problems = checkScenarioSemantics(raw, { source, catalogue: opts.catalogue, knownVariables: opts.knownVariables, expectedId });
    const id = String(raw['id']);
    const previous = seen.get(id);
    if (previous) problems.push(source.at(['id'], `duplicate scenario id '${id}' (also in ${previous})`));
    seen.set(id, shown);
    diagnostics.push(...problems);
    if (problems.length) continue;
    const scenario = { ...(raw as unknown as Scenario), file: shown, area };
    scenario.steps = scenario.steps.map((step, s) => ({ ...step, line: source.at(['steps', s], '').line }));
    scenarios.push(scenario);
  }
  return { scenarios, diagnostics };
}
