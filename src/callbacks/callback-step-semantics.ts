/**
 * Load-time checks of the callback and long-poll forms that the JSON Schema cannot express;
 * called by src/scenario/semantic-checks.ts. Each returns what it learned (declared names,
 * cited requirement ids) so that the caller's own rules (undefined variables, uncited
 * requirements) take them into account.
 */
import type { DataPath } from '../scenario/yaml-source.js';

type Obj = Record<string, unknown>;
type At = (path: DataPath, message: string, key?: string) => void;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Keys a request-less `waitCallback` step cannot have. */
const NOT_WITH_WAIT = ['request', 'poll', 'forEach', 'repeat', 'validateFiles'] as const;

/** The names under `callbacks:` (each a variable holding a minted URL); a clash with another variable is an error. */
export function checkCallbackDeclarations(scenario: Obj, known: ReadonlySet<string>, at: At): string[] {
  const callbacks = scenario['callbacks'];
  if (!isObj(callbacks)) return [];
  const names = Object.keys(callbacks);
  const own = isObj(scenario['variables']) ? Object.keys(scenario['variables']) : [];
  for (const name of names) {
    if (known.has(name) || own.includes(name)) {
      at(['callbacks', name], `callback '${name}' has the name of another variable; the receiver URL would hide it (rename one)`);
    }
    const respond = callbacks[name];
    const status = isObj(respond) ? respond['respond'] : undefined;
    if (typeof status === 'number' && (status < 200 || status === 304 || (status > 299 && status < 400))) {
      at(['callbacks', name, 'respond'], `respond ${status}: answer a 2xx (callback taken) or a 4xx/5xx error (callback refused)`);
    }
  }
  return names;
}

/**
 * A `waitCallback` step or a `poll.longPoll`: exclusive keys, known endpoint, an earlier
 * `after` step. Returns the requirement ids its built-in checks cite.
 */
export function checkCallbackStep(step: Obj, base: DataPath, callbacks: readonly string[], earlierSteps: ReadonlySet<string>, at: At): string[] {
  const cited: string[] = [];
  const wait = step['waitCallback'];
  if (isObj(wait)) {
    for (const key of NOT_WITH_WAIT) {
      if (key in step) at(base, `a waitCallback step sends nothing: it waits for the target's request; remove '${key}'`, key);
    }
    const name = String(wait['for']);
    if (!callbacks.includes(name)) {
      at([...base, 'waitCallback', 'for'], `'${name}' is not a callback of this scenario (declare it: callbacks: { ${name}: {} })`);
    }
    if (wait['after'] !== undefined && !earlierSteps.has(String(wait['after']))) {
      at([...base, 'waitCallback', 'after'], `after: '${String(wait['after'])}' is not an earlier step of this scenario`);
    }
    cited.push(String(wait['requirement']));
  }
  const poll = step['poll'];
  const longPoll = isObj(poll) ? poll['longPoll'] : undefined;
  if (isObj(longPoll)) {
    if (longPoll['cancelAfter'] !== undefined && longPoll['change'] !== 'cancel') {
      at([...base, 'poll', 'longPoll', 'cancelAfter'], "cancelAfter applies to change: cancel only");
    }
    cited.push(String(longPoll['requirement']));
  }
  return cited;
}
