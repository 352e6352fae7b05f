import { describe, expect, it } from 'vitest';
import { sharedFhirValidator } from '../../src/validate/fhir-r4-schema.js';
import { valueAt } from '../../src/validate/schema-problems.js';

const patient = { resourceType: 'Patient', id: 'p1', gender: 'female', birthDate: '1970-01-01', name: [{ family: 'Chen', given: ['Ada'] }] };

describe('FHIR R4 resource validation (official JSON Schema)', () => {
  const fhir = sharedFhirValidator();

  it('accepts a valid resource and rejects a wrong value, naming its JSON path', () => {
    expect(fhir.validate(patient)).toEqual({ ok: true });
    const verdict = fhir.validate({ ...patient, gender: 42 });
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.problems[0]).toMatch(/^\/gender: must be one of "male", "female", "other", "unknown" \(got 42\)/);
  });

  it('rejects unknown elements, missing required elements and unknown resource types', () => {
    const extra = fhir.validate({ ...patient, shoeSize: 42 });
    expect(extra.ok ? [] : extra.problems).toEqual(['/shoeSize: is not allowed here (unknown property)']);
    const missing = fhir.validate({ resourceType: 'Observation', id: 'o1', status: 'final' });
    expect(missing.ok ? [] : missing.problems).toEqual(['/code: is required but absent']);
    const unknown = fhir.validate({ resourceType: 'Patientt', id: 'x' });
    expect(unknown.ok ? [] : unknown.problems[0]).toMatch(/"Patientt" is not a FHIR R4 resource type/);
    expect(fhir.validate([patient]).ok).toBe(false);
  });

  it('validates nested resources (contained, Bundle entries) by their own type, with the full path', () => {
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: patient }, { resource: { ...patient, birthDate: 'yesterday' } }] };
    const verdict = fhir.validate(bundle);
    expect(verdict.ok ? [] : verdict.problems[0]).toMatch(/^\/entry\/1\/resource\/birthDate: must match pattern/);
    const contained = fhir.validate({ ...patient, contained: [{ resourceType: 'Organization', id: 'o1', active: 'yes' }] });
    expect(contained.ok ? [] : contained.problems[0]).toMatch(/^\/contained\/0\/active: must be boolean/);
  });

  it('shows the offending value, found by its path, however deep', () => {
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: { ...patient, name: [{ period: { start: 'last spring' } }] } }] };
    const verdict = fhir.validate(bundle);
    expect(verdict.ok ? [] : verdict.problems).toEqual([expect.stringMatching(/^\/entry\/0\/resource\/name\/0\/period\/start: must match pattern .* \(got "last spring"\)$/)]);
    expect(valueAt({ 'a/b': { '~c': [1, 2] } }, '/a~1b/~0c/1')).toBe(2);
    expect(valueAt({ a: 'text' }, '/a/0')).toBeUndefined();
    expect(valueAt({ a: {} }, '/a/toString')).toBeUndefined();
  });

  it('validates a value as a given type, whatever its resourceType says', () => {
    const verdict = fhir.validateAs('OperationOutcome', { resourceType: 'Patient', issue: [{ severity: 'error', code: 'processing' }] });
    expect(verdict.ok ? [] : verdict.problems[0]).toMatch(/^\/resourceType: must be "OperationOutcome" \(got "Patient"\)/);
    expect(fhir.validateAs('OperationOutcome', { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'processing' }] })).toEqual({ ok: true });
  });

  it('describes root elements: required ones and complex ones', () => {
    const obs = fhir.describeElements('Observation');
    expect(obs?.required.has('code')).toBe(true);
    expect(obs?.complex.has('valueQuantity')).toBe(true);
    expect(obs?.complex.has('status')).toBe(false);
    expect(fhir.describeElements('NoSuchType')).toBeUndefined();
  });
});
