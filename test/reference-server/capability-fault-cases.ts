/** Demonstrations of the CapabilityStatement faults (run by faults.test.ts). */
import { expect } from 'vitest';
import { get, type FakeClock } from './helpers.js';

export interface CapabilityFaultDemo {
  shows: string;
  run(baseUrl: string, clock: FakeClock): Promise<void>;
}

type Statement = {
  rest: { operation?: { name: string; definition: string }[]; resource: { type: string; operation?: { name: string; definition: string }[]; extension?: { url: string; valueCanonical?: string }[] }[] }[];
};

async function metadata(baseUrl: string): Promise<Statement> {
  const res = await get(`${baseUrl}/metadata`, { Accept: 'application/fhir+json' });
  expect(res.status).toBe(200);
  return (await res.json()) as Statement;
}

export const CAPABILITY_FAULT_CASES: Record<string, CapabilityFaultDemo> = {
  'bulk-definitions-not-canonical': {
    shows: "the three bulk operations are listed by server-local OperationDefinition URLs, still named 'export'",
    async run(baseUrl) {
      const rest = (await metadata(baseUrl)).rest[0];
      const system = rest?.operation?.find((op) => op.name === 'export');
      const group = rest?.resource.find((r) => r.type === 'Group')?.operation?.[0];
      const patient = rest?.resource.find((r) => r.type === 'Patient')?.operation?.[0];
      for (const op of [system, group, patient]) {
        expect(op?.name).toBe('export');
        expect(op?.definition).not.toMatch(/^http:\/\/hl7\.org\/fhir\/uv\/bulkdata\/OperationDefinition\//);
      }
    },
  },
  'operation-not-supported-bad-canonical': {
    shows: 'Organization carries operation-not-supported with a valueCanonical that names no Bulk Data definition',
    async run(baseUrl) {
      const organization = (await metadata(baseUrl)).rest[0]?.resource.find((r) => r.type === 'Organization');
      const mark = organization?.extension?.find((e) => e.url === 'http://hl7.org/fhir/uv/bulkdata/Extension/operation-not-supported');
      expect(mark?.valueCanonical).toBeDefined();
      expect(mark?.valueCanonical).not.toMatch(/^http:\/\/hl7\.org\/fhir\/uv\/bulkdata\//);
    },
  },
  'group-search-unsupported': {
    shows: 'GET /Group?_id=... answers 400 not-supported while GET /Group/<id> answers 200',
    async run(baseUrl) {
      const search = await get(`${baseUrl}/Group?_id=g1`, { Accept: 'application/fhir+json' });
      expect(search.status).toBe(400);
      expect(JSON.stringify(await search.json())).toContain('not-supported');
      const read = await get(`${baseUrl}/Group/g1`, { Accept: 'application/fhir+json' });
      expect(read.status).toBe(200);
      expect(((await read.json()) as { id?: string }).id).toBe('g1');
    },
  },
};
