/**
 * Callbacks over real loopback HTTP: kick off with `Prefer: callback-url`, and a loopback
 * receiver records what the server POSTs. Real clock, short jobs; every wait is a wait on
 * the receiver with a deadline.
 */
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReferenceServerOptions } from '../../reference-server/index.js';
import { createLogCollector, type LogCollector } from './callback-log-collector.js';
import { parameterOf, parseCallbackBody, startCallbackReceiver, type CallbackReceiver } from './callback-receiver.js';
import { closeAllServers, createFakeClock, del, expectOutcome, get, kickoff, startServer } from './helpers.js';

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

function preferWithCallback(url: string): Record<string, string> {
  return { Prefer: `respond-async, callback-url="${url}"`, Accept: 'application/fhir+json' };
}

/** Kicks off an export with a callback; expects 202 and returns the status URL. */
async function kickoffWithCallback(baseUrl: string, callbackUrl: string, query = ''): Promise<string> {
  const res = await kickoff(baseUrl, query, preferWithCallback(callbackUrl));
  expect(res.status).toBe(202);
  await res.arrayBuffer();
  return res.headers.get('content-location') ?? '';
}

async function startWithLog(opts: ReferenceServerOptions = {}): Promise<{ baseUrl: string; logs: LogCollector }> {
  const logs = createLogCollector();
  const server = await startServer({ jobDurationMs: 150, log: (line) => logs.log(line), ...opts });
  return { baseUrl: server.baseUrl, logs };
}

describe('callback on completion', () => {
  it('POSTs one Parameters (status completed, resultUrl = status URL) once the job completes', async () => {
    const rx = await openReceiver();
    const { baseUrl } = await startWithLog();
    const statusUrl = await kickoffWithCallback(baseUrl, rx.url('/done'));
    const [cb] = await rx.waitFor('/done', 1);
    expect(cb?.method).toBe('POST');
    expect(cb?.headers['content-type']).toMatch(/^application\/fhir\+json/);
    const body = parseCallbackBody(cb ?? { method: '', path: '', headers: {}, body: '{}' });
    expect(body.resourceType).toBe('Parameters');
    expect(parameterOf(body, 'status')?.valueCode).toBe('completed');
    expect(parameterOf(body, 'resultUrl')?.valueUrl).toBe(statusUrl);
    expect(parameterOf(body, 'outcome')).toBeUndefined();
    expect(cb?.headers['x-callback-signature']).toBeUndefined();
    expect(cb?.headers['authorization']).toBeUndefined();
    const result = await get(statusUrl, { Accept: 'application/json' });
    expect(result.status).toBe(200);
    expect(((await result.json()) as { output: unknown[] }).output.length).toBeGreaterThan(0);
  });

  it('accepts the unquoted form the proposal shows', async () => {
    const rx = await openReceiver();
    const { baseUrl } = await startWithLog();
    const res = await kickoff(baseUrl, '', { Prefer: `respond-async, callback-url=${rx.url('/bare')}` });
    expect(res.status).toBe(202);
    await rx.waitFor('/bare', 1);
  });

  it('sends exactly one POST: a later DELETE (release) and more polls add none', async () => {
    const rx = await openReceiver();
    const { baseUrl } = await startWithLog();
    const statusUrl = await kickoffWithCallback(baseUrl, rx.url('/once'));
    await rx.waitFor('/once', 1);
    expect((await get(statusUrl)).status).toBe(200);
    expect((await del(statusUrl)).status).toBe(202);
    // A marker job kicked off now reports after a full job duration: by then any duplicate would have come.
    await kickoffWithCallback(baseUrl, rx.url('/marker'));
    await rx.waitFor('/marker', 1);
    expect(rx.receivedAt('/once')).toHaveLength(1);
  });

  it('reports a failing job as failed, with the OperationOutcome', async () => {
    const rx = await openReceiver();
    const { baseUrl } = await startWithLog();
    const filter = encodeURIComponent('Observation?unsupported-param=x');
    const statusUrl = await kickoffWithCallback(baseUrl, rx.url('/failed'), `?_type=Observation&_typeFilter=${filter}`);
    const [cb] = await rx.waitFor('/failed', 1);
    const body = parseCallbackBody(cb ?? { method: '', path: '', headers: {}, body: '{}' });
    expect(parameterOf(body, 'status')?.valueCode).toBe('failed');
    expect(parameterOf(body, 'resultUrl')?.valueUrl).toBe(statusUrl);
    expect(parameterOf(body, 'outcome')?.resource?.resourceType).toBe('OperationOutcome');
    expect((await get(statusUrl)).status).toBeGreaterThanOrEqual(400);
  });
});

