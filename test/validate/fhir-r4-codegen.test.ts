import { existsSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type SchemaValidateFunction, type ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGroup, EXPORT_TYPES, generateResources } from '../../reference-server/synthetic-data.js';
import { FHIR_AJV_OPTIONS, FHIR_R4_SCHEMA_ID, generateFhirR4Modules, isUpToDate, loadFhirR4Schema, type FhirR4Schema } from '../../src/validate/fhir-r4-codegen.js';
import { FhirResourceValidator } from '../../src/validate/fhir-r4-schema.js';

type Errors = Partial<ErrorObject>[];
/** What a user is shown of an error, and where it is: what both validators must agree on. */
const shown = (errors: Errors): string[] => errors.map((e) => `${e.instancePath ?? ''} ${e.keyword ?? ''} ${e.message ?? ''} ${JSON.stringify(e.params ?? {})}`);

/**
 * The reference: the same schema compiled by ajv at run time, with nested resources (ResourceList)
 * dispatched by resourceType, as the validator worked before its code was generated.
 */
function runtimeReference(schema: FhirR4Schema): (resource: unknown) => Errors | null {
  const ajv = new Ajv(FHIR_AJV_OPTIONS);
  const types = new Set(schema.resourceTypes);
  const byType = new Map<string, ValidateFunction>();
  const check = (data: unknown, at: string): Errors | null => {
    const type = data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as { resourceType?: unknown }).resourceType : undefined;
    if (typeof type !== 'string') return [{ instancePath: at, message: 'is not a FHIR resource (an object with a string resourceType)' }];
    if (!types.has(type)) return [{ instancePath: `${at}/resourceType`, message: `"${type}" is not a FHIR R4 resource type` }];
    let fn = byType.get(type);
    if (fn === undefined) {
      fn = ajv.compile({ $ref: `${FHIR_R4_SCHEMA_ID}#/definitions/${type}` });
      byType.set(type, fn);
    }
    return fn(data) ? null : (fn.errors ?? []).map((e) => ({ ...e, instancePath: `${at}${e.instancePath}` }));
  };
  const fhirResource: SchemaValidateFunction = (_schema, data, _parent, cxt) => {
    const errors = check(data, cxt?.instancePath ?? '');
    fhirResource.errors = errors ?? [];
    return errors === null;
  };
  ajv.addKeyword({ keyword: 'fhirResource', errors: true, validate: fhirResource });
  ajv.addSchema({ $id: FHIR_R4_SCHEMA_ID, definitions: { ...schema.definitions, ResourceList: { type: 'object', fhirResource: true } } });
  return (resource) => check(resource, '');
}

/** The generated validator's raw errors for one resource (null when valid). */
function generatedErrors(fhir: FhirResourceValidator, resource: unknown): Errors | null {
  const type = resource !== null && typeof resource === 'object' ? (resource as { resourceType?: unknown }).resourceType : undefined;
  const fn = typeof type === 'string' ? fhir.validatorFor(type) : undefined;
  if (fn === undefined) return fhir.validate(resource).ok ? null : [{ message: 'rejected before the schema' }];
  return fn(resource) ? null : (fn.errors ?? []);
}

const patient = { resourceType: 'Patient', id: 'p1', gender: 'female', birthDate: '1970-01-01', name: [{ family: 'Chen', given: ['Ada'] }] };

