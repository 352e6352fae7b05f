import { describe, expect, it } from 'vitest';
import { readableTypes, scopedTypeVariables } from '../../src/auth/scoped-types.js';

describe('readableTypes (AUTH-06: what a narrowly scoped client may export)', () => {
  it.each([
    ['system/Patient.rs', ['Patient']],
    ['system/Patient.read system/Observation.r', ['Observation', 'Patient']],
    ['system/Observation.rs?category=laboratory system/Patient.*', ['Observation', 'Patient']],
    ['system/Patient.rs system/Observation.cud launch', ['Patient']],
  ])('%s -> %j', (scope, types) => {
    expect(readableTypes(scope)).toEqual({ ok: true, types });
  });

  it.each([
    ['system/*.read', "'system/*.read' covers every resource type"],
    ['system/Patient.rs system/*.rs', "'system/*.rs' covers every resource type"],
    ['patient/Patient.rs user/Observation.read', 'it names no system-level read scope for a resource type (e.g. system/Patient.rs)'],
    ['system/Patient.cud', 'it names no system-level read scope for a resource type (e.g. system/Patient.rs)'],
    ['', 'it names no system-level read scope for a resource type (e.g. system/Patient.rs)'],
  ])('%j is not narrow: %s', (scope, reason) => {
    expect(readableTypes(scope)).toEqual({ ok: false, reason });
  });

  it('gives the comma-joined list for _type and an anchored pattern for matches checks', () => {
    const vars = scopedTypeVariables(['Observation', 'Patient']);
    expect(vars.scopedTypes).toBe('Observation,Patient');
    expect(new RegExp(vars.scopedTypesPattern).test('Patient')).toBe(true);
    expect(new RegExp(vars.scopedTypesPattern).test('PatientX')).toBe(false);
    expect(new RegExp(vars.scopedTypesPattern).test('Encounter')).toBe(false);
  });
});
