import { afterEach, describe, expect, it } from 'vitest';
import { kickoffAt, statusUrlOf } from './bulk-helpers.js';
import { closeAllServers, createFakeClock, del, expectOutcome, get, startServer } from './helpers.js';

afterEach(closeAllServers);

const UNPROCESSABLE = `?_type=Observation&_typeFilter=${encodeURIComponent('Observation?unsupported-param=x')}`;

describe('a failed export job', () => {
  it('is accepted, runs (202), then answers 500 with an application/fhir+json OperationOutcome', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, jobDurationMs: 5_000 });
    const statusUrl = await statusUrlOf(await kickoffAt(baseUrl, '/$export', UNPROCESSABLE));
    expect((await get(statusUrl)).status).toBe(202);
    clock.advance(5_000);
    const outcome = await expectOutcome(await get(statusUrl, { Accept: 'application/json' }), 500);
    expect(outcome.issue[0]).toMatchObject({ severity: 'error', code: 'not-supported' });
    expect(outcome.issue[0]?.diagnostics).toContain('unsupported-param');
    await expectOutcome(await get(statusUrl), 500);
  });

  it('fails the same way at Patient and Group level', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    for (const path of ['/Patient/$export', '/Group/g1/$export']) {
      const statusUrl = await statusUrlOf(await kickoffAt(baseUrl, path, UNPROCESSABLE));
      clock.advance(1_000);
      await expectOutcome(await get(statusUrl), 500);
    }
  });

  it('can be deleted (202), after which the status URL answers 404', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    const statusUrl = await statusUrlOf(await kickoffAt(baseUrl, '/$export', UNPROCESSABLE));
    clock.advance(1_000);
    expect((await del(statusUrl)).status).toBe(202);
    await expectOutcome(await get(statusUrl), 404);
  });
});
