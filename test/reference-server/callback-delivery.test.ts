/** postCallback over real loopback HTTP: body and headers on the wire, non-2xx, deadline, abort, refusal. */
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { postCallback } from '../../reference-server/callbacks/callback-delivery.js';
import { startCallbackReceiver, type CallbackReceiver } from './callback-receiver.js';

let receiver: CallbackReceiver | undefined;

afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function openReceiver(): Promise<CallbackReceiver> {
  receiver = await startCallbackReceiver();
  return receiver;
}

/** A port nobody listens on: bind, note it, close. */
async function findClosedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('postCallback', () => {
  it('POSTs the body and headers and reports a 2xx as delivered', async () => {
    const rx = await openReceiver();
    const body = '{"resourceType":"Parameters"}';
    const result = await postCallback({
      url: new URL(rx.url('/cb?job=1')),
      body,
      headers: { 'Content-Type': 'application/fhir+json; charset=utf-8', 'X-Callback-Signature': 'sha256=00' },
      timeoutMs: 5_000,
    });
    expect(result).toEqual({ ok: true, status: 204 });
    const [cb] = await rx.waitFor('/cb?job=1', 1);
    expect(cb?.method).toBe('POST');
    expect(cb?.body).toBe(body);
    expect(cb?.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    expect(cb?.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    expect(cb?.headers['x-callback-signature']).toBe('sha256=00');
  });

  it('reports a non-2xx answer as not delivered', async () => {
    const rx = await openReceiver();
    rx.answerWith(500);
    const result = await postCallback({ url: new URL(rx.url()), body: '{}', headers: {}, timeoutMs: 5_000 });
    expect(result).toEqual({ ok: false, status: 500, reason: 'answered 500' });
    expect(rx.received).toHaveLength(1);
  });

  it('gives up at its deadline when the receiver never answers', async () => {
    const rx = await openReceiver();
    rx.answerWith('hang');
    const result = await postCallback({ url: new URL(rx.url()), body: '{}', headers: {}, timeoutMs: 150 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toBe('no answer within 150 ms');
  });

  it('stops when its signal is aborted (server closing), and does not start if already aborted', async () => {
    const rx = await openReceiver();
    rx.answerWith('hang');
    const closing = new AbortController();
    const pending = postCallback({ url: new URL(rx.url()), body: '{}', headers: {}, timeoutMs: 30_000, signal: closing.signal });
    await rx.waitFor('/cb', 1);
    closing.abort();
    const result = await pending;
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain('aborted');
    const late = await postCallback({ url: new URL(rx.url('/late')), body: '{}', headers: {}, timeoutMs: 5_000, signal: closing.signal });
    expect(late).toEqual({ ok: false, status: undefined, reason: 'aborted before sending' });
    expect(rx.receivedAt('/late')).toHaveLength(0);
  });

  it('reports a refused connection without throwing', async () => {
    const port = await findClosedPort();
    const result = await postCallback({ url: new URL(`http://127.0.0.1:${port}/cb`), body: '{}', headers: {}, timeoutMs: 5_000 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/ECONNREFUSED/);
  });
});
