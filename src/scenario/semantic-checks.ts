import type { Catalogue } from '../model/scenario.js';
import { referencedVariables, stringsIn } from '../runner/variables.js';
import type { Diagnostic } from './diagnostics.js';
import { checkFilesStep } from '../validate/files-step-semantics.js';
import { checkCallbackDeclarations, checkCallbackStep } from '../callbacks/callback-step-semantics.js';
import { MATCHER_KEYS, SUBJECT_KEYS } from './schema.js';
import type { DataPath, YamlSource } from './yaml-source.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export interface SemanticContext {
  source: YamlSource;
  catalogue: Catalogue;
  /** Variables defined outside the scenario (builtins, profile, --var). */
  knownVariables: ReadonlySet<string>;
  /** The id this file must carry, derived from its path (`<area>.<name>`). */
  expectedId: string;
}

/** Checks the schema cannot express. Runs only on schema-valid scenarios. */
export function checkScenarioSemantics(scenario: Obj, ctx: SemanticContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (path: DataPath, msg: string, key?: string) => out.push(ctx.source.at(path, msg, key));
  if (scenario['id'] !== ctx.expectedId) {
    at(['id'], `scenario id '${String(scenario['id'])}' does not match its path: expected '${ctx.expectedId}'`);
  }
  const declared = list(scenario['requirements']).map(String);
  declared.forEach((id, i) => {
    if (!ctx.catalogue.requirements.has(id)) at(['requirements', i], `unknown requirement id '${id}' (not in ${ctx.catalogue.file})`);
  });
  const cited = new Set<string>();
  const defined = new Set<string>([...ctx.knownVariables, ...Object.keys(isObj(scenario['variables']) ? scenario['variables'] : {})]);
  const callbacks = checkCallbackDeclarations(scenario, ctx.knownVariables, at);
  for (const name of callbacks) defined.add(name);
  const stepIds = new Set<string>();
  list(scenario['steps']).forEach((rawStep, s) => {
    if (!isObj(rawStep)) return;
    const base: DataPath = ['steps', s];
    const id = String(rawStep['id']);
    if (stepIds.has(id)) at([...base, 'id'], `duplicate step id '${id}'`);
    for (const req of checkCallbackStep(rawStep, base, callbacks, stepIds, at)) {
      cited.add(req);
      if (!ctx.catalogue.requirements.has(req)) at(base, `unknown requirement id '${req}' (not in ${ctx.catalogue.file})`);
      else if (!declared.includes(req)) at(base, `the step cites '${req}', which is missing from the scenario's requirements list`);
    }
    stepIds.add(id);
    const stepVars = new Set(defined);
    const forEach = rawStep['forEach'];
    if (isObj(forEach) && isObj(rawStep['repeat'])) at(base, 'a step takes forEach or repeat, not both', 'repeat');
    if (isObj(rawStep['poll']) && (isObj(rawStep['repeat']) || isObj(forEach))) at(base, 'a polling step cannot also repeat or iterate', 'poll');
    if (isObj(forEach)) {
      if (!defined.has(String(forEach['in']))) at([...base, 'forEach', 'in'], `forEach over undefined variable '${String(forEach['in'])}'`);
      stepVars.add(String(forEach['as']));
    }
    checkRequest(rawStep['request'], [...base, 'request'], stepVars, at);
    const onlyIf = rawStep['onlyIf'];
    if (isObj(onlyIf) && !stepVars.has(String(onlyIf['variable']))) at([...base, 'onlyIf', 'variable'], `onlyIf on undefined variable '${String(onlyIf['variable'])}' (capture it in an earlier step)`);
    for (const [kind, req] of checkFilesStep(rawStep, base, stepVars, at)) {
      cited.add(req);
      if (!ctx.catalogue.requirements.has(req)) at([...base, 'validateFiles', 'checks', kind], `unknown requirement id '${req}' (not in ${ctx.catalogue.file})`);
      else if (!declared.includes(req)) at([...base, 'validateFiles', 'checks', kind], `check cites '${req}', which is missing from the scenario's requirements list`);
    }
    const poll = rawStep['poll'];
    if (isObj(poll) && typeof poll['retryAfterKept'] === 'string') {
      const req = poll['retryAfterKept'];
      const where: DataPath = [...base, 'poll', 'retryAfterKept'];
      cited.add(req);
      if (isObj(poll['longPoll'])) at(where, 'retryAfterKept judges ordinary polls; a longPoll step holds its requests instead');
      if (!ctx.catalogue.requirements.has(req)) at(where, `unknown requirement id '${req}' (not in ${ctx.catalogue.file})`);
      else if (!declared.includes(req)) at(where, `retryAfterKept cites '${req}', which is missing from the scenario's requirements list`);
    }
    const checkLists: [unknown, DataPath][] = [[rawStep['expect'], [...base, 'expect']]];
    if (isObj(poll)) checkLists.push([poll['expect'], [...base, 'poll', 'expect']]);
    const follow = rawStep['follow'];
    if (isObj(follow)) checkLists.push([follow['expect'], [...base, 'follow', 'expect']]);
    // Linked pages are checked after the step's own captures.
    const followVars = new Set([...stepVars, ...Object.keys(isObj(rawStep['capture']) ? rawStep['capture'] : {})]);
    // A poll's in-progress captures are visible to the same step's final checks (sameJsonAs).
    if (isObj(poll) && isObj(poll['capture'])) for (const name of Object.keys(poll['capture'])) stepVars.add(name);
    if (isObj(onlyIf) && ['equals', 'matches', 'notMatches'].filter((k) => k in onlyIf).length !== 1) {
      at([...base, 'onlyIf'], 'onlyIf takes exactly one of equals, matches, notMatches');
    }
    for (const key of ['matches', 'notMatches'] as const) {
      const pattern = isObj(onlyIf) ? onlyIf[key] : undefined;
      if (typeof pattern !== 'string') continue;
      try {
        new RegExp(pattern);
      } catch (e) {
        at([...base, 'onlyIf', key], `invalid regular expression: ${(e as Error).message}`);
      }
    }
    for (const [checks, path] of checkLists) {
      list(checks).forEach((c, i) => {
        if (!isObj(c)) return;
        const req = String(c['requirement']);
        cited.add(req);
        checkCheck(c, [...path, i], at);
        const same = c['sameJsonAs'];
        if (isObj(same) && !(path.includes('follow') ? followVars : stepVars).has(String(same['variable']))) at([...path, i, 'sameJsonAs', 'variable'], `sameJsonAs names undefined variable '${String(same['variable'])}' (capture it earlier)`);
        for (const key of ['equals', 'matches', 'oneOf', 'contains'] as const) {
          for (const { path: p, text } of stringsIn(c[key])) {
            for (const name of referencedVariables(text)) {
              // Captures happen after a step's checks, so a check sees only earlier steps' captures.
              if (!stepVars.has(name)) at([...path, i, key, ...p], `undefined variable '\${${name}}' in a check (capture it in an earlier step)`);
            }
          }
        }
        if (!ctx.catalogue.requirements.has(req)) at([...path, i, 'requirement'], `unknown requirement id '${req}' (not in ${ctx.catalogue.file})`);
        else if (!declared.includes(req)) at([...path, i, 'requirement'], `check cites '${req}', which is missing from the scenario's requirements list`);
      });
    }
    if (isObj(rawStep['capture'])) for (const name of Object.keys(rawStep['capture'])) defined.add(name);
    if (isObj(poll) && isObj(poll['capture'])) for (const name of Object.keys(poll['capture'])) defined.add(name);
  });
  declared.forEach((id, i) => {
    if (!cited.has(id) && ctx.catalogue.requirements.has(id)) at(['requirements', i], `requirement '${id}' is listed but no check verifies it`);
  });
  return out;
}

