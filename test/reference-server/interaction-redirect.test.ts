import { afterEach, describe, expect, it } from 'vitest';
import { closeAllServers, createFakeClock, del, expectOutcome, get, startServer } from './helpers.js';
import {
  completeRedirect,
  finish,
  NEW_PATIENT,
  reindexBody,
  send,
  snapshot,
  startAsync,
  type Call,
} from './interaction-helpers.js';

afterEach(closeAllServers);

const REDIRECT = 'respond-async, async-mode=redirect';

describe('asynchronous interactions, redirect mode', () => {
  it('kicks off with Preference-Applied: respond-async, async-mode=redirect and ends in an empty 303 to an absolute result URL', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    const res = await send(baseUrl, { path: '/Patient/p1', prefer: REDIRECT });
    expect(res.status).toBe(202);
    expect(res.headers.get('preference-applied')).toBe('respond-async, async-mode=redirect');
    const statusUrl = res.headers.get('content-location') ?? '';
    expect((await get(statusUrl)).status).toBe(202);
    const done = await finish(statusUrl, clock);
    expect(done.status).toBe(303);
    expect(await done.text()).toBe('');
    expect(done.headers.get('content-length')).toBe('0');
    const location = done.headers.get('location') ?? '';
    expect(location).toMatch(new RegExp(`^${baseUrl}/_result/[0-9a-f]{32}$`));
    expect(location.slice(-32)).not.toBe(statusUrl.slice(-32));
    expect((await get(statusUrl)).status).toBe(303);
  });

  it.each<[string, Call]>([
    ['a read', { path: '/Patient/p1' }],
    ['a failed read', { path: '/Patient/nobody' }],
    ['a search', { path: '/Patient?_count=2&name=a' }],
    ['$reindex', { path: '/$reindex', body: reindexBody('Patient') }],
    ['$reindex without its required type', { path: '/$reindex', body: reindexBody() }],
    ['a create of the wrong type', { path: '/Patient', body: { resourceType: 'Observation' } }],
  ])('serves %s on the result URL exactly as synchronously, on every fetch', async (_label, call) => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    const sync = await snapshot(await send(baseUrl, call));
    const resultUrl = await completeRedirect(baseUrl, clock, call);
    const first = await snapshot(await get(resultUrl));
    expect(first).toEqual(sync);
    clock.advance(600_000);
    expect(await snapshot(await get(resultUrl))).toEqual(first);
  });

  it('serves a create as 201 with Location, ETag and the body the return preference asks for', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    const resultUrl = await completeRedirect(baseUrl, clock, {
      path: '/Patient',
      body: NEW_PATIENT,
      prefer: `${REDIRECT}, return=minimal`,
    });
    const res = await get(resultUrl);
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toMatch(new RegExp(`^${baseUrl}/Patient/[0-9a-f-]{36}/_history/1$`));
    expect(res.headers.get('etag')).toBe('W/"1"');
    expect(res.headers.get('preference-applied')).toBe('return=minimal');
    expect(await res.text()).toBe('');
    const again = await get(resultUrl);
    expect(again.headers.get('location')).toBe(res.headers.get('location'));
  });

  it('has no result before completion, and none after DELETE of the finished job', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    const resultUrl = await completeRedirect(baseUrl, clock, { path: '/Patient/p1' });
    expect((await get(resultUrl)).status).toBe(200);
    const statusUrl = await startAsync(baseUrl, { path: '/Patient/p1', prefer: REDIRECT });
    expect((await get(statusUrl)).status).toBe(202);
    const done = await finish(statusUrl, clock);
    const second = done.headers.get('location') ?? '';
    expect((await get(second)).status).toBe(200);
    expect((await del(statusUrl)).status).toBe(202);
    await expectOutcome(await get(second), 404);
    await expectOutcome(await get(statusUrl), 404);
    await expectOutcome(await get(`${baseUrl}/_result/${'0'.repeat(32)}`), 404);
    expect((await get(resultUrl)).status).toBe(200);
  });

  it('rejects an invalid request at kick-off with 4xx, never 202 (REDIRECT-06)', async () => {
    const { baseUrl } = await startServer();
    await expectOutcome(await send(baseUrl, { path: '/Patient?bogus=1', prefer: REDIRECT }), 400);
    const unknownParam = { resourceType: 'Parameters', parameter: [{ name: 'all', valueBoolean: true }] };
    await expectOutcome(await send(baseUrl, { path: '/$reindex', body: unknownParam, prefer: REDIRECT }), 400);
  });
});
