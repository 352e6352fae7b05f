import { afterEach, describe, expect, it } from 'vitest';
import { closeAllServers, createFakeClock, expectOutcome, get, mediaType, parseNdjson, START, startServer } from './helpers.js';
import { finish, NEW_PATIENT, send, startAsync } from './interaction-helpers.js';

afterEach(closeAllServers);

interface SearchManifest {
  transactionTime: string;
  request: string;
  requiresAccessToken: unknown;
  output: { type: string; url: string; count: number }[];
  error: unknown[];
}

describe('a search with _outputFormat runs in the bulk pattern (KICKOFF-10)', () => {
  it.each(['application/fhir+ndjson', 'application/ndjson', 'ndjson'])(
    '_outputFormat=%s: 202, then a manifest with one NDJSON file of every match',
    async (format) => {
      const clock = createFakeClock();
      const { baseUrl } = await startServer({ clock });
      const path = `/Observation?subject=p2&_count=1&_outputFormat=${encodeURIComponent(format)}`;
      const statusUrl = await startAsync(baseUrl, { path });
      expect((await get(statusUrl)).status).toBe(202);
      const done = await finish(statusUrl, clock);
      expect(done.status).toBe(200);
      expect(mediaType(done)).toBe('application/json');
      expect(Date.parse(done.headers.get('expires') ?? '')).toBeGreaterThan(START);
      const manifest = (await done.json()) as SearchManifest;
      expect(manifest.request).toBe(`${baseUrl}${path}`);
      expect(manifest.requiresAccessToken).toBe(false);
      expect(manifest.error).toEqual([]);
      expect(manifest.output).toHaveLength(1);
      expect(manifest.output[0]).toMatchObject({ type: 'Observation', count: 3 });
      const file = await get(manifest.output[0]?.url ?? '');
      expect(file.status).toBe(200);
      expect(mediaType(file)).toBe('application/fhir+ndjson');
      expect(parseNdjson(await file.text()).map((resource) => resource['id'])).toEqual(['p2-obs1', 'p2-obs2', 'p2-obs3']);
    },
  );

  it('gives an empty output array when nothing matches', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    const done = await finish(await startAsync(baseUrl, { path: '/Patient?name=Zzz&_outputFormat=ndjson' }), clock);
    expect(((await done.json()) as SearchManifest).output).toEqual([]);
  });

  it.each([
    ['/Patient?_outputFormat=text/csv', 'respond-async', 'an unsupported format'],
    ['/Patient/p1?_outputFormat=ndjson', 'respond-async', 'a read'],
    ['/Patient?_outputFormat=ndjson', undefined, 'no respond-async'],
    ['/Patient?_outputFormat=ndjson', 'respond-async, async-mode=redirect', 'async-mode=redirect'],
    ['/Patient?_outputFormat=ndjson&_outputFormat=ndjson', 'respond-async', 'a repeated _outputFormat'],
  ])('rejects %s with Prefer %s (%s): 400 + OperationOutcome', async (path, prefer, _label) => {
    const { baseUrl } = await startServer();
    await expectOutcome(await send(baseUrl, { path, ...(prefer === undefined ? {} : { prefer }) }), 400);
  });

  it('rejects _outputFormat on a create without creating anything', async () => {
    const { baseUrl } = await startServer();
    const body = { ...NEW_PATIENT, name: [{ family: 'Bulky' }] };
    await expectOutcome(await send(baseUrl, { path: '/Patient?_outputFormat=ndjson', body, prefer: 'respond-async' }), 400);
    expect(((await (await send(baseUrl, { path: '/Patient?name=Bulky' })).json()) as { total: number }).total).toBe(0);
  });

  it('answers 404 for an output file of an unknown job or with the wrong name', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    const manifest = (await (await finish(await startAsync(baseUrl, { path: '/Patient?_outputFormat=ndjson' }), clock)).json()) as SearchManifest;
    const url = manifest.output[0]?.url ?? '';
    await expectOutcome(await get(url.replace(/1\.ndjson$/, '2.ndjson')), 404);
    await expectOutcome(await get(`${baseUrl}/_output/${'0'.repeat(32)}/1.ndjson`), 404);
  });
});