describe('callback on cancellation', () => {
  it('POSTs status cancelled once when the job is cancelled, and never completed', async () => {
    // A fake clock keeps the job running until the test moves it, so the DELETE surely comes first.
    const clock = createFakeClock();
    const rx = await openReceiver();
    const { baseUrl } = await startWithLog({ clock, jobDurationMs: 1_000 });
    const statusUrl = await kickoffWithCallback(baseUrl, rx.url('/cancelled'));
    expect((await del(statusUrl)).status).toBe(202);
    const [cb] = await rx.waitFor('/cancelled', 1);
    const body = parseCallbackBody(cb ?? { method: '', path: '', headers: {}, body: '{}' });
    expect(parameterOf(body, 'status')?.valueCode).toBe('cancelled');
    // Past the cancelled job's end time; a marker job armed later reports after any stray timer of the first.
    clock.advance(60_000);
    await kickoffWithCallback(baseUrl, rx.url('/marker'));
    clock.advance(1_000);
    await rx.waitFor('/marker', 1);
    expect(rx.receivedAt('/cancelled')).toHaveLength(1);
  });
});

describe('callback authentication', () => {
  it('signs the raw body with HMAC-SHA256 and sends the bearer token; neither reaches the log', async () => {
    const rx = await openReceiver();
    const secret = 'canary-callback-secret';
    const bearerToken = 'canary-callback-token';
    const { baseUrl, logs } = await startWithLog({ callbacks: { secret, bearerToken } });
    await kickoffWithCallback(baseUrl, rx.url('/signed'));
    const [cb] = await rx.waitFor('/signed', 1);
    const expected = createHmac('sha256', secret).update(cb?.body ?? '', 'utf8').digest('hex');
    expect(cb?.headers['x-callback-signature']).toBe(`sha256=${expected}`);
    expect(cb?.headers['authorization']).toBe(`Bearer ${bearerToken}`);
    await logs.waitForLine('callback completed');
    expect(logs.lines.join('\n')).not.toMatch(/canary/);
  });
});

describe('callback delivery is best effort', () => {
  it('does not retry when the receiver answers 500', async () => {
    const rx = await openReceiver();
    rx.answerWith(500);
    const { baseUrl, logs } = await startWithLog();
    await kickoffWithCallback(baseUrl, rx.url('/flaky'));
    await rx.waitFor('/flaky', 1);
    // Margin: a second job kicked off after the first callback reports a full job duration later.
    await kickoffWithCallback(baseUrl, rx.url('/marker'));
    await rx.waitFor('/marker', 1);
    expect(rx.receivedAt('/flaky')).toHaveLength(1);
    await logs.waitForLine('answered 500 (not retried)');
  });

  it('close() does not hang on a receiver that never answers, nor on pending callbacks', async () => {
    const rx = await openReceiver();
    rx.answerWith('hang');
    const server = await startServer({ jobDurationMs: 50 });
    await kickoffWithCallback(server.baseUrl, rx.url('/hang'));
    await kickoffWithCallback(server.baseUrl, rx.url('/later'));
    await rx.waitFor('/hang', 1);
    await server.close();
  });
});

describe('callback-url validation at kick-off (no SSRF)', () => {
  it('answers 400 + OperationOutcome for a host off the allow-list, and creates no job', async () => {
    const { baseUrl } = await startWithLog();
    const res = await kickoff(baseUrl, '', preferWithCallback('http://callback.invalid/cb'));
    const outcome = await expectOutcome(res, 400);
    expect(outcome.issue[0]?.diagnostics).toContain('callback.invalid');
    expect(res.headers.get('content-location')).toBeNull();
  });

  it('answers 400 for a loopback address left off a configured allow-list, and sends nothing', async () => {
    const rx = await openReceiver();
    const { baseUrl } = await startWithLog({ callbacks: { allowHosts: ['localhost'] } });
    await expectOutcome(await kickoff(baseUrl, '', preferWithCallback(rx.url('/off-list'))), 400);
    const allowed = await kickoff(baseUrl, '', preferWithCallback(`http://localhost:${rx.port}/on-list`));
    expect(allowed.status).toBe(202);
    await rx.waitFor('/on-list', 1);
    expect(rx.receivedAt('/off-list')).toHaveLength(0);
  });

  it('answers 400 for other schemes, userinfo and values that are not URLs', async () => {
    const { baseUrl } = await startWithLog();
    for (const url of ['ftp://127.0.0.1/cb', 'http://u:p@127.0.0.1/cb', '/relative', '']) {
      await expectOutcome(await kickoff(baseUrl, '', preferWithCallback(url)), 400);
    }
  });
});
