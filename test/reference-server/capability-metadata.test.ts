import { afterEach, describe, expect, it } from 'vitest';
import { discoverOperations } from '../../src/app/discovery.js';
import { closeAllServers, mediaType, startServer } from './helpers.js';

afterEach(closeAllServers);

const SYNC = 'http://hl7.org/fhir/StructureDefinition/synchronicity-control';
const BULK = 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/';

interface Ext {
  url: string;
  valueCode?: string;
}
interface Op {
  name: string;
  definition: string;
  extension?: Ext[];
}
interface Resource {
  type: string;
  interaction?: { code: string; extension?: Ext[] }[];
  searchParam?: { name: string; type: string }[];
  operation?: Op[];
}
interface Capability {
  resourceType: string;
  fhirVersion: string;
  rest: { mode: string; documentation?: string; resource: Resource[]; interaction?: { code: string; extension?: Ext[] }[]; operation: Op[] }[];
}

async function fetchCapability(): Promise<Capability> {
  const { baseUrl } = await startServer();
  const res = await fetch(`${baseUrl}/metadata`);
  expect(res.status).toBe(200);
  expect(mediaType(res)).toBe('application/fhir+json');
  return (await res.json()) as Capability;
}

function synchronicityOf(item: { extension?: Ext[] } | undefined): string | undefined {
  return item?.extension?.find((ext) => ext.url === SYNC)?.valueCode;
}

describe('CapabilityStatement (GET /metadata)', () => {
  it('advertises the bulk operations by canonical URL, asynchronous only', async () => {
    const cs = await fetchCapability();
    expect(cs.resourceType).toBe('CapabilityStatement');
    const rest = cs.rest[0];
    const exportOp = rest?.operation.find((op) => op.definition === `${BULK}export`);
    expect(exportOp?.name).toBe('export');
    expect(synchronicityOf(exportOp)).toBe('asynchronous');
    const patient = rest?.resource.find((r) => r.type === 'Patient');
    const group = rest?.resource.find((r) => r.type === 'Group');
    expect(patient?.operation?.[0]?.definition).toBe(`${BULK}patient-export`);
    expect(group?.operation?.[0]?.definition).toBe(`${BULK}group-export`);
    expect(synchronicityOf(group?.operation?.[0])).toBe('asynchronous');
    expect(discoverOperations(cs)).toEqual({ kind: 'found', operations: ['export', 'patient-export', 'group-export'] });
  });

  it('lists read, search-type and create per resource type, each usable synchronously or asynchronously', async () => {
    const rest = (await fetchCapability()).rest[0];
    for (const type of ['Patient', 'Observation', 'Group']) {
      const resource = rest?.resource.find((r) => r.type === type);
      expect(resource?.interaction?.map((i) => i.code)).toEqual(['read', 'search-type', 'create']);
      for (const interaction of resource?.interaction ?? []) expect(synchronicityOf(interaction)).toBe('either');
    }
    expect(rest?.resource.find((r) => r.type === 'Patient')?.searchParam?.map((p) => p.name)).toEqual(['_id', 'name', 'identifier']);
    expect(rest?.interaction?.map((i) => i.code)).toEqual(['batch', 'transaction']);
    const reindex = rest?.operation.find((op) => op.name === 'reindex');
    expect(synchronicityOf(reindex)).toBe('either');
  });

  it('documents the async modes in rest.documentation', async () => {
    const documentation = (await fetchCapability()).rest[0]?.documentation ?? '';
    expect(documentation).toContain('async-mode=bundle');
    expect(documentation).toContain('async-mode=redirect');
    expect(documentation).toContain('_outputFormat');
  });
});