/** Invalid resources, each wrong in one place: in the type's own elements, in a datatype (core), or in a nested resource. */
const INVALID: [string, unknown][] = [
  ['enum of the type', { ...patient, gender: 42 }],
  ['unknown element', { ...patient, shoeSize: 42 }],
  ['missing required element', { resourceType: 'Observation', id: 'o1', status: 'final' }],
  ['datatype value (Quantity.value)', { resourceType: 'Observation', status: 'final', code: { text: 'x' }, valueQuantity: { value: '12' } }],
  ['unknown element in a datatype (Coding)', { resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://loinc.org', cod: '1' }] } }],
  ['Extension value', { ...patient, extension: [{ url: 'http://example.org/x', valueBoolean: 'yes' }] }],
  ['Extension inside an Extension', { ...patient, extension: [{ url: 'http://example.org/x', extension: [{ url: 7 }] }] }],
  ['Meta.lastUpdated pattern', { ...patient, meta: { lastUpdated: '2024-13-01T00:00:00Z' } }],
  ['HumanName.period.start', { ...patient, name: [{ family: 'Chen', period: { start: 'yesterday' } }] }],
  ['primitive extension (_birthDate)', { ...patient, _birthDate: { extension: [{ url: 'http://example.org/x', valueInteger: '1' }] } }],
  ['contained resource element', { ...patient, contained: [{ resourceType: 'Organization', id: 'o1', active: 'yes' }] }],
  ['contained without resourceType', { ...patient, contained: [{ id: 'o1' }] }],
  ['contained of an unknown type', { ...patient, contained: [{ resourceType: 'Patientt', id: 'x' }] }],
  ['contained that is not an object', { ...patient, contained: ['Organization/o1'] }],
  ['Bundle entry resource', { resourceType: 'Bundle', type: 'collection', entry: [{ resource: patient }, { resource: { ...patient, birthDate: 'yesterday' } }] }],
  ['Bundle inside a Bundle', { resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Bundle', type: 'collection', entry: [{ resource: { ...patient, gender: 'f' } }] } }] }],
  ['Parameters resource', { resourceType: 'Parameters', parameter: [{ name: 'outcome', resource: { resourceType: 'OperationOutcome', issue: [{ severity: 'fatal', code: 'exception', details: { text: 1 } }] } }] }],
  ['ElementDefinition in a StructureDefinition', { resourceType: 'StructureDefinition', url: 'http://x', name: 'X', status: 'draft', kind: 'resource', abstract: false, type: 'Patient', snapshot: { element: [{ path: 'Patient', min: 'one' }] } }],
];

describe('generated FHIR R4 validators (fhir-r4-codegen.ts)', () => {
  let dir: string;
  let schema: FhirR4Schema;
  let generated: FhirResourceValidator;
  let reference: (resource: unknown) => Errors | null;

  beforeAll(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'fhir-r4-gen-')), 'fhir-r4');
    schema = loadFhirR4Schema();
    generateFhirR4Modules(dir, schema);
    generated = new FhirResourceValidator(dir);
    reference = runtimeReference(schema);
  }, 60_000);
  afterAll(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  it('writes the shared datatypes, one module per resource type and an index', () => {
    const files = readdirSync(dir);
    expect(files).toContain('core.cjs');
    expect(files).toContain('index.json');
    expect(files.filter((f) => f.endsWith('.cjs') && f !== 'core.cjs').sort()).toEqual(schema.resourceTypes.map((t) => `${t}.cjs`).sort());
    expect(schema.resourceTypes).toHaveLength(146);
  });

  it('agrees with a runtime compile of the schema on the reference server\'s resources (all valid)', () => {
    const opts = { patientCount: 3, transactionTime: Date.parse('2026-01-01T00:00:00Z') };
    const resources = [...EXPORT_TYPES.flatMap((t) => generateResources(t, opts)), ...EXPORT_TYPES.flatMap((t) => generateResources(t, { ...opts, attachmentBase: 'http://127.0.0.1:1/files' })), buildGroup('g1', opts)];
    expect(resources.length).toBeGreaterThan(20);
    for (const resource of resources) {
      expect(reference(resource), JSON.stringify(resource)).toBeNull();
      expect(generatedErrors(generated, resource), JSON.stringify(resource)).toBeNull();
    }
  });

  it.each(INVALID)('agrees with a runtime compile on an invalid resource: %s', (_name, resource) => {
    const expected = reference(resource);
    expect(expected).not.toBeNull();
    const verdict = generated.validate(resource);
    expect(verdict.ok).toBe(false);
    const problems = verdict.ok ? [] : verdict.problems;
    // The user sees the same problems, at the same paths, as from the runtime compile.
    const fresh = new FhirResourceValidator(dir);
    expect(fresh.validate(resource)).toEqual(verdict);
    expect(problems.length).toBeGreaterThan(0);
    const type = (resource as { resourceType: string }).resourceType;
    if (generated.isResourceType(type)) expect(shown(generatedErrors(generated, resource) ?? [])).toEqual(shown(expected ?? []));
  });

  it('loads and agrees on every resource type (a bare resource of each)', () => {
    for (const type of schema.resourceTypes) {
      const bare = { resourceType: type, id: 'x1', unknownElement: true };
      expect(shown(generatedErrors(generated, bare) ?? []), type).toEqual(shown(reference(bare) ?? []));
      const minimal = { resourceType: type };
      expect(generatedErrors(generated, minimal) === null, type).toBe(reference(minimal) === null);
    }
  });

  it('regenerates only what is stale, and replaces the output whole', () => {
    expect(isUpToDate(dir, schema)).toBe(true);
    expect(isUpToDate(dir, { ...schema, hash: 'another schema' })).toBe(false);
    writeFileSync(join(dir, 'stray.cjs'), '');
    unlinkSync(join(dir, 'Patient.cjs'));
    expect(isUpToDate(dir, schema)).toBe(false);
    generateFhirR4Modules(dir, schema);
    expect(existsSync(join(dir, 'Patient.cjs'))).toBe(true);
    expect(existsSync(join(dir, 'stray.cjs'))).toBe(false);
    expect(isUpToDate(dir, schema)).toBe(true);
  }, 60_000);

  it('says what to do when the generated validators are missing', () => {
    const missing = new FhirResourceValidator(join(dir, 'nowhere'));
    expect(() => missing.validate(patient)).toThrow(/generated FHIR R4 validators are missing .*run "npm run build"/);
  });
});
