import { readFileSync } from 'node:fs';
import type { Catalogue, Requirement } from '../model/scenario.js';
import { displayPath, type Diagnostic } from './diagnostics.js';
import { validateAgainstSchema } from './validate-schema.js';
import { parseYamlSource } from './yaml-source.js';

export interface CatalogueLoad {
  catalogue: Catalogue;
  diagnostics: Diagnostic[];
}

/** Load and check `suites/requirements.yaml`: closed schema, unique ids. */
export function loadCatalogue(path: string): CatalogueLoad {
  const file = displayPath(path);
  const empty: Catalogue = { file, requirements: new Map() };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return { catalogue: empty, diagnostics: [{ file, line: 1, column: 1, message: `cannot read requirement catalogue: ${(e as Error).message}` }] };
  }
  const source = parseYamlSource(file, text);
  if (source.syntaxErrors.length) return { catalogue: empty, diagnostics: source.syntaxErrors };
  const diagnostics = validateAgainstSchema('catalogue', source);
  if (diagnostics.length) return { catalogue: empty, diagnostics };
  const items = (source.value as { requirements: Requirement[] }).requirements;
  const requirements = new Map<string, Requirement>();
  items.forEach((r, i) => {
    if (requirements.has(r.id)) diagnostics.push(source.at(['requirements', i, 'id'], `duplicate requirement id '${r.id}'`));
    else requirements.set(r.id, r);
  });
  return { catalogue: { file, requirements }, diagnostics };
}
