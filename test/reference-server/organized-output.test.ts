import { afterEach, describe, expect, it } from 'vitest';
import { completeAt, fetchLines, kickoffAt, postKickoff, statusUrlOf, type Line } from './bulk-helpers.js';
import { completeOrganized } from './organized-fault-cases.js';
import { closeAllServers, createFakeClock, expectOutcome, get, startServer } from './helpers.js';

afterEach(closeAllServers);

const headerOf = (line: Line | undefined): unknown => (line?.['parameter'] as { valueReference?: { reference?: string } }[] | undefined)?.[0]?.valueReference?.reference;
const isHeader = (line: Line): boolean => line['resourceType'] === 'Parameters';

describe('organizeOutputBy=Patient (4.0 shape)', () => {
  it('serves Patient blocks headed by Parameters, continued blocks repeat the header and are named by continuesInFile', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, bulkVersion: 'v4', patientCount: 3 });
    const manifest = await completeOrganized(baseUrl, clock);
    expect(manifest.outputOrganizedBy).toBe('Patient');
    expect(manifest.output.length).toBeGreaterThan(1);
    const files: Line[][] = [];
    for (const item of manifest.output) {
      expect(item).not.toHaveProperty('type');
      const lines = await fetchLines(item.url);
      expect(item.count).toBe(lines.length);
      expect(isHeader(lines[0] ?? {})).toBe(true);
      files.push(lines);
    }
    const continued = manifest.output.flatMap((item, i) => (item.continuesInFile === undefined ? [] : [i]));
    expect(continued.length).toBeGreaterThan(0);
    for (const i of continued) {
      expect(manifest.output[i]?.continuesInFile).toBe(manifest.output[i + 1]?.url);
      expect(headerOf(files[i + 1]?.[0])).toBe(headerOf(files[i]?.filter(isHeader).at(-1)));
    }
    // Every resource of p2's compartment sits in a block headed by Patient/p2; Organizations are left out.
    const all = files.flat();
    let current: unknown;
    for (const line of all) {
      if (isHeader(line)) current = headerOf(line);
      else if (line['resourceType'] === 'Patient') expect(current).toBe(`Patient/${String(line['id'])}`);
      else expect(current).toBe((line['subject'] as { reference: string }).reference);
    }
    expect(all.some((line) => line['resourceType'] === 'Organization')).toBe(false);
    expect(new Set(all.filter(isHeader).map(headerOf))).toEqual(new Set(['Patient/p1', 'Patient/p2', 'Patient/p3']));
  });

  it('refuses organizeOutputBy with a type it cannot organize by (400), and the v2 shape refuses the parameter', async () => {
    const v4 = await startServer({ bulkVersion: 'v4' });
    await expectOutcome(await postKickoff(v4.baseUrl, '/$export', [['organizeOutputBy', 'Encounter']]), 400);
    const v2 = await startServer();
    await expectOutcome(await kickoffAt(v2.baseUrl, '/$export', '?organizeOutputBy=Patient'), 400);
  });
});

describe('attachments', () => {
  it('exports DocumentReferences whose absolute attachment url serves the note', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, patientCount: 2 });
    const manifest = await completeAt(baseUrl, clock, '/$export', '?_type=DocumentReference');
    const docs = await fetchLines(manifest.output[0]?.url ?? '');
    expect(docs.map((d) => d['id'])).toEqual(['p1-doc1', 'p2-doc1']);
    const attachment = (docs[0]?.['content'] as { attachment: { url: string; data?: string; contentType: string } }[])[0]?.attachment;
    expect(attachment?.data).toBeUndefined();
    expect(attachment?.url.startsWith(`${baseUrl}/_files/`)).toBe(true);
    const res = await get(attachment?.url ?? '');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toMatch(/Patient\/p1/);
    expect((await get(`${attachment?.url ?? ''}x`)).status).toBe(404);
  });

  it('serves no attachment before the job completes', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    const statusUrl = await statusUrlOf(await kickoffAt(baseUrl, '/$export', '?_type=DocumentReference'));
    clock.advance(60_000);
    const manifest = (await (await get(statusUrl, { Accept: 'application/json' })).json()) as { output: { url: string }[] };
    const fileKey = new URL(manifest.output[0]?.url ?? '').pathname.split('/')[2];
    const early = await statusUrlOf(await kickoffAt(baseUrl, '/$export', '?_type=DocumentReference'));
    const earlyKey = early.split('/').pop();
    expect(fileKey).toBeDefined();
    expect((await get(`${baseUrl}/_files/${earlyKey ?? ''}/attachment-p1-doc1.txt`)).status).toBe(404);
  });
});
