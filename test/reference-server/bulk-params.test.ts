import { afterEach, describe, expect, it } from 'vitest';
import {
  completeAt,
  fetchAllLines,
  fetchLines,
  fetchManifest,
  keysOf,
  kickoffAt,
  postKickoff,
  statusUrlOf,
  typesOf,
  LENIENT,
  type Line,
} from './bulk-helpers.js';
import { START, closeAllServers, createFakeClock, expectOutcome, startServer } from './helpers.js';

afterEach(closeAllServers);

const HOUR = 3_600_000;
const SUBSETTED = { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'SUBSETTED' };

function codeOf(line: Line): string {
  const code = line['code'] as { coding?: { code?: string }[] } | undefined;
  return code?.coding?.[0]?.code ?? '';
}

describe('_type', () => {
  it('treats a repeated _type like a comma-delimited one, at every level', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    for (const path of ['/$export', '/Patient/$export', '/Group/g1/$export']) {
      const comma = await completeAt(baseUrl, clock, path, '?_type=Condition,Patient');
      const repeated = await completeAt(baseUrl, clock, path, '?_type=Condition&_type=Patient');
      expect(typesOf(repeated)).toEqual(typesOf(comma));
      expect(typesOf(comma)).toEqual(['Patient', 'Condition']);
    }
  });

  it('ignores an unsupported type under handling=lenient and reports it in error', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    const manifest = await completeAt(baseUrl, clock, '/$export', '?_type=Patient,Medication', LENIENT);
    expect(typesOf(manifest)).toEqual(['Patient']);
    const outcomes = await fetchAllLines(manifest.error);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'warning' }] });
    expect(JSON.stringify(outcomes[0])).toContain('Medication');
  });
});

describe('_since and _until', () => {
  it('exports only resources changed in the window', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    const since = encodeURIComponent(new Date(START - 3 * HOUR).toISOString());
    const until = encodeURIComponent(new Date(START - 1.5 * HOUR).toISOString());
    const manifest = await completeAt(baseUrl, clock, '/$export', `?_type=Patient&_since=${since}&_until=${until}`);
    expect(keysOf(await fetchAllLines(manifest.output))).toEqual(['Patient/p2']);
  });

  it('refuses _until that is not an instant, or not after _since', async () => {
    const { baseUrl } = await startServer();
    await expectOutcome(await kickoffAt(baseUrl, '/$export', '?_until=soon'), 400);
    const query = '?_since=2024-01-02T00:00:00Z&_until=2024-01-01T00:00:00Z';
    await expectOutcome(await kickoffAt(baseUrl, '/$export', query), 400);
  });
});

describe('_elements', () => {
  it('keeps the listed and mandatory elements and tags the resources SUBSETTED', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, patientCount: 2 });
    const manifest = await completeAt(baseUrl, clock, '/$export', '?_type=Patient,Observation&_elements=Patient.gender,subject');
    const [patients = [], observations = []] = await Promise.all(manifest.output.map((item) => fetchLines(item.url)));
    expect(Object.keys(patients[0] ?? {}).sort()).toEqual(['gender', 'id', 'meta', 'resourceType']);
    expect(Object.keys(observations[0] ?? {}).sort()).toEqual(['code', 'id', 'meta', 'resourceType', 'status', 'subject']);
    for (const line of [...patients, ...observations]) {
      expect((line['meta'] as { tag?: unknown[] }).tag).toContainEqual(expect.objectContaining(SUBSETTED));
    }
  });

  it('refuses a non-root element with 400, and leaves whole resources of types it does not name', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, patientCount: 1 });
    await expectOutcome(await kickoffAt(baseUrl, '/$export', '?_elements=name.given'), 400);
    const manifest = await completeAt(baseUrl, clock, '/$export', '?_type=Encounter&_elements=Patient.gender');
    const [encounter] = await fetchAllLines(manifest.output);
    expect(encounter).toHaveProperty('period');
    expect(JSON.stringify(encounter)).not.toContain('SUBSETTED');
  });
});

