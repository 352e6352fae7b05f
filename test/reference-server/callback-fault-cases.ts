/**
 * Demonstrations of the callback faults over real loopback HTTP, one per fault, each showing
 * what a conformance check would see. Spread into faults.test.ts's CASES: each case starts
 * the servers it needs with startServer() (closed by closeAllServers()) and its own
 * receiver (closed before it returns), and ignores the server faults.test.ts starts for it.
 */
import { expect } from 'vitest';
import type { ReferenceServerOptions } from '../../reference-server/index.js';
import { parameterOf, parseCallbackBody, startCallbackReceiver, type CallbackReceiver, type ReceivedCallback } from './callback-receiver.js';
import { createLogCollector, type LogCollector } from './callback-log-collector.js';
import { get, kickoff, startServer } from './helpers.js';

/** A fault demonstration that starts the servers it needs itself. */
export interface SelfContainedFaultCase {
  /** What a conformance check would see under this fault. */
  shows: string;
  run(): Promise<void>;
}

/** Runs `body` with a fresh loopback receiver and closes it afterwards, whatever happens. */
async function withReceiver(body: (rx: CallbackReceiver) => Promise<void>): Promise<void> {
  const rx = await startCallbackReceiver();
  try {
    await body(rx);
  } finally {
    await rx.close();
  }
}

async function startFaulty(fault: string, opts: ReferenceServerOptions = {}): Promise<{ baseUrl: string; logs: LogCollector }> {
  const logs = createLogCollector();
  const server = await startServer({ jobDurationMs: 150, faults: [fault], log: (line) => logs.log(line), ...opts });
  return { baseUrl: server.baseUrl, logs };
}

async function kickoffWithCallback(baseUrl: string, callbackUrl: string): Promise<string> {
  const res = await kickoff(baseUrl, '', { Prefer: `respond-async, callback-url="${callbackUrl}"` });
  expect(res.status).toBe(202);
  await res.arrayBuffer();
  return res.headers.get('content-location') ?? '';
}

/** Checks the one callback of a faulty server's job (fails after the receiver's deadline if none comes). */
function checkOneCallback(fault: string, opts: ReferenceServerOptions, check: (cb: ReceivedCallback) => Promise<void> | void) {
  return withReceiver(async (rx) => {
    const { baseUrl } = await startFaulty(fault, opts);
    await kickoffWithCallback(baseUrl, rx.url('/cb'));
    const [cb] = await rx.waitFor('/cb', 1);
    if (cb === undefined) throw new Error('no callback');
    await check(cb);
  });
}

export const CALLBACK_FAULT_CASES: Record<string, SelfContainedFaultCase> = {
  'callback-missing': {
    shows: 'no callback arrives, although a clean server kicked off later has called back',
    run: () =>
      withReceiver(async (rx) => {
        const { baseUrl } = await startFaulty('callback-missing');
        const statusUrl = await kickoffWithCallback(baseUrl, rx.url('/missing'));
        const clean = await startServer({ jobDurationMs: 150 });
        await kickoffWithCallback(clean.baseUrl, rx.url('/marker'));
        await rx.waitFor('/marker', 1);
        expect((await get(statusUrl)).status).toBe(200);
        expect(rx.receivedAt('/missing')).toHaveLength(0);
      }),
  },
  'callback-twice': {
    shows: 'two identical callback POSTs for one job',
    run: () =>
      withReceiver(async (rx) => {
        const { baseUrl } = await startFaulty('callback-twice');
        await kickoffWithCallback(baseUrl, rx.url('/twice'));
        const [first, second] = await rx.waitFor('/twice', 2);
        expect(second?.body).toBe(first?.body);
      }),
  },
  'callback-wrong-status-code': {
    shows: 'status valueCode "done"',
    run: () =>
      checkOneCallback('callback-wrong-status-code', {}, (cb) => {
        expect(parameterOf(parseCallbackBody(cb), 'status')?.valueCode).toBe('done');
      }),
  },
  'callback-unresolvable-result-url': {
    shows: 'resultUrl answers 404',
    run: () =>
      checkOneCallback('callback-unresolvable-result-url', {}, async (cb) => {
        const resultUrl = parameterOf(parseCallbackBody(cb), 'resultUrl')?.valueUrl ?? '';
        expect(resultUrl).toMatch(/^http:\/\/127\.0\.0\.1:[0-9]+\//);
        expect((await get(resultUrl)).status).toBe(404);
      }),
  },
  'callback-unsigned': {
    shows: 'no X-Callback-Signature and no Authorization although both are configured',
    run: () =>
      checkOneCallback('callback-unsigned', { callbacks: { secret: 's3cret', bearerToken: 't0ken' } }, (cb) => {
        expect(cb.headers['x-callback-signature']).toBeUndefined();
        expect(cb.headers['authorization']).toBeUndefined();
      }),
  },
  'callback-wrong-content-type': {
    shows: 'callback labelled application/json',
    run: () =>
      checkOneCallback('callback-wrong-content-type', {}, (cb) => {
        expect(cb.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(parseCallbackBody(cb).resourceType).toBe('Parameters');
      }),
  },
  'callback-allow-list-ignored': {
    shows: 'a callback-url off the allow-list is accepted with 202 (yet nothing leaves the machine)',
    run: () =>
      withReceiver(async (rx) => {
        const { baseUrl, logs } = await startFaulty('callback-allow-list-ignored', { callbacks: { allowHosts: ['localhost'] } });
        await kickoffWithCallback(baseUrl, 'http://callback.invalid/cb');
        // 127.0.0.1 is off this allow-list: accepted all the same, and (being loopback) called.
        await kickoffWithCallback(baseUrl, rx.url('/off-list'));
        await rx.waitFor('/off-list', 1);
        await logs.waitForLine('callback.invalid is neither allow-listed nor loopback');
      }),
  },
};
