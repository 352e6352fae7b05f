/**
 * Where the generated FHIR R4 validators are and what their index says: shared by the generator
 * (fhir-r4-codegen.ts, a build step that needs ajv) and the runtime (fhir-r4-schema.ts, which
 * must not load ajv in every validation worker just to find the files).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `index.json` of the generated output. */
export interface GeneratedIndex {
  /** sha256 of the generator's code, ajv's version, sha256 of the schema file. */
  stamp: { generator: string; ajv: string; schema: string };
  types: string[];
}

/** Where the generated modules live: `<package>/dist/fhir-r4`, from source or built code alike. */
export function defaultGeneratedDir(): string {
  const here = fileURLToPath(import.meta.url);
  // src/validate/x.ts -> <root>/dist/fhir-r4; dist/src/validate/x.js -> <root>/dist/fhir-r4
  const root = here.endsWith('.ts') ? join(dirname(here), '..', '..') : join(dirname(here), '..', '..', '..');
  return join(root, 'dist', 'fhir-r4');
}
