import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { completeAt, fetchAllLines, keysOf, kickoffAt, rawGet, statusUrlOf, type BulkManifest, LENIENT } from './bulk-helpers.js';
import { START, closeAllServers, createFakeClock, del, expectOutcome, get, parseNdjson, startServer } from './helpers.js';

afterEach(closeAllServers);

const HOUR = 3_600_000;

async function totalLines(manifest: BulkManifest): Promise<number> {
  return (await fetchAllLines(manifest.output)).length;
}

describe('_maximumFileSize', () => {
  it('splits each type into files of at most that many bytes, keeping every resource once', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, patientCount: 6 });
    const whole = await completeAt(baseUrl, clock, '/$export');
    const split = await completeAt(baseUrl, clock, '/$export', '?_maximumFileSize=1000&_minimumFileSize=10');
    expect(split.output.length).toBeGreaterThan(whole.output.length);
    for (const item of split.output) {
      const res = await rawGet(item.url);
      expect(res.status).toBe(200);
      const lines = parseNdjson(res.body.toString('utf8'));
      expect(lines).toHaveLength(Number(item.count));
      if (lines.length > 1) expect(res.body.length).toBeLessThanOrEqual(1000);
      for (const line of lines) expect(line['resourceType']).toBe(item.type);
    }
    expect(keysOf(await fetchAllLines(split.output))).toEqual(keysOf(await fetchAllLines(whole.output)));
  });

  it('gives a resource larger than the maximum a file of its own', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, patientCount: 3 });
    const manifest = await completeAt(baseUrl, clock, '/$export', '?_type=Patient&_maximumFileSize=1');
    expect(manifest.output.map((item) => item.count)).toEqual([1, 1, 1]);
    expect(await totalLines(manifest)).toBe(3);
  });
});

describe('compression (Accept-Encoding)', () => {
  it('gzips files with Content-Encoding: gzip when the client accepts gzip', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, patientCount: 2 });
    const url = (await completeAt(baseUrl, clock, '/$export')).output[0]?.url ?? '';
    const plain = await rawGet(url);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const gzipped = await rawGet(url, { 'Accept-Encoding': 'br;q=0.5, gzip' });
    expect(gzipped.status).toBe(200);
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers['content-type']).toMatch(/^application\/fhir\+ndjson/);
    expect(gzipped.body.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(gunzipSync(gzipped.body).toString('utf8')).toBe(plain.body.toString('utf8'));
  });

  it.each(['gzip;q=0', 'identity', 'br'])('sends the file uncompressed for Accept-Encoding: %s', async (value) => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, patientCount: 1 });
    const url = (await completeAt(baseUrl, clock, '/$export')).output[0]?.url ?? '';
    const res = await rawGet(url, { 'Accept-Encoding': value });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(parseNdjson(res.body.toString('utf8'))).toHaveLength(1);
  });

  it('serves a file with and without Accept', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, patientCount: 1 });
    const url = (await completeAt(baseUrl, clock, '/$export')).output[0]?.url ?? '';
    expect((await rawGet(url)).status).toBe(200);
    expect((await rawGet(url, { Accept: 'application/fhir+ndjson' })).status).toBe(200);
  });
});

describe('deleted resources', () => {
  it('lists transaction Bundles of DELETE entries when _since was given, never also in output', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, patientCount: 5 });
    const since = encodeURIComponent(new Date(START - 2.5 * HOUR).toISOString());
    const manifest = await completeAt(baseUrl, clock, '/$export', `?_since=${since}`);
    expect(manifest.deleted).toHaveLength(1);
    expect(manifest.deleted?.[0]?.type).toBe('Bundle');
    const bundles = await fetchAllLines(manifest.deleted);
    expect(bundles).toHaveLength(Number(manifest.deleted?.[0]?.count));
    const urls = bundles.flatMap((bundle) => {
      expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'transaction' });
      const entries = bundle['entry'] as { request: { method: string; url: string } }[];
      return entries.map((entry) => {
        expect(entry.request.method).toBe('DELETE');
        return entry.request.url;
      });
    });
    expect(urls).toEqual(['Observation/p1-obs0', 'Observation/p2-obs0', 'Observation/p3-obs0']);
    const output = new Set(keysOf(await fetchAllLines(manifest.output)));
    for (const url of urls) expect(output.has(url)).toBe(false);
  });

  it('leaves deleted out without _since, and empty when nothing was deleted since then', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, patientCount: 2 });
    expect((await completeAt(baseUrl, clock, '/$export')).deleted).toBeUndefined();
    const since = encodeURIComponent(new Date(START).toISOString());
    expect((await completeAt(baseUrl, clock, '/$export', `?_since=${since}`)).deleted).toEqual([]);
    const types = await completeAt(baseUrl, clock, '/$export', `?_type=Patient&_since=${encodeURIComponent(new Date(0).toISOString())}`);
    expect(types.deleted).toEqual([]);
  });

  it('limits deleted resources to the patients in scope of a Group export', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, patientCount: 4 });
    const since = encodeURIComponent(new Date(START - 100 * HOUR).toISOString());
    const manifest = await completeAt(baseUrl, clock, '/Group/g1/$export', `?_since=${since}`);
    const urls = (await fetchAllLines(manifest.deleted)).map((bundle) => JSON.stringify(bundle['entry']));
    expect(urls.join()).toMatch(/p1-obs0.*p3-obs0/);
    expect(urls.join()).not.toMatch(/p2-obs0|p4-obs0/);
  });
});

describe('manifest and file invariants', () => {
  it.each(['/$export', '/Patient/$export', '/Group/g1/$export'])(
    '%s: no resource after transactionTime, no duplicates, one type per file',
    async (path) => {
      const clock = createFakeClock();
      const { baseUrl } = await startServer({ clock, patientCount: 5 });
      const manifest = await completeAt(baseUrl, clock, path);
      const transactionTime = Date.parse(String(manifest.transactionTime));
      const lines = await fetchAllLines(manifest.output);
      for (const line of lines) {
        expect(Date.parse((line['meta'] as { lastUpdated: string }).lastUpdated)).toBeLessThanOrEqual(transactionTime);
      }
      expect(new Set(keysOf(lines)).size).toBe(lines.length);
      expect(manifest.output.map((item) => item.type)).not.toContain('Binary');
      expect(manifest.error).toEqual([]);
    },
  );
});

describe('cancellation of a finished export', () => {
  it('removes the output, error and deleted files (404 + OperationOutcome)', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, patientCount: 2 });
    const query = `?organizeOutputBy=Patient&_since=${encodeURIComponent(new Date(0).toISOString())}`;
    const statusUrl = await statusUrlOf(await kickoffAt(baseUrl, '/Patient/$export', query, LENIENT));
    clock.advance(60_000);
    const manifest = (await (await get(statusUrl)).json()) as BulkManifest;
    const urls = [manifest.output[0]?.url, manifest.error?.[0]?.url, manifest.deleted?.[0]?.url].map((url) => url ?? '');
    for (const url of urls) expect((await rawGet(url)).status).toBe(200);
    expect((await del(statusUrl)).status).toBe(202);
    for (const url of urls) await expectOutcome(await get(url), 404);
  });
});
