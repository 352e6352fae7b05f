/**
 * Callbacks and long polling for asynchronous REST interactions (Bundle and redirect modes)
 * over real loopback HTTP: the callback's resultUrl is the status URL in Bundle mode and the
 * result URL in redirect mode; a failed interaction reports `failed` with its OperationOutcome.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parameterOf, parseCallbackBody, startCallbackReceiver, type CallbackReceiver, type ReceivedCallback } from './callback-receiver.js';
import { closeAllServers, startServer } from './helpers.js';

const receivers: CallbackReceiver[] = [];

afterEach(async () => {
  await closeAllServers();
  await Promise.all(receivers.splice(0).map((rx) => rx.close()));
});

async function openReceiver(): Promise<CallbackReceiver> {
  const rx = await startCallbackReceiver();
  receivers.push(rx);
  return rx;
}

async function kickoffRead(url: string, prefer: string): Promise<Response> {
  return fetch(url, { headers: { Prefer: prefer, Accept: 'application/fhir+json' }, redirect: 'manual' });
}

function bodyOf(cb: ReceivedCallback | undefined): ReturnType<typeof parseCallbackBody> {
  if (cb === undefined) throw new Error('no callback');
  return parseCallbackBody(cb);
}

describe('callbacks of asynchronous interactions', () => {
  it('Bundle mode: completed, resultUrl is the status URL; the kick-off echoes callback-url in Preference-Applied', async () => {
    const rx = await openReceiver();
    const { baseUrl } = await startServer({ timings: { interaction: 150 } });
    const res = await kickoffRead(`${baseUrl}/Patient/p1`, `respond-async, callback-url="${rx.url('/bundle')}"`);
    expect(res.status).toBe(202);
    expect(res.headers.get('preference-applied') ?? '').toContain('callback-url');
    const statusUrl = res.headers.get('content-location') ?? '';
    const body = bodyOf((await rx.waitFor('/bundle', 1))[0]);
    expect(parameterOf(body, 'status')?.valueCode).toBe('completed');
    expect(parameterOf(body, 'resultUrl')?.valueUrl).toBe(statusUrl);
    const completion = await fetch(statusUrl, { redirect: 'manual' });
    expect(completion.status).toBe(200);
    expect(((await completion.json()) as { resourceType: string }).resourceType).toBe('Bundle');
  });

  it('redirect mode: resultUrl is the result URL the 303 points to', async () => {
    const rx = await openReceiver();
    const { baseUrl } = await startServer({ timings: { interaction: 150 } });
    const res = await kickoffRead(`${baseUrl}/Patient/p1`, `respond-async, async-mode=redirect, callback-url="${rx.url('/redirect')}"`);
    expect(res.status).toBe(202);
    const statusUrl = res.headers.get('content-location') ?? '';
    const body = bodyOf((await rx.waitFor('/redirect', 1))[0]);
    expect(parameterOf(body, 'status')?.valueCode).toBe('completed');
    const resultUrl = parameterOf(body, 'resultUrl')?.valueUrl ?? '';
    const seeOther = await fetch(statusUrl, { redirect: 'manual' });
    expect(seeOther.status).toBe(303);
    expect(seeOther.headers.get('location')).toBe(resultUrl);
    expect((await fetch(resultUrl, { redirect: 'manual' })).status).toBe(200);
  });

  it('a failing interaction (read of a missing resource) reports failed with its OperationOutcome', async () => {
    const rx = await openReceiver();
    const { baseUrl } = await startServer({ timings: { interaction: 150 } });
    const res = await kickoffRead(`${baseUrl}/Patient/no-such-patient`, `respond-async, async-mode=redirect, callback-url="${rx.url('/failed')}"`);
    expect(res.status).toBe(202);
    const body = bodyOf((await rx.waitFor('/failed', 1))[0]);
    expect(parameterOf(body, 'status')?.valueCode).toBe('failed');
    expect(parameterOf(body, 'outcome')?.resource?.resourceType).toBe('OperationOutcome');
    expect((await fetch(parameterOf(body, 'resultUrl')?.valueUrl ?? '', { redirect: 'manual' })).status).toBe(404);
  });

  it('refuses a callback-url off the allow-list with 400 before creating a job', async () => {
    const { baseUrl } = await startServer();
    const res = await kickoffRead(`${baseUrl}/Patient/p1`, 'respond-async, callback-url="http://callback.invalid/cb"');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
    expect(res.headers.get('content-location')).toBeNull();
  });

  it('a cancelled interaction reports cancelled', async () => {
    const rx = await openReceiver();
    const { baseUrl } = await startServer({ timings: { interaction: 3_600_000 } });
    const res = await kickoffRead(`${baseUrl}/Patient/p1`, `respond-async, callback-url="${rx.url('/cancel')}"`);
    const statusUrl = res.headers.get('content-location') ?? '';
    expect((await fetch(statusUrl, { method: 'DELETE' })).status).toBe(202);
    const body = bodyOf((await rx.waitFor('/cancel', 1))[0]);
    expect(parameterOf(body, 'status')?.valueCode).toBe('cancelled');
  });
});

describe('long polling of asynchronous interactions', () => {
  it('holds a Bundle-mode poll until the job completes', async () => {
    const { baseUrl } = await startServer({ timings: { interaction: 300 } });
    const res = await kickoffRead(`${baseUrl}/Patient/p1`, 'respond-async');
    const statusUrl = res.headers.get('content-location') ?? '';
    const poll = await fetch(statusUrl, { headers: { Prefer: 'wait=30' }, redirect: 'manual', signal: AbortSignal.timeout(15_000) });
    expect(poll.status).toBe(200);
  });
});
