import { afterEach, describe, expect, it } from 'vitest';
import { fetchAllLines, fetchManifest, kickoffAt, postKickoff, statusUrlOf, typesOf } from './bulk-helpers.js';
import { closeAllServers, createFakeClock, expectOutcome, startServer } from './helpers.js';

afterEach(closeAllServers);

describe('bulkVersion: v4 (Bulk Data 4.0 shape)', () => {
  it.each(['/$export', '/Patient/$export', '/Group/g1/$export'])('refuses a GET kick-off at %s with 405 + Allow: POST', async (path) => {
    const { baseUrl } = await startServer({ bulkVersion: 'v4' });
    const res = await kickoffAt(baseUrl, path);
    const outcome = await expectOutcome(res, 405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(outcome.issue[0]?.diagnostics).toMatch(/POST/);
  });

  it('accepts POST and serves a manifest with outcome instead of error and without request', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, bulkVersion: 'v4' });
    const res = await postKickoff(baseUrl, '/Patient/$export', [['_type', 'Patient'], ['_type', 'Observation'], ['conformance-test-unknown', '1']], 'respond-async, handling=lenient');
    const manifest = await fetchManifest(await statusUrlOf(res), clock);
    expect(manifest).not.toHaveProperty('request');
    expect(manifest).not.toHaveProperty('error');
    expect(manifest).not.toHaveProperty('extension');
    expect(typesOf(manifest)).toEqual(['Patient', 'Observation']);
    expect(manifest.requiresAccessToken).toBe(false);
    expect(manifest.outcome).toHaveLength(1);
    expect((await fetchAllLines(manifest.outcome)).map((line) => line['resourceType'])).toEqual(['OperationOutcome']);
  });

  it('keeps an empty outcome array when there are no messages, and deleted with _since', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, bulkVersion: 'v4' });
    const res = await postKickoff(baseUrl, '/$export', [['_since', '2000-01-01T00:00:00Z']]);
    const manifest = await fetchManifest(await statusUrlOf(res), clock);
    expect(manifest.outcome).toEqual([]);
    expect(manifest.deleted?.length).toBe(1);
  });

  it('rejects an unknown bulkVersion option', async () => {
    await expect(startServer({ bulkVersion: 'v5' as 'v2' })).rejects.toThrow(/bulkVersion/);
  });
});

describe('bulkVersion: v3 (Bulk Data v3 shape)', () => {
  it('accepts a GET kick-off with organizeOutputBy, and serves a v2-style manifest (request, error) with outputOrganizedBy', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, bulkVersion: 'v3' });
    const res = await kickoffAt(baseUrl, '/$export?organizeOutputBy=Patient');
    expect(res.status).toBe(202);
    const manifest = await fetchManifest(await statusUrlOf(res), clock);
    expect(manifest['request']).toMatch(/organizeOutputBy=Patient$/);
    expect(manifest.error).toEqual([]);
    expect(manifest).not.toHaveProperty('outcome');
    expect((manifest as { outputOrganizedBy?: string }).outputOrganizedBy).toBe('Patient');
    const first = (await fetchAllLines(manifest.output.slice(0, 1)))[0];
    expect(first?.['resourceType']).toBe('Parameters');
  });

  it('is refused organizeOutputBy as unknown in the v2 shape', async () => {
    const { baseUrl } = await startServer({});
    await expectOutcome(await kickoffAt(baseUrl, '/$export?organizeOutputBy=Patient'), 400);
  });
});