describe('_typeFilter', () => {
  it('filters by the supported search parameters; queries for one type are OR-ed', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, patientCount: 2 });
    const one = await completeAt(baseUrl, clock, '/$export', `?_type=Observation&_typeFilter=${encodeURIComponent('Observation?code=8867-4')}`);
    expect((await fetchAllLines(one.output)).map(codeOf)).toEqual(['8867-4', '8867-4']);
    const filters = ['Observation?code=http://loinc.org|8480-6', 'Observation?code=29463-7&patient=Patient/p2'];
    const query = `?_type=Observation,Patient&_typeFilter=${filters.map(encodeURIComponent).join(',')}`;
    const two = await completeAt(baseUrl, clock, '/$export', query);
    expect(keysOf(await fetchAllLines(two.output))).toEqual(['Patient/p1', 'Patient/p2', 'Observation/p1-obs2', 'Observation/p2-obs2', 'Observation/p2-obs3']);
  });

  it('accepts repeated _typeFilter parameters and comma-separated values inside a query', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, patientCount: 3 });
    const a = encodeURIComponent('Patient?gender=female');
    const b = encodeURIComponent('Patient?_id=p1,p3');
    const manifest = await completeAt(baseUrl, clock, '/$export', `?_type=Patient&_typeFilter=${a}&_typeFilter=${b}`);
    expect(keysOf(await fetchAllLines(manifest.output))).toEqual(['Patient/p1', 'Patient/p2', 'Patient/p3']);
  });

  it('refuses a query that is not Type?param=value with 400', async () => {
    const { baseUrl } = await startServer();
    await expectOutcome(await kickoffAt(baseUrl, '/$export', '?_typeFilter=code%3D8867-4'), 400);
    await expectOutcome(await kickoffAt(baseUrl, '/$export', `?_typeFilter=${encodeURIComponent('Medication?code=x')}`), 400);
    await expectOutcome(await kickoffAt(baseUrl, '/$export', `?_typeFilter=${encodeURIComponent('Observation?&')}`), 400);
    await expectOutcome(await kickoffAt(baseUrl, '/$export', `?_typeFilter=${encodeURIComponent('Observation?code=')}`), 400);
  });

  it('ignores an unprocessable query under handling=lenient and reports it', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, patientCount: 1 });
    const query = `?_type=Observation&_typeFilter=${encodeURIComponent('Observation?unsupported-param=x')}`;
    const manifest = await completeAt(baseUrl, clock, '/$export', query, LENIENT);
    expect(manifest.output[0]?.count).toBe(3);
    expect(JSON.stringify(await fetchAllLines(manifest.error))).toContain('unsupported-param');
  });
});

describe('includeAssociatedData', () => {
  it('accepts the defined values and refuses others (or reports them under lenient)', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    expect((await kickoffAt(baseUrl, '/$export', '?includeAssociatedData=LatestProvenanceResources')).status).toBe(202);
    await expectOutcome(await kickoffAt(baseUrl, '/$export', '?includeAssociatedData=_myPreset'), 400);
    const manifest = await completeAt(baseUrl, clock, '/$export', '?includeAssociatedData=_myPreset', LENIENT);
    expect(JSON.stringify(await fetchAllLines(manifest.error))).toContain('_myPreset');
  });
});

describe('file size parameters', () => {
  it.each(['0', '-5', '1.5', 'big', '1e3'])('refuses _maximumFileSize=%s with 400', async (value) => {
    const { baseUrl } = await startServer();
    await expectOutcome(await kickoffAt(baseUrl, '/$export', `?_maximumFileSize=${value}`), 400);
  });

  it('refuses _maximumFileSize not greater than _minimumFileSize', async () => {
    const { baseUrl } = await startServer();
    await expectOutcome(await kickoffAt(baseUrl, '/$export', '?_maximumFileSize=1000&_minimumFileSize=1000'), 400);
  });

  it('accepts a positive integer given as valueInteger in a POST body', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    const body = JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: '_maximumFileSize', valueInteger: 2048 }] });
    const res = await fetch(`${baseUrl}/$export`, { method: 'POST', headers: { Prefer: 'respond-async' }, body });
    const manifest = await fetchManifest(await statusUrlOf(res), clock);
    expect(manifest.output.length).toBeGreaterThan(5);
  });
});

describe('POST kick-off', () => {
  it('joins repeated Parameters entries like a comma-delimited list', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    const res = await postKickoff(baseUrl, '/$export', [['_type', 'Encounter'], ['_type', 'Patient,Condition']]);
    const manifest = await fetchManifest(await statusUrlOf(res), clock);
    expect(typesOf(manifest)).toEqual(['Patient', 'Encounter', 'Condition']);
    expect(manifest.request).toBe(`${baseUrl}/$export`);
  });
});
