/**
 * Load-time checks of a `validateFiles` step that the JSON Schema cannot express; called by
 * src/scenario/semantic-checks.ts. Returns the checks it states as [kind, requirement id].
 */
import type { DataPath } from '../scenario/yaml-source.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Keys a request-less `validateFiles` step cannot have. */
const EXCLUSIVE = ['request', 'poll', 'forEach', 'repeat', 'expect', 'capture'] as const;

export function checkFilesStep(
  step: Obj,
  base: DataPath,
  defined: ReadonlySet<string>,
  at: (path: DataPath, message: string, key?: string) => void,
): [string, string][] {
  const spec = step['validateFiles'];
  if (!isObj(spec)) {
    if (!isObj(step['request']) && !isObj(step['waitCallback'])) at(base, 'a step needs a request (or is a validateFiles or waitCallback step)');
    return [];
  }
  for (const key of EXCLUSIVE) {
    if (key in step) at(base, `a validateFiles step sends its own requests and states its checks under validateFiles.checks; remove '${key}'`, key);
  }
  const manifest = String(spec['manifest']);
  if (!defined.has(manifest)) {
    at([...base, 'validateFiles', 'manifest'], `undefined variable '${manifest}' (capture the manifest in an earlier step: { body: true })`);
  }
  const checks = isObj(spec['checks']) ? spec['checks'] : {};
  if ('elements' in checks && !Array.isArray(spec['elements'])) {
    at([...base, 'validateFiles', 'checks', 'elements'], "the elements check needs validateFiles.elements (the _elements the kick-off sent)");
  }
  if ('deletedNotInOutput' in checks) {
    const lists = Array.isArray(spec['lists']) ? spec['lists'].map(String) : ['output'];
    if (!lists.includes('output') || !lists.includes('deleted')) {
      at([...base, 'validateFiles', 'checks', 'deletedNotInOutput'], 'the deletedNotInOutput check compares deleted files with the output: validateFiles.lists needs both output and deleted');
    }
  }
  return Object.entries(checks).map(([kind, id]) => [kind, String(id)]);
}
