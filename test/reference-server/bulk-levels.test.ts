import { afterEach, describe, expect, it } from 'vitest';
import {
  completeAt,
  fetchAllLines,
  fetchManifest,
  keysOf,
  kickoffAt,
  postKickoff,
  statusUrlOf,
  typesOf,
  LENIENT,
} from './bulk-helpers.js';
import { closeAllServers, createFakeClock, expectOutcome, startServer } from './helpers.js';

afterEach(closeAllServers);

const COMPARTMENT = ['Patient', 'Observation', 'Encounter', 'Condition', 'DocumentReference'];

function subjectOf(line: Record<string, unknown>): string {
  if (line['resourceType'] === 'Patient') return `Patient/${String(line['id'])}`;
  const subject = line['subject'] as { reference?: string } | undefined;
  return subject?.reference ?? '';
}

describe('Patient-level export ([base]/Patient/$export)', () => {
  it('answers 202 to GET and exports the patient compartment of every patient (no Organization, no Binary)', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, patientCount: 4 });
    const manifest = await completeAt(baseUrl, clock, '/Patient/$export');
    expect(typesOf(manifest)).toEqual(COMPARTMENT);
    expect(manifest.request).toBe(`${baseUrl}/Patient/$export`);
    const lines = await fetchAllLines(manifest.output);
    expect(new Set(lines.map(subjectOf))).toEqual(new Set(['Patient/p1', 'Patient/p2', 'Patient/p3', 'Patient/p4']));
  });

  it('answers 202 to POST with a Parameters body; request then has no parameters', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    const res = await postKickoff(baseUrl, '/Patient/$export', [['_type', 'Patient']]);
    const manifest = await fetchManifest(await statusUrlOf(res), clock);
    expect(manifest.request).toBe(`${baseUrl}/Patient/$export`);
    expect(typesOf(manifest)).toEqual(['Patient']);
  });

  it('limits the export to the patient parameter (POST valueReference, or GET comma list)', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    const pairs = [['patient', 'Patient/p2'], ['patient', 'Patient/p5']] as const;
    const posted = await fetchManifest(await statusUrlOf(await postKickoff(baseUrl, '/Patient/$export', pairs)), clock);
    const lines = await fetchAllLines(posted.output);
    expect(new Set(lines.map(subjectOf))).toEqual(new Set(['Patient/p2', 'Patient/p5']));
    const viaGet = await completeAt(baseUrl, clock, '/Patient/$export', '?patient=Patient/p2,Patient/p5');
    expect(keysOf(await fetchAllLines(viaGet.output))).toEqual(keysOf(lines));
  });

  it('refuses an unknown patient with 400, or ignores and reports it under handling=lenient', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, patientCount: 3 });
    await expectOutcome(await kickoffAt(baseUrl, '/Patient/$export', '?patient=Patient/p99'), 400);
    const manifest = await completeAt(baseUrl, clock, '/Patient/$export', '?patient=Patient/p1,Patient/p99', LENIENT);
    expect(manifest.error).toHaveLength(1);
    const outcomes = await fetchAllLines(manifest.error);
    expect(JSON.stringify(outcomes)).toContain('Patient/p99');
    expect(new Set((await fetchAllLines(manifest.output)).map(subjectOf))).toEqual(new Set(['Patient/p1']));
  });

  it('refuses a type outside the Patient compartment with 400 + OperationOutcome', async () => {
    const { baseUrl } = await startServer();
    await expectOutcome(await kickoffAt(baseUrl, '/Patient/$export', '?_type=Organization'), 400);
  });

  it('refuses the patient parameter on a system-level export', async () => {
    const { baseUrl } = await startServer();
    await expectOutcome(await kickoffAt(baseUrl, '/$export', '?patient=Patient/p1'), 400);
  });
});

describe('Group-level export ([base]/Group/[id]/$export)', () => {
  it('exports the compartments of the Group members only (odd-numbered patients)', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, patientCount: 5 });
    const manifest = await completeAt(baseUrl, clock, '/Group/g1/$export');
    expect(manifest.request).toBe(`${baseUrl}/Group/g1/$export`);
    expect(typesOf(manifest)).toEqual(COMPARTMENT);
    const lines = await fetchAllLines(manifest.output);
    expect(new Set(lines.map(subjectOf))).toEqual(new Set(['Patient/p1', 'Patient/p3', 'Patient/p5']));
  });

  it('answers an unknown Group with 404 + OperationOutcome', async () => {
    const { baseUrl } = await startServer();
    const outcome = await expectOutcome(await kickoffAt(baseUrl, '/Group/nope/$export'), 404);
    expect(outcome.issue[0]?.code).toBe('not-found');
    await expectOutcome(await postKickoff(baseUrl, '/Group/nope/$export', []), 404);
  });

  it('refuses a patient that is not a member of the Group', async () => {
    const { baseUrl } = await startServer();
    await expectOutcome(await kickoffAt(baseUrl, '/Group/g1/$export', '?patient=Patient/p2'), 400);
    expect((await kickoffAt(baseUrl, '/Group/g1/$export', '?patient=Patient/p3')).status).toBe(202);
  });

  it('answers a wrong method with 405 and Allow', async () => {
    const { baseUrl } = await startServer();
    const res = await fetch(`${baseUrl}/Group/g1/$export`, { method: 'DELETE' });
    await expectOutcome(res, 405);
    expect(res.headers.get('allow')).toBe('GET, POST');
  });
});
