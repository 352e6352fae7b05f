/**
 * Long polling over real loopback HTTP: `Prefer: wait=N` on a status request holds it until
 * the job completes or is cancelled, or N seconds pass. Deadlines (AbortSignal.timeout) turn
 * "was held too long" into a failure without asserting timings.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { closeAllServers, createFakeClock, del, expectOutcome, startExport, startServer } from './helpers.js';

afterEach(closeAllServers);

/** GET with a deadline: a hold that outlives `deadlineMs` rejects the test instead of passing slowly. */
function poll(url: string, prefer: string | undefined, deadlineMs: number): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (prefer !== undefined) headers['Prefer'] = prefer;
  return fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(deadlineMs) });
}

describe('Prefer: wait on a status request', () => {
  it('holds a poll of a running job and answers 200 with the manifest as soon as the job completes', async () => {
    const { baseUrl } = await startServer({ jobDurationMs: 300 });
    const statusUrl = await startExport(baseUrl);
    const res = await poll(statusUrl, 'wait=30', 15_000);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { output: unknown[] }).output.length).toBeGreaterThan(0);
  });

  it('answers 202 with Retry-After when the wait ends before the job', async () => {
    const { baseUrl } = await startServer({ jobDurationMs: 3_600_000 });
    const statusUrl = await startExport(baseUrl);
    const started = performance.now();
    const res = await poll(statusUrl, 'wait=1', 15_000);
    expect(res.status).toBe(202);
    expect(res.headers.get('retry-after')).not.toBeNull();
    // Lower bound only: the server held the request for the wait it was asked for.
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('caps the hold at longPoll.maxWaitMs', async () => {
    const { baseUrl } = await startServer({ jobDurationMs: 3_600_000, longPoll: { maxWaitMs: 200 } });
    const statusUrl = await startExport(baseUrl);
    const res = await poll(statusUrl, 'wait=600', 10_000);
    expect(res.status).toBe(202);
  });

  it('releases a held poll when the job is cancelled: it answers 404 like any poll after DELETE', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, jobDurationMs: 1_000 });
    const statusUrl = await startExport(baseUrl);
    // The fake clock never reaches the wait's end, so only the cancellation can release the poll.
    const held = poll(statusUrl, 'wait=30', 15_000);
    expect((await del(statusUrl)).status).toBe(202);
    await expectOutcome(await held, 404);
  });

  it('answers at once without wait, with long polling disabled, or with a malformed wait', async () => {
    const { baseUrl } = await startServer({ jobDurationMs: 3_600_000, longPoll: false });
    const statusUrl = await startExport(baseUrl);
    expect((await poll(statusUrl, 'wait=30', 5_000)).status).toBe(202);
    // Pacing off: these polls of one job come back to back on purpose.
    const other = await startServer({ jobDurationMs: 3_600_000, pacing: false });
    const otherUrl = await startExport(other.baseUrl);
    expect((await poll(otherUrl, undefined, 5_000)).status).toBe(202);
    expect((await poll(otherUrl, 'wait=abc', 5_000)).status).toBe(202);
    expect((await poll(otherUrl, 'wait=0', 5_000)).status).toBe(202);
  });

  it('answers at once for a completed or unknown job', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, jobDurationMs: 1_000 });
    const statusUrl = await startExport(baseUrl);
    clock.advance(2_000);
    expect((await poll(statusUrl, 'wait=30', 5_000)).status).toBe(200);
    await expectOutcome(await poll(`${baseUrl}/_async/${'0'.repeat(32)}`, 'wait=30', 5_000), 404);
  });

  it('does not keep close() waiting for a held poll', async () => {
    const server = await startServer({ jobDurationMs: 3_600_000 });
    const statusUrl = await startExport(server.baseUrl);
    const held = poll(statusUrl, 'wait=60', 30_000).then(
      (res) => `answered ${res.status}`,
      () => 'connection closed',
    );
    await server.close();
    expect(await held).toMatch(/connection closed|answered/);
  });
});
