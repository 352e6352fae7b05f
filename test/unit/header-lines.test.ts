/**
 * A header given as a list goes out as separate header lines (PREFER-03 needs two Prefer
 * lines), over real loopback HTTP, and the exchange record and transcript show each line.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/http/client.js';
import { Redactor } from '../../src/http/redact.js';
import { formatExchange } from '../../src/report/transcript.js';

let server: http.Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A server answering with the raw header lines it received (name/value pairs, as on the wire). */
async function startEcho(): Promise<string> {
  server = http.createServer((req, res) => {
    const lines: string[] = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(lines));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

describe('HttpClient: a list-valued header', () => {
  it('is sent as separate lines in order, recorded as a list, redacted per line and shown as one transcript line each', async () => {
    const url = await startEcho();
    const redactor = new Redactor();
    redactor.addSecret('line-secret-42');
    const client = new HttpClient({ requestTimeoutMs: 5000, connectTimeoutMs: 5000, maxBodyBytes: 1 << 16, excerptBytes: 4096, redactor });
    try {
      const sent = await client.send(
        { method: 'GET', url, headers: { Prefer: ['handling=lenient', 'respond-async'], 'X-Note': ['a', 'b=line-secret-42'], Accept: 'application/json' } },
        'two-lines',
        new AbortController().signal,
      );
      expect(sent.ok).toBe(true);
      if (!sent.ok) return;
      const received = JSON.parse(sent.response.body.toString('utf8')) as string[];
      expect(received.filter((l) => /^(prefer|x-note):/i.test(l))).toEqual(['Prefer: handling=lenient', 'Prefer: respond-async', 'X-Note: a', 'X-Note: b=line-secret-42']);
      expect(sent.exchange.request.headers).toEqual({ Prefer: ['handling=lenient', 'respond-async'], 'X-Note': ['a', 'b=<redacted>'], Accept: 'application/json' });
      const shown = formatExchange(sent.exchange, 0).filter((l) => l.startsWith('> '));
      expect(shown.slice(1)).toEqual(['> Prefer: handling=lenient', '> Prefer: respond-async', '> X-Note: a', '> X-Note: b=<redacted>', '> Accept: application/json']);
    } finally {
      await client.close();
    }
  });
});
