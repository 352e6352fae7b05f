import { afterEach, describe, expect, it } from 'vitest';
import { closeAllServers, createFakeClock, expectOutcome, startServer } from './helpers.js';
import { finish, NEW_PATIENT, rawRequest, send } from './interaction-helpers.js';

afterEach(closeAllServers);

const READ = { path: '/Patient/p1' };

describe('RFC 7240 negotiation on REST interactions', () => {
  it('answers synchronously without respond-async, with Vary: Prefer', async () => {
    const { baseUrl } = await startServer();
    const res = await send(baseUrl, READ);
    expect(res.status).toBe(200);
    expect(res.headers.get('vary')).toBe('Prefer');
    expect(res.headers.get('preference-applied')).toBeNull();
  });

  it.each([
    ['respond-async', 'respond-async'],
    ['RESPOND-ASYNC', 'respond-async'],
    ['Respond-Async=""', 'respond-async'],
    ['respond-async; foo; bar="x"', 'respond-async'],
    ['x-unknown=1, respond-async, x-other', 'respond-async'],
    ['wait=0, respond-async', 'respond-async'],
    ['respond-async, async-mode=callback', 'respond-async'],
    ['respond-async, async-mode=Redirect', 'respond-async'],
    ['respond-async, async-mode=bundle', 'respond-async, async-mode=bundle'],
    ['respond-async, ASYNC-MODE=redirect; p=1', 'respond-async, async-mode=redirect'],
    ['respond-async, handling=lenient', 'respond-async, handling=lenient'],
  ])('Prefer: %s -> 202, Preference-Applied: %s', async (prefer, applied) => {
    const { baseUrl } = await startServer();
    const res = await send(baseUrl, { ...READ, prefer });
    expect(res.status).toBe(202);
    expect(res.headers.get('preference-applied')).toBe(applied);
    expect(res.headers.get('vary')).toBe('Prefer');
    expect(new URL(res.headers.get('content-location') ?? '').pathname).toMatch(/^\/_async\/[0-9a-f]{32}$/);
  });

  it('ignores a value on an unknown async-mode and falls back to Bundle mode (values are case-sensitive)', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    const res = await send(baseUrl, { ...READ, prefer: 'respond-async, async-mode=REDIRECT' });
    const done = await finish(res.headers.get('content-location') ?? '', clock);
    expect(done.status).toBe(200);
    expect(((await done.json()) as { type: string }).type).toBe('batch-response');
  });

  it('reads every Prefer header line (PREFER-03)', async () => {
    const { baseUrl } = await startServer();
    const res = await rawRequest(`${baseUrl}/Patient/p1`, 'GET', { Prefer: ['handling=lenient', 'respond-async'] });
    expect(res.status).toBe(202);
    expect(res.headers['preference-applied']).toBe('respond-async, handling=lenient');
  });

  it('keeps the first of a repeated preference (PREFER-04)', async () => {
    const { baseUrl } = await startServer();
    const res = await send(baseUrl, { path: '/Patient', body: NEW_PATIENT, prefer: 'return=minimal, return=representation' });
    expect(res.status).toBe(201);
    expect(res.headers.get('preference-applied')).toBe('return=minimal');
    expect(await res.text()).toBe('');
  });

  it.each([
    'respond-async garbage, ,,;',
    '"', '=', ';', ',', 'respond-async="unterminated', 'respond-async;;;=;',
    `respond-async, ${'x'.repeat(4_000)}`,
    'respond-async\\, wait=\\"',
  ])('never fails on a malformed Prefer: %j', async (prefer) => {
    const { baseUrl } = await startServer();
    const res = await send(baseUrl, { ...READ, prefer });
    expect([200, 202]).toContain(res.status);
  });

  it('echoes return and handling on synchronous answers when honoured', async () => {
    const { baseUrl } = await startServer();
    const res = await send(baseUrl, { path: '/Patient?bogus=1', prefer: 'handling=lenient, return=minimal' });
    expect(res.status).toBe(200);
    expect(res.headers.get('preference-applied')).toBe('handling=lenient');
  });

  it('rejects async-mode=redirect together with _outputFormat (400)', async () => {
    const { baseUrl } = await startServer();
    const res = await send(baseUrl, { path: '/Patient?_outputFormat=ndjson', prefer: 'respond-async, async-mode=redirect' });
    const body = await expectOutcome(res, 400);
    expect(body.issue[0]?.diagnostics).toMatch(/redirect/);
    expect(res.headers.get('vary')).toBe('Prefer');
  });

  it('keeps $export behaviour: a missing respond-async is still a 400 there', async () => {
    const { baseUrl } = await startServer();
    await expectOutcome(await send(baseUrl, { path: '/$export' }), 400);
    expect((await send(baseUrl, { path: '/$export', prefer: 'RESPOND-ASYNC; x' })).status).toBe(202);
  });
});
