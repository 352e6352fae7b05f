import { describe, expect, it } from 'vitest';
import { appliesTo, levelFor, resolveClaims, unmetRequirements } from '../../src/app/claims.js';
import { discoverOperations } from '../../src/app/discovery.js';

const CANON = 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/';
const metadata = (ops: { system?: string[]; patient?: string[]; group?: string[] }): unknown => ({
  resourceType: 'CapabilityStatement',
  rest: [{
    mode: 'server',
    operation: (ops.system ?? []).map((d) => ({ name: 'x', definition: d })),
    resource: [
      { type: 'Patient', operation: (ops.patient ?? []).map((d) => ({ name: 'x', definition: d })) },
      { type: 'Group', operation: (ops.group ?? []).map((d) => ({ name: 'x', definition: d })) },
    ],
  }],
});

describe('discoverOperations', () => {
  it('finds the bulk operations by canonical URL, ignoring a |version suffix', () => {
    const d = discoverOperations(metadata({ system: [`${CANON}export|2.0.0`], patient: [`${CANON}patient-export`], group: [`${CANON}group-export|4.0.0`] }));
    expect(d).toEqual({ kind: 'found', operations: ['export', 'patient-export', 'group-export'] });
  });

  it('accepts an operation named export that cites its own OperationDefinition', () => {
    const d = discoverOperations({ resourceType: 'CapabilityStatement', rest: [{ operation: [{ name: 'export', definition: 'http://vendor.example/OperationDefinition/exp' }] }] });
    expect(d).toEqual({ kind: 'found', operations: ['export'] });
  });

  it('does not invent operations that are absent', () => {
    expect(discoverOperations(metadata({ system: [`${CANON}export`] }))).toEqual({ kind: 'found', operations: ['export'] });
  });

  it('reports an unusable /metadata as unavailable', () => {
    expect(discoverOperations(undefined).kind).toBe('unavailable');
    expect(discoverOperations({ resourceType: 'Patient' }).kind).toBe('unavailable');
  });
});

describe('resolveClaims', () => {
  it('assumes bulk-v2 when no version is claimed, and says so', () => {
    const c = resolveClaims({ profile: {}, cliTags: [], metadata: undefined, bundled: false });
    expect([...c.tags]).toEqual(['bulk-v2']);
    expect(c.basis.join(' ')).toContain('bulk-v2 assumed');
    expect(c.capabilities.has('export')).toBe(true);
    expect(c.capabilities.has('get-kickoff')).toBe(true);
    expect(c.capabilities.has('post-kickoff')).toBe(false);
  });

  it('judges several claimed versions as the newest and records it', () => {
    const c = resolveClaims({ profile: { claims: ['bulk-v2'] }, cliTags: ['bulk-v4'], metadata: undefined, bundled: false });
    expect(c.tags.has('bulk-v4')).toBe(true);
    expect(c.tags.has('bulk-v2')).toBe(false);
    expect(c.capabilities.has('post-kickoff')).toBe(true);
    expect(c.capabilities.has('get-kickoff')).toBe(false);
  });

  it('names why a capability is missing: not advertised, or no groupId for group export', () => {
    const notAdvertised = resolveClaims({ profile: {}, cliTags: [], metadata: metadata({ system: [`${CANON}export`] }), bundled: false });
    expect(unmetRequirements(['patient-export'], notAdvertised)).toEqual([{ capability: 'patient-export', reason: 'patient-export is not advertised in /metadata' }]);
    const noGroup = resolveClaims({ profile: {}, cliTags: [], metadata: metadata({ group: [`${CANON}group-export`] }), bundled: false });
    expect(unmetRequirements(['group-export'], noGroup)[0]?.reason).toContain('no groupId');
    const withGroup = resolveClaims({ profile: { groupId: 'g9' }, cliTags: [], metadata: metadata({ group: [`${CANON}group-export`] }), bundled: false });
    expect(unmetRequirements(['group-export'], withGroup)).toEqual([]);
    expect(unmetRequirements(['redirect'], withGroup)[0]?.reason).toContain('does not claim redirect');
  });

  it('applies per-version levels and appliesTo tags', () => {
    const v1 = resolveClaims({ profile: { claims: ['bulk-v1'] }, cliTags: [], metadata: undefined, bundled: false });
    const v2 = resolveClaims({ profile: {}, cliTags: [], metadata: undefined, bundled: false });
    const req = { id: 'STATUS-05', level: 'SHOULD' as const, summary: 's', source: 'x', levels: { 'bulk-v1': 'MAY' as const } };
    expect(levelFor(req, v1)).toBe('MAY');
    expect(levelFor(req, v2)).toBe('SHOULD');
    expect(appliesTo(['bulk-v1', 'bulk-v2', 'bulk-v3'], v2)).toBe(true);
    expect(appliesTo(['bulk-v4'], v2)).toBe(false);
    expect(appliesTo(undefined, v2)).toBe(true);
  });
});

describe('resolveClaims: what only the tester knows', () => {
  const claimsOf = (profile: Parameters<typeof resolveClaims>[0]['profile'], bundled = false) => resolveClaims({ profile, cliTags: [], metadata: undefined, bundled });

  it('unknown-status-url comes from the profile vars naming one, never from capabilities alone', () => {
    expect(claimsOf({ vars: { unknownStatusUrl: 'https://fhir.example.org/jobs/none' } }).capabilities.has('unknown-status-url')).toBe(true);
    const without = claimsOf({ capabilities: ['unknown-status-url'] });
    expect(without.capabilities.has('unknown-status-url')).toBe(false);
    expect(unmetRequirements(['unknown-status-url'], without)).toEqual([
      { capability: 'unknown-status-url', reason: "no unknownStatusUrl in the target profile's vars (a status URL the target never issued: status URLs are opaque, so the suite cannot make one up)" },
    ]);
  });

  it('failing-job comes from the profile vars naming a failingTypeFilter (or holds for the bundled server), never from capabilities alone', () => {
    expect(claimsOf({ vars: { failingTypeFilter: 'Observation?code=broken' } }).capabilities.has('failing-job')).toBe(true);
    expect(claimsOf({}, true).capabilities.has('failing-job')).toBe(true);
    const without = claimsOf({ capabilities: ['failing-job'] });
    expect(without.capabilities.has('failing-job')).toBe(false);
    expect(unmetRequirements(['failing-job'], without)[0]?.reason).toMatch(/^no failingTypeFilter in the target profile's vars/);
  });

  it('deleted-resources is declared by the profile (or holds for the bundled server)', () => {
    expect(claimsOf({ capabilities: ['deleted-resources'] }).capabilities.has('deleted-resources')).toBe(true);
    expect(claimsOf({}, true).capabilities.has('deleted-resources')).toBe(true);
    expect(unmetRequirements(['deleted-resources'], claimsOf({}))[0]?.reason).toMatch(/^declare deleted-resources in capabilities:/);
  });
});