function checkRequest(req: unknown, path: DataPath, vars: ReadonlySet<string>, at: (p: DataPath, m: string, k?: string) => void): void {
  if (!isObj(req)) return;
  if (('path' in req) === ('url' in req)) at(path, 'request needs exactly one of path or url');
  if ('json' in req && 'text' in req) at(path, 'request body: give json or text, not both', 'text');
  for (const { path: p, text } of stringsIn(req)) {
    for (const name of referencedVariables(text)) {
      if (!vars.has(name)) at([...path, ...p], `undefined variable '\${${name}}' (define it in variables, capture it in an earlier step, or pass --var ${name}=...)`);
    }
  }
}

function checkCheck(c: Obj, path: DataPath, at: (p: DataPath, m: string, k?: string) => void): void {
  const subjects = SUBJECT_KEYS.filter((k) => k in c);
  const matchers = MATCHER_KEYS.filter((k) => k in c);
  if (subjects.length !== 1) {
    at(path, `a check needs exactly one subject (${SUBJECT_KEYS.join(', ')}); found ${subjects.length ? subjects.join(', ') : 'none'}`);
    return;
  }
  if (subjects[0] === 'status') {
    if (matchers.length) at(path, `a status check holds its matcher in 'status'; remove ${matchers.join(', ')}`, matchers[0]);
    if ('optional' in c) at(path, 'a status check cannot be optional', 'optional');
  } else if (matchers.length === 0) {
    at(path, `a ${subjects[0]} check needs at least one matcher (${MATCHER_KEYS.join(', ')})`);
  }
  if (isObj(c['when'])) checkWhen(c['when'], [...path, 'when'], at);
  if (typeof c['matches'] === 'string') {
    try {
      new RegExp(c['matches']);
    } catch (e) {
      at([...path, 'matches'], `invalid regular expression: ${(e as Error).message}`);
    }
  }
}

/** A `when` takes a status and/or one subject; a subject needs matchers, matchers need a subject. */
function checkWhen(w: Obj, path: DataPath, at: (p: DataPath, m: string, k?: string) => void): void {
  const subjects = SUBJECT_KEYS.filter((k) => k !== 'status' && k in w);
  const matchers = MATCHER_KEYS.filter((k) => k in w);
  if (subjects.length > 1) at(path, `a when condition takes at most one subject besides status (header, json, body); found ${subjects.join(', ')}`, subjects[1]);
  else if (subjects.length === 1 && matchers.length === 0) at(path, `a when condition on ${subjects[0]} needs at least one matcher (${MATCHER_KEYS.join(', ')})`);
  else if (subjects.length === 0 && matchers.length > 0) at(path, `a when condition with matchers needs a subject (header, json or body) for ${matchers.join(', ')}`, matchers[0]);
  if (typeof w['matches'] === 'string') {
    try {
      new RegExp(w['matches']);
    } catch (e) {
      at([...path, 'matches'], `invalid regular expression: ${(e as Error).message}`);
    }
  }
}
