/**
 * Named schemas for what the async patterns return, used by the `schema:` matcher:
 *   bulk-manifest-v1..v4 (bulk-manifest: the claimed version), `/<field>` for one field's value;
 *   operation-outcome      a FHIR R4 OperationOutcome with at least one issue;
 *   batch-response-bundle  a FHIR R4 Bundle of type batch-response, every entry with response.status;
 *   callback-parameters    the callback Parameters: status (valueCode completed | failed |
 *                          cancelled), resultUrl (valueUrl), optional outcome (OperationOutcome).
 * A FHIR-based schema is the official R4 JSON Schema of its resource type (fhir-r4-schema.ts)
 * and, when that passes, the payload's own constraints. Problems name the JSON path inside the
 * validated value.
 */
import { Ajv, type AnySchemaObject, type ValidateFunction } from 'ajv';
import { sharedFhirValidator } from './fhir-r4-schema.js';
import { buildManifestSchema, FIELD_REQUIREMENT, MANIFEST_FIELDS, MANIFEST_VERSIONS, type ManifestField, type ManifestVersion } from './manifest-schemas.js';
import { formatSchemaErrors } from './schema-problems.js';

export type PayloadVerdict = { ok: true } | { ok: false; problems: string[] };

/** A FHIR payload: valid as its resource type, then its own constraints. */
interface FhirPayload {
  resourceType: string;
  constraints: AnySchemaObject;
}

const FHIR_PAYLOADS: Record<string, FhirPayload> = {
  'operation-outcome': {
    resourceType: 'OperationOutcome',
    constraints: { required: ['resourceType', 'issue'], properties: { issue: { type: 'array', minItems: 1 } } },
  },
  'batch-response-bundle': {
    resourceType: 'Bundle',
    constraints: {
      required: ['resourceType', 'type'],
      properties: {
        resourceType: { const: 'Bundle' },
        type: { const: 'batch-response' },
        entry: { type: 'array', items: { required: ['response'], properties: { response: { required: ['status'] } } } },
      },
    },
  },
  'callback-parameters': {
    resourceType: 'Parameters',
    constraints: {
      required: ['resourceType', 'parameter'],
      properties: {
        resourceType: { const: 'Parameters' },
        parameter: {
          type: 'array',
          allOf: [
            { contains: { required: ['name', 'valueCode'], properties: { name: { const: 'status' }, valueCode: { enum: ['completed', 'failed', 'cancelled'] } } } },
            { contains: { required: ['name', 'valueUrl'], properties: { name: { const: 'resultUrl' }, valueUrl: { type: 'string', pattern: '^[Hh][Tt][Tt][Pp][Ss]?://' } } } },
          ],
          items: {
            if: { properties: { name: { const: 'outcome' } }, required: ['name'] },
            then: { required: ['resource'], properties: { resource: { properties: { resourceType: { const: 'OperationOutcome' } } } } },
          },
        },
      },
    },
  },
};

/** The payloads' own schemas (no FHIR definitions: those are generated, fhir-r4-schema.ts). */
const ajv = new Ajv({ strict: false, allErrors: false, verbose: true });
const compiled = new Map<string, ValidateFunction>();

export type SchemaName = { kind: 'manifest'; version: ManifestVersion | undefined; field: ManifestField | undefined } | { kind: 'fhir'; name: string };

/** Parse a schema name; undefined when there is no such schema. */
export function parseSchemaName(name: string): SchemaName | undefined {
  if (Object.hasOwn(FHIR_PAYLOADS, name)) return { kind: 'fhir', name };
  const m = /^bulk-manifest(?:-(v[1-4]))?(?:\/([A-Za-z]+))?$/.exec(name);
  if (m === null) return undefined;
  const field = m[2];
  if (field !== undefined && !(MANIFEST_FIELDS as readonly string[]).includes(field)) return undefined;
  return { kind: 'manifest', version: m[1] as ManifestVersion | undefined, field: field as ManifestField | undefined };
}

/** `bulk-manifest[/field]` becomes `bulk-manifest-vN[/field]` for the claimed Bulk Data version (default v2). */
export function resolveSchemaName(name: string, claimedTags: ReadonlySet<string>): string {
  const parsed = parseSchemaName(name);
  if (parsed?.kind !== 'manifest' || parsed.version !== undefined) return name;
  const version = MANIFEST_VERSIONS.find((v) => claimedTags.has(`bulk-${v}`)) ?? 'v2';
  return `bulk-manifest-${version}${parsed.field ? `/${parsed.field}` : ''}`;
}

function compile(name: string): ValidateFunction | string {
  const hit = compiled.get(name);
  if (hit) return hit;
  const parsed = parseSchemaName(name);
  if (parsed === undefined) return `no schema named "${name}"`;
  let fn: ValidateFunction;
  if (parsed.kind === 'fhir') fn = ajv.compile(FHIR_PAYLOADS[parsed.name]?.constraints ?? {});
  else {
    const version = parsed.version ?? 'v2';
    const id = `bulk-manifest-${version}`;
    if (ajv.getSchema(id) === undefined) ajv.addSchema(buildManifestSchema(version));
    const whole = buildManifestSchema(version);
    const properties = whole['properties'] as Record<string, unknown>;
    if (parsed.field !== undefined && !Object.hasOwn(properties, parsed.field)) {
      return `the Bulk Data ${version} manifest has no field ${parsed.field}`;
    }
    fn = ajv.compile(parsed.field === undefined ? { $ref: id } : { $ref: `${id}#/properties/${parsed.field}` });
  }
  compiled.set(name, fn);
  return fn;
}

/** Validate a value against a named schema (use resolveSchemaName first for `bulk-manifest`). */
export function validatePayload(name: string, value: unknown): PayloadVerdict {
  const fn = compile(name);
  if (typeof fn === 'string') return { ok: false, problems: [fn] };
  const parsed = parseSchemaName(name);
  if (parsed?.kind === 'fhir') {
    const payload = FHIR_PAYLOADS[parsed.name];
    const verdict = payload === undefined ? { ok: true as const } : sharedFhirValidator().validateAs(payload.resourceType, value);
    if (!verdict.ok) return verdict;
  }
  if (fn(value)) return { ok: true };
  const problems = formatSchemaErrors(fn.errors ?? []);
  if (parsed?.kind !== 'manifest' || parsed.field !== undefined) return { ok: false, problems };
  // For a whole manifest, say which requirement each problem's field belongs to.
  return { ok: false, problems: problems.map((p) => withRequirement(p)) };
}

function withRequirement(problem: string): string {
  const field = /^\/([A-Za-z]+)/.exec(problem)?.[1];
  const requirement = field && Object.hasOwn(FIELD_REQUIREMENT, field) ? FIELD_REQUIREMENT[field as ManifestField] : undefined;
  return requirement ? `${problem} [${requirement}]` : problem;
}
