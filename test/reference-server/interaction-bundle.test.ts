import { afterEach, describe, expect, it } from 'vitest';
import { closeAllServers, createFakeClock, expectOutcome, get, mediaType, startServer } from './helpers.js';
import {
  completeBundle,
  finish,
  NEW_PATIENT,
  reindexBody,
  send,
  startAsync,
  type CompletionBundle,
} from './interaction-helpers.js';

afterEach(closeAllServers);

describe('asynchronous interactions, Bundle mode', () => {
  it('kicks off with 202, absolute Content-Location, Vary, Preference-Applied and an informational OperationOutcome', async () => {
    const { baseUrl } = await startServer();
    const res = await send(baseUrl, { path: '/Patient/p1', prefer: 'respond-async' });
    expect(res.status).toBe(202);
    expect(res.headers.get('content-location')).toMatch(new RegExp(`^${baseUrl}/_async/[0-9a-f]{32}$`));
    expect(res.headers.get('vary')).toBe('Prefer');
    expect(res.headers.get('preference-applied')).toBe('respond-async');
    const body = await expectOutcome(res, 202);
    expect(body.issue[0]?.severity).toBe('information');
  });

  it('answers 202 with Retry-After and X-Progress while running, then 200 with a batch-response Bundle', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, timings: { interaction: 10_000 } });
    const statusUrl = await startAsync(baseUrl, { path: '/Patient/p1' });
    const first = await get(statusUrl);
    expect(first.status).toBe(202);
    expect(first.headers.get('retry-after')).toBe('1');
    expect(first.headers.get('x-progress')).toBe('0% complete');
    clock.advance(4_200);
    const second = await get(statusUrl);
    expect(second.status).toBe(202);
    expect(second.headers.get('x-progress')).toBe('42% complete');
    clock.advance(5_800);
    const done = await get(statusUrl);
    expect(done.status).toBe(200);
    expect(mediaType(done)).toBe('application/fhir+json');
    const bundle = (await done.json()) as CompletionBundle;
    expect(bundle.resourceType).toBe('Bundle');
    expect(bundle.type).toBe('batch-response');
    expect(bundle.entry).toHaveLength(1);
    expect(bundle.entry[0]?.response?.status).toBe('200 OK');
    expect(bundle.entry[0]?.response?.etag).toBe('W/"1"');
    expect(bundle.entry[0]?.resource?.resourceType).toBe('Patient');
    expect((await get(statusUrl)).status).toBe(200);
  });

  it('reports a create: 201 Created, relative location, the resource (return=representation)', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    const bundle = await completeBundle(baseUrl, clock, {
      path: '/Patient',
      body: NEW_PATIENT,
      prefer: 'respond-async, return=representation',
    });
    const entry = bundle.entry[0];
    expect(entry?.response?.status).toMatch(/^201/);
    expect(entry?.response?.location).toMatch(/^Patient\/[0-9a-f-]{36}\/_history\/1$/);
    expect(entry?.resource?.resourceType).toBe('Patient');
    expect(entry?.fullUrl).toBe(`${baseUrl}/Patient/${String(entry?.resource?.['id'])}`);
  });

  it('leaves the resource out under return=minimal and echoes it in Preference-Applied', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    const res = await send(baseUrl, { path: '/Patient', body: NEW_PATIENT, prefer: 'respond-async, return=minimal' });
    expect(res.headers.get('preference-applied')).toBe('respond-async, return=minimal');
    const done = await finish(res.headers.get('content-location') ?? '', clock);
    const entry = ((await done.json()) as CompletionBundle).entry[0];
    expect(entry?.response?.status).toBe('201 Created');
    expect(entry?.response?.location).toMatch(/^Patient\//);
    expect(entry?.resource).toBeUndefined();
  });

  it('runs the interaction at completion, not at kick-off', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    const statusUrl = await startAsync(baseUrl, { path: '/Patient', body: { ...NEW_PATIENT, name: [{ family: 'Later' }] } });
    const before = (await (await send(baseUrl, { path: '/Patient?name=Later' })).json()) as { total: number };
    expect(before.total).toBe(0);
    expect((await finish(statusUrl, clock)).status).toBe(200);
    const after = (await (await send(baseUrl, { path: '/Patient?name=Later' })).json()) as { total: number };
    expect(after.total).toBe(1);
  });

  it('nests a search result as a searchset Bundle', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    const bundle = await completeBundle(baseUrl, clock, { path: '/Patient?_count=3' });
    expect(bundle.entry[0]?.response?.status).toBe('200 OK');
    expect(bundle.entry[0]?.resource?.type).toBe('searchset');
    expect(bundle.entry[0]?.resource?.['entry']).toHaveLength(3);
  });

  it.each([
    ['a read of an unknown id', { path: '/Patient/nobody' }, '404'],
    ['a create with a body of another type', { path: '/Patient', body: { resourceType: 'Observation' } }, '400'],
    ['$reindex without its required type', { path: '/$reindex', body: reindexBody() }, '400'],
  ])('completes %s with 200 and the error in entry[0] (BUN-03)', async (_label, call, code) => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    const done = await finish(await startAsync(baseUrl, call), clock);
    expect(done.status).toBe(200);
    const entry = ((await done.json()) as CompletionBundle).entry[0];
    expect(entry?.response?.status.startsWith(code)).toBe(true);
    expect(entry?.response?.outcome?.resourceType).toBe('OperationOutcome');
    expect(entry?.resource).toBeUndefined();
  });

  it('runs a batch asynchronously: entry[0].resource is the batch-response', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    const body = { resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'GET', url: 'Patient/p1' } }] };
    const bundle = await completeBundle(baseUrl, clock, { path: '/', body });
    expect(bundle.entry[0]?.response?.status).toBe('200 OK');
    expect(bundle.entry[0]?.resource?.type).toBe('batch-response');
  });

  it('gives $reindex its own (longer) duration and reports the Parameters result', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, timings: { interaction: 1_000, reindex: 5_000 } });
    const statusUrl = await startAsync(baseUrl, { path: '/$reindex', body: reindexBody('Observation') });
    clock.advance(4_999);
    expect((await get(statusUrl)).status).toBe(202);
    clock.advance(1);
    const done = await get(statusUrl);
    const entry = ((await done.json()) as CompletionBundle).entry[0];
    expect(entry?.response?.status).toBe('200 OK');
    expect(entry?.resource?.resourceType).toBe('Parameters');
  });

  it('serves the completion in the format the kick-off Accept asked for', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    const statusUrl = await startAsync(baseUrl, { path: '/Patient/p1', headers: { Accept: 'application/json' } });
    expect(mediaType(await finish(statusUrl, clock))).toBe('application/json');
    await expectOutcome(await send(baseUrl, { path: '/Patient/p1', prefer: 'respond-async', headers: { Accept: 'text/html' } }), 406);
  });

  it('rejects an invalid request at kick-off instead of deferring it', async () => {
    const { baseUrl } = await startServer();
    await expectOutcome(await send(baseUrl, { path: '/Patient?bogus=1', prefer: 'respond-async' }), 400);
    await expectOutcome(await send(baseUrl, { path: '/Patient', body: '{', prefer: 'respond-async' }), 400);
  });

  it('answers 429 + Retry-After at kick-off when maxJobs are held', async () => {
    const { baseUrl } = await startServer({ maxJobs: 2 });
    await startAsync(baseUrl, { path: '/Patient/p1' });
    await startAsync(baseUrl, { path: '/Patient/p2' });
    const full = await send(baseUrl, { path: '/Patient/p3', prefer: 'respond-async' });
    await expectOutcome(full, 429);
    expect(full.headers.get('retry-after')).toBe('1');
  });

  it('forgets a finished job after jobRetentionMs (404)', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, timings: { interaction: 1_000 }, jobRetentionMs: 5_000 });
    const statusUrl = await startAsync(baseUrl, { path: '/Patient/p1' });
    clock.advance(5_999);
    expect((await get(statusUrl)).status).toBe(200);
    clock.advance(1);
    await expectOutcome(await get(statusUrl), 404);
  });
});
