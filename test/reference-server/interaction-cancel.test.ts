import { afterEach, describe, expect, it } from 'vitest';
import { closeAllServers, createFakeClock, del, expectOutcome, get, mediaType, startServer } from './helpers.js';
import { finish, NEW_PATIENT, send, startAsync } from './interaction-helpers.js';

afterEach(closeAllServers);

describe('cancelling interaction jobs (DELETE on the status URL)', () => {
  it('answers 202 for a running job; afterwards GET and DELETE answer 404 + OperationOutcome', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    const statusUrl = await startAsync(baseUrl, { path: '/Patient/p1' });
    const res = await del(statusUrl);
    expect(res.status).toBe(202);
    expect(mediaType(res)).toBe('application/fhir+json');
    expect(((await res.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
    await expectOutcome(await get(statusUrl), 404);
    await expectOutcome(await del(statusUrl), 404);
    clock.advance(60_000);
    await expectOutcome(await get(statusUrl), 404);
  });

  it('never runs a create that was cancelled while running', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    const statusUrl = await startAsync(baseUrl, { path: '/Patient', body: { ...NEW_PATIENT, name: [{ family: 'Cancelled' }] } });
    expect((await del(statusUrl)).status).toBe(202);
    clock.advance(60_000);
    await expectOutcome(await get(statusUrl), 404);
    const search = (await (await send(baseUrl, { path: '/Patient?name=Cancelled' })).json()) as { total: number };
    expect(search.total).toBe(0);
  });

  it('answers 202 for a finished job and removes its result and output file', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    const redirect = await startAsync(baseUrl, { path: '/Patient/p1', prefer: 'respond-async, async-mode=redirect' });
    const resultUrl = (await finish(redirect, clock)).headers.get('location') ?? '';
    expect((await get(resultUrl)).status).toBe(200);
    expect((await del(redirect)).status).toBe(202);
    await expectOutcome(await get(redirect), 404);
    await expectOutcome(await get(resultUrl), 404);

    const bulk = await startAsync(baseUrl, { path: '/Patient?_outputFormat=ndjson' });
    const manifest = (await (await finish(bulk, clock)).json()) as { output: { url: string }[] };
    const fileUrl = manifest.output[0]?.url ?? '';
    expect((await get(fileUrl)).status).toBe(200);
    expect((await del(bulk)).status).toBe(202);
    await expectOutcome(await get(fileUrl), 404);
  });

  it('answers 404 + OperationOutcome to DELETE on an unknown status URL', async () => {
    const { baseUrl } = await startServer();
    await expectOutcome(await del(`${baseUrl}/_async/${'f'.repeat(32)}`), 404);
  });
});
