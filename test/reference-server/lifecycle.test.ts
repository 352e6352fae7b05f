import { connect } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startReferenceServer } from '../../reference-server/index.js';
import { closeAllServers, startServer } from './helpers.js';

afterEach(closeAllServers);

describe('server lifecycle', () => {
  it('binds 127.0.0.1 on an ephemeral port and reports it', async () => {
    const server = await startServer();
    expect(server.port).toBeGreaterThan(0);
    expect(server.baseUrl).toBe(`http://127.0.0.1:${server.port}`);
  });

  it('rejects with a clear error when the port is in use', async () => {
    const server = await startServer();
    await expect(startReferenceServer({ port: server.port })).rejects.toThrow(
      `port ${server.port} on 127.0.0.1 is already in use`,
    );
    expect((await fetch(`${server.baseUrl}/metadata`)).status).toBe(200);
  });

  it('closes promptly even with an open keep-alive connection, and close() is idempotent', async () => {
    const server = await startReferenceServer({ port: 0 });
    const res = await fetch(`${server.baseUrl}/metadata`, { headers: { Connection: 'keep-alive' } });
    await res.text();
    const started = performance.now();
    await server.close();
    await server.close();
    expect(performance.now() - started).toBeLessThan(1_000);
    await expect(fetch(`${server.baseUrl}/metadata`)).rejects.toThrow();
  });

  it.each([
    [{ port: -1 }, /port/],
    [{ port: 1.5 }, /port/],
    [{ jobDurationMs: -5 }, /jobDurationMs/],
    [{ patientCount: 2.5 }, /patientCount/],
    [{ retryAfter: { form: 'seconds' as const, seconds: -1 } }, /retryAfter/],
    [{ publicBaseUrl: 'not a url' }, /publicBaseUrl/],
  ])('rejects invalid options %j', async (opts, message) => {
    await expect(startReferenceServer(opts)).rejects.toThrow(message);
  });

  it('writes one access-log line per request when log is given', async () => {
    const lines: string[] = [];
    const server = await startServer({ log: (line) => lines.push(line) });
    await (await fetch(`${server.baseUrl}/metadata`)).text();
    await (await fetch(`${server.baseUrl}/nope`)).text();
    await vi.waitFor(() => expect(lines).toHaveLength(2), { timeout: 2_000 });
    expect(lines[0]).toMatch(/^GET \/metadata 200 \d+ms$/);
    expect(lines[1]).toMatch(/^GET \/nope 404 \d+ms$/);
  });

  it('answers a malformed HTTP request with 400 and keeps serving', async () => {
    const server = await startServer();
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let data = '';
      socket.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect(reply).toContain('OperationOutcome');
    expect((await fetch(`${server.baseUrl}/metadata`)).status).toBe(200);
  });
});
