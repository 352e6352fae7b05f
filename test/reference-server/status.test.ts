import { afterEach, describe, expect, it } from 'vitest';
import {
  START,
  closeAllServers,
  createFakeClock,
  expectOutcome,
  get,
  mediaType,
  startExport,
  startServer,
  type Manifest,
} from './helpers.js';

afterEach(closeAllServers);

const ACCEPT_JSON = { Accept: 'application/json' };

describe('status polling', () => {
  it('answers 202 with Retry-After and X-Progress while running, then 200 with the manifest', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, jobDurationMs: 10_000 });
    const statusUrl = await startExport(baseUrl);

    const first = await get(statusUrl, ACCEPT_JSON);
    expect(first.status).toBe(202);
    expect(first.headers.get('retry-after')).toBe('1');
    expect(first.headers.get('x-progress')).toBe('0% complete');

    clock.advance(4_200);
    const second = await get(statusUrl, ACCEPT_JSON);
    expect(second.status).toBe(202);
    const progress = second.headers.get('x-progress') ?? '';
    expect(progress).toBe('42% complete');
    expect(progress.length).toBeLessThan(100);

    clock.advance(5_800);
    const done = await get(statusUrl, ACCEPT_JSON);
    expect(done.status).toBe(200);
    expect(mediaType(done)).toBe('application/json');
    const expires = Date.parse(done.headers.get('expires') ?? '');
    expect(expires).toBe(START + 10_000 + 3_600_000);

    const manifest = (await done.json()) as Manifest;
    expect(manifest.transactionTime).toBe(new Date(START).toISOString());
    expect(manifest.request).toBe(`${baseUrl}/$export`);
    expect(manifest.requiresAccessToken).toBe(false);
    expect(manifest.error).toEqual([]);
    expect(manifest.output.map((item) => item.type)).toEqual(['Patient', 'Observation', 'Encounter', 'Condition', 'DocumentReference', 'Organization']);
    for (const item of manifest.output) {
      expect(new URL(item.url).protocol).toBe('http:');
      expect(typeof item.count).toBe('number');
    }
  });

  it('reports the kick-off URL exactly as received in manifest.request', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    const query = '?_type=Patient&_outputFormat=ndjson';
    const statusUrl = await startExport(baseUrl, query);
    clock.advance(1_000);
    const manifest = (await (await get(statusUrl)).json()) as Manifest;
    expect(manifest.request).toBe(`${baseUrl}/$export${query}`);
  });

  it('uses publicBaseUrl for every absolute URL when configured', async () => {
    const clock = createFakeClock();
    const publicBaseUrl = 'https://fhir.example.org/r4';
    const server = await startServer({ clock, publicBaseUrl });
    const kick = await fetch(`${server.baseUrl}/$export`, { headers: { Prefer: 'respond-async' } });
    const location = kick.headers.get('content-location') ?? '';
    expect(location.startsWith(`${publicBaseUrl}/_async/`)).toBe(true);
  });

  it('sends Retry-After as an IMF-fixdate in the http-date form', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, retryAfter: { form: 'http-date', seconds: 5 } });
    const statusUrl = await startExport(baseUrl);
    const res = await get(statusUrl);
    expect(res.status).toBe(202);
    const value = res.headers.get('retry-after') ?? '';
    expect(value).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    expect(Date.parse(value)).toBe(START + 5_000);
  });

  it('keeps answering 200 for repeated polls after completion', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    const statusUrl = await startExport(baseUrl);
    clock.advance(2_000);
    expect((await get(statusUrl)).status).toBe(200);
    expect((await get(statusUrl)).status).toBe(200);
  });

  it('forgets a finished job an hour after completion (404 + OperationOutcome)', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, jobDurationMs: 1_000 });
    const statusUrl = await startExport(baseUrl);
    clock.advance(1_000 + 3_600_000 - 1);
    expect((await get(statusUrl)).status).toBe(200);
    clock.advance(1);
    await expectOutcome(await get(statusUrl), 404);
  });

  it('answers a mutated status URL with 404 + OperationOutcome', async () => {
    const { baseUrl } = await startServer();
    const statusUrl = await startExport(baseUrl);
    await expectOutcome(await get(`${statusUrl}x`), 404);
  });
});
