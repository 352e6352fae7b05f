import { createServer } from 'node:net';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { CallbackReceiver } from '../../src/callbacks/callback-receiver.js';
import { formatHostForUrl, parseListenAddress, parsePublicUrl } from '../../src/callbacks/listen-address.js';
import { systemClock, type Clock } from '../../src/runner/clock.js';

const open: CallbackReceiver[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

async function start(opts: Partial<Parameters<typeof CallbackReceiver.start>[0]> = {}): Promise<CallbackReceiver> {
  const receiver = await CallbackReceiver.start({ host: '127.0.0.1', port: 0, ...opts });
  open.push(receiver);
  return receiver;
}

async function post(url: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const res = await request(url, { method: 'POST', body, headers: { 'content-type': 'application/fhir+json', ...headers } });
  return { status: res.statusCode, text: await res.body.text() };
}

/** A clock whose sleeps end at once (the deadline passes without waiting). */
const instantClock: Clock = {
  now: () => Date.now(),
  sleep: (_ms, signal) => (signal.aborted ? Promise.reject(signal.reason as Error) : Promise.resolve()),
};

describe('callback receiver: endpoints and correlation', () => {
  it('mints a distinct unguessable path per endpoint and records what the target sent there', async () => {
    const receiver = await start();
    const a = receiver.mint();
    const b = receiver.mint();
    expect(a.url).toMatch(new RegExp(`^${receiver.listenUrl}/callbacks/[0-9a-f]{32}$`));
    expect(a.url).not.toBe(b.url);
    const answer = await post(a.url, '{"resourceType":"Parameters"}', { 'x-callback-signature': 'sha256=00' });
    expect(answer.status).toBe(204);
    expect(a.arrivals).toHaveLength(1);
    expect(b.arrivals).toHaveLength(0);
    const [arrival] = a.arrivals;
    expect(arrival?.method).toBe('POST');
    expect(arrival?.headers['content-type']).toBe('application/fhir+json');
    expect(arrival?.headers['x-callback-signature']).toBe('sha256=00');
    expect(arrival?.body.toString()).toBe('{"resourceType":"Parameters"}');
    expect(arrival?.answeredStatus).toBe(204);
  });

  it('answers an endpoint configured to fail with that status, and still records the request', async () => {
    const receiver = await start();
    const failing = receiver.mint(500);
    expect((await post(failing.url, '{}')).status).toBe(500);
    expect(failing.arrivals.map((a) => a.answeredStatus)).toEqual([500]);
  });

  it('answers 404 for unknown paths and tokens, and records nothing', async () => {
    const receiver = await start();
    const endpoint = receiver.mint();
    expect((await post(`${receiver.listenUrl}/`, '{}')).status).toBe(404);
    expect((await post(`${receiver.listenUrl}/callbacks/${'0'.repeat(32)}`, '{}')).status).toBe(404);
    expect((await post(`${endpoint.url}/extra`, '{}')).status).toBe(404);
    expect(endpoint.arrivals).toHaveLength(0);
  });

  it('caps the body: a larger one is answered 413 and recorded as oversize, truncated to the cap', async () => {
    const receiver = await start({ maxBodyBytes: 1000 });
    const endpoint = receiver.mint();
    const answer = await post(endpoint.url, Buffer.alloc(50_000, 0x61));
    expect(answer.status).toBe(413);
    expect(endpoint.arrivals[0]?.oversize).toBe(true);
    expect(endpoint.arrivals[0]?.body.length).toBe(1000);
    expect((await post(endpoint.url, 'small')).status).toBe(204);
  });

  it('uses the public URL for minted endpoints while listening on the bound address', async () => {
    const receiver = await start({ publicUrl: 'https://tunnel.example/harness/' });
    const endpoint = receiver.mint();
    expect(endpoint.url).toMatch(/^https:\/\/tunnel\.example\/harness\/callbacks\/[0-9a-f]{32}$/);
    // A proxy forwarding the public path still reaches the endpoint by its token.
    const forwarded = `${receiver.listenUrl}/harness/callbacks/${endpoint.token}`;
    expect((await post(forwarded, '{}')).status).toBe(204);
    expect(endpoint.arrivals).toHaveLength(1);
  });

  it('a wait resolves when the callback arrives, at once if it already did, and times out at its deadline', async () => {
    const receiver = await start();
    const endpoint = receiver.mint();
    const signal = new AbortController().signal;
    const waiting = endpoint.waitFor(1, { timeoutMs: 30_000, clock: systemClock, signal });
    await post(endpoint.url, '{}');
    await expect(waiting).resolves.toBe('arrived');
    await expect(endpoint.waitFor(1, { timeoutMs: 0, clock: systemClock, signal })).resolves.toBe('arrived');
    await expect(endpoint.waitFor(2, { timeoutMs: 30_000, clock: instantClock, signal })).resolves.toBe('timeout');
  });

  it('a wait rejects with the reason when its signal aborts', async () => {
    const receiver = await start();
    const endpoint = receiver.mint();
    const controller = new AbortController();
    const waiting = endpoint.waitFor(1, { timeoutMs: 30_000, clock: systemClock, signal: controller.signal });
    controller.abort(new Error('scenario deadline'));
    await expect(waiting).rejects.toThrow('scenario deadline');
  });

  it('closes cleanly with a wait pending: the wait ends as closed and the port is released', async () => {
    const receiver = await CallbackReceiver.start({ host: '127.0.0.1', port: 0 });
    const endpoint = receiver.mint();
    const waiting = endpoint.waitFor(1, { timeoutMs: 60_000, clock: systemClock, signal: new AbortController().signal });
    await receiver.close();
    await receiver.close();
    await expect(waiting).resolves.toBe('closed');
    await expect(post(endpoint.url, '{}')).rejects.toThrow();
  });

  it('names the problem when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      await expect(CallbackReceiver.start({ host: '127.0.0.1', port })).rejects.toThrow(`127.0.0.1:${port} is already in use`);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });
});

describe('--callback-listen and --callback-public-url', () => {
  it.each([
    ['127.0.0.1:0', { host: '127.0.0.1', port: 0 }],
    ['0.0.0.0:9000', { host: '0.0.0.0', port: 9000 }],
    ['[::1]:9000', { host: '::1', port: 9000 }],
    ['localhost:8080', { host: 'localhost', port: 8080 }],
  ])('parses %s', (text, expected) => {
    expect(parseListenAddress(text)).toEqual(expected);
  });

  it.each(['9000', '127.0.0.1', '127.0.0.1:99999', '[nothex]:80', 'a b:80'])('refuses %s with a usage message', (text) => {
    expect(() => parseListenAddress(text)).toThrow(/--callback-listen: .* (is not host:port|is not an IPv6 address)/);
  });

  it('accepts an http(s) public URL without credentials, query or fragment', () => {
    expect(parsePublicUrl('http://host.docker.internal:9000/')).toBe('http://host.docker.internal:9000');
    for (const bad of ['nope', 'ftp://x', 'http://u:p@x', 'http://x/?q=1', 'http://x/#f']) expect(() => parsePublicUrl(bad)).toThrow(/--callback-public-url/);
  });

  it('shows wildcard hosts as 127.0.0.1 and IPv6 in brackets', () => {
    expect(formatHostForUrl('0.0.0.0')).toBe('127.0.0.1');
    expect(formatHostForUrl('::1')).toBe('[::1]');
    expect(formatHostForUrl('example.test')).toBe('example.test');
  });
});
