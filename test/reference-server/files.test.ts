import { afterEach, describe, expect, it } from 'vitest';
import {
  closeAllServers,
  completeExport,
  createFakeClock,
  expectOutcome,
  get,
  mediaType,
  parseNdjson,
  startServer,
  type Manifest,
} from './helpers.js';

afterEach(closeAllServers);

async function fetchFile(url: string): Promise<Record<string, unknown>[]> {
  const res = await get(url, { Accept: 'application/fhir+ndjson' });
  expect(res.status).toBe(200);
  expect(mediaType(res)).toBe('application/fhir+ndjson');
  return parseNdjson(await res.text());
}

function lastUpdated(resource: Record<string, unknown>): number {
  const meta = resource['meta'] as { lastUpdated?: string } | undefined;
  return Date.parse(meta?.lastUpdated ?? '');
}

describe('output files', () => {
  it('serves one NDJSON file per type whose lines match the manifest type and count', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, patientCount: 4 });
    const manifest = await completeExport(baseUrl, clock);
    const transactionTime = Date.parse(manifest.transactionTime);
    const counts: Record<string, number> = {};
    for (const item of manifest.output) {
      const lines = await fetchFile(item.url);
      expect(lines).toHaveLength(item.count);
      counts[item.type] = lines.length;
      for (const line of lines) {
        expect(line['resourceType']).toBe(item.type);
        expect(lastUpdated(line)).toBeLessThanOrEqual(transactionTime);
      }
    }
    expect(counts).toEqual({ Patient: 4, Observation: 12, Encounter: 4, Condition: 2, DocumentReference: 4, Organization: 2 });
  });

  it('produces the expected synthetic resources', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, patientCount: 2 });
    const manifest = await completeExport(baseUrl, clock);
    const patients = await fetchFile(manifest.output[0]?.url ?? '');
    expect(patients.map((p) => p['id'])).toEqual(['p1', 'p2']);
    expect(patients[0]).toHaveProperty('gender');
    expect(patients[0]).toHaveProperty('birthDate');
    const observations = await fetchFile(manifest.output[1]?.url ?? '');
    expect(observations[0]).toMatchObject({
      status: 'final',
      subject: { reference: 'Patient/p1' },
      code: { coding: [{ system: 'http://loinc.org' }] },
    });
    expect(observations[0]).toHaveProperty('valueQuantity');
    expect(observations[0]).toHaveProperty('effectiveDateTime');
  });

  it('restricts the output to _type, comma-separated or repeated alike', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    const only = await completeExport(baseUrl, clock, '?_type=Observation');
    expect(only.output.map((item) => item.type)).toEqual(['Observation']);
    const comma = await completeExport(baseUrl, clock, '?_type=Patient,Observation');
    const repeated = await completeExport(baseUrl, clock, '?_type=Patient&_type=Observation');
    const types = (m: Manifest): string[] => m.output.map((item) => item.type);
    expect(types(comma)).toEqual(types(repeated));
    expect(types(comma)).toEqual(['Patient', 'Observation']);
  });

  it('filters by _since and leaves out types with no data', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, patientCount: 10 });
    const since = new Date(clock.now() - 2.5 * 3_600_000).toISOString();
    const manifest = await completeExport(baseUrl, clock, `?_since=${encodeURIComponent(since)}`);
    expect(manifest.output.map((item) => [item.type, item.count])).toEqual([
      ['Patient', 2],
      ['Observation', 6],
      ['Encounter', 2],
      ['Condition', 2],
      ['DocumentReference', 3],
    ]);
    for (const item of manifest.output) {
      for (const line of await fetchFile(item.url)) expect(lastUpdated(line)).toBeGreaterThan(Date.parse(since));
    }
    const future = new Date(clock.now() + 3_600_000).toISOString();
    const empty = await completeExport(baseUrl, clock, `?_since=${encodeURIComponent(future)}`);
    expect(empty.output).toEqual([]);
  });

  it('lists ignored parameters as OperationOutcome files in manifest.error under handling=lenient', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    const kick = await get(`${baseUrl}/$export?organizeOutputBy=Patient`, { Prefer: 'respond-async, handling=lenient' });
    clock.advance(1_000);
    const manifest = (await (await get(kick.headers.get('content-location') ?? '')).json()) as Manifest;
    expect(manifest.error).toHaveLength(1);
    const outcomes = await fetchFile(manifest.error[0]?.url ?? '');
    expect(outcomes.map((o) => o['resourceType'])).toEqual(['OperationOutcome']);
  });

  it('answers an unknown file with 404 + OperationOutcome', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    const manifest = await completeExport(baseUrl, clock);
    const url = manifest.output[0]?.url ?? '';
    await expectOutcome(await get(url.replace(/\d+\.ndjson$/, '99.ndjson')), 404);
    await expectOutcome(await get(url.replace(/_files\/[^/]+/, '_files/0123456789abcdef0123456789abcdef')), 404);
  });
});
