/**
 * TLS mode (AUTH-01): the self-signed certificate made at startup, https only with a client that
 * trusts that certificate, and the fault that hands out http:// file URLs (still answered).
 */
import { X509Certificate, createPublicKey } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent, request } from 'undici';
import { createSelfSignedCertificate } from '../../reference-server/tls/self-signed-certificate.js';
import { ASYNC_HEADERS, closeAllServers, startServer } from './helpers.js';

afterEach(closeAllServers);

describe('createSelfSignedCertificate', () => {
  it('is a v3 certificate for localhost, 127.0.0.1 and ::1, signed by its own key, valid now', () => {
    const now = Date.now();
    const { cert, key } = createSelfSignedCertificate({ now });
    const x509 = new X509Certificate(cert);
    expect(x509.subject).toBe('CN=fhir-async-conformance reference server');
    expect(x509.issuer).toBe(x509.subject);
    expect(x509.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(x509.verify(createPublicKey(key))).toBe(true);
    expect([x509.checkHost('localhost'), x509.checkIP('127.0.0.1'), x509.checkIP('::1')]).toEqual(['localhost', '127.0.0.1', '::1']);
    expect(Date.parse(x509.validFrom)).toBeLessThan(now);
    expect(Date.parse(x509.validTo)).toBeGreaterThan(now + 24 * 60 * 60 * 1000);
    expect(key).toContain('BEGIN PRIVATE KEY');
  });

  it('makes a fresh key and serial every time', () => {
    const [a, b] = [createSelfSignedCertificate(), createSelfSignedCertificate()];
    expect(a.key).not.toBe(b.key);
    expect(new X509Certificate(a.cert).serialNumber).not.toBe(new X509Certificate(b.cert).serialNumber);
  });
});

describe('reference server in TLS mode', () => {
  it('serves https with TLS 1.2+ to a client trusting its certificate, and every URL it hands out is https', async () => {
    const server = await startServer({ tls: true, jobDurationMs: 0 });
    expect(server.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(server.caCertificate).toContain('BEGIN CERTIFICATE');
    const dispatcher = new Agent({ connect: { ca: server.caCertificate } });
    try {
      const kickoff = await request(`${server.baseUrl}/$export`, { headers: ASYNC_HEADERS, dispatcher });
      await kickoff.body.dump();
      expect(kickoff.statusCode).toBe(202);
      const statusUrl = String(kickoff.headers['content-location']);
      expect(statusUrl.startsWith(`${server.baseUrl}/`)).toBe(true);
      const status = await request(statusUrl, { dispatcher });
      const manifest = (await status.body.json()) as { output: { url: string }[] };
      expect(status.statusCode).toBe(200);
      expect(manifest.output.length).toBeGreaterThan(0);
      expect(manifest.output.every((o) => o.url.startsWith('https://'))).toBe(true);
    } finally {
      await dispatcher.close();
    }
  });

  it('is refused by a client that does not trust the certificate (verification stays on)', async () => {
    const server = await startServer({ tls: true });
    await expect(request(`${server.baseUrl}/metadata`)).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  });

  it('does not answer plain HTTP on its port', async () => {
    const server = await startServer({ tls: true });
    const outcome = await plainGet(server.baseUrl.replace('https:', 'http:'));
    expect(outcome).not.toBe(200);
  });

  it('under file-urls-http-under-tls hands out http:// file URLs, and answers them over plain HTTP', async () => {
    const server = await startServer({ tls: true, jobDurationMs: 0, faults: ['file-urls-http-under-tls'] });
    const dispatcher = new Agent({ connect: { ca: server.caCertificate } });
    try {
      const kickoff = await request(`${server.baseUrl}/$export`, { headers: ASYNC_HEADERS, dispatcher });
      await kickoff.body.dump();
      const statusUrl = String(kickoff.headers['content-location']);
      expect(statusUrl.startsWith('https://')).toBe(true);
      const manifest = (await (await request(statusUrl, { dispatcher })).body.json()) as { output: { url: string }[] };
      const fileUrl = manifest.output[0]?.url ?? '';
      expect(fileUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/_files\//);
      expect(await plainGet(fileUrl)).toBe(200);
    } finally {
      await dispatcher.close();
    }
  });
});

/** A plain-HTTP GET: its status, or 'refused' when the connection fails or is closed without an answer. */
function plainGet(url: string): Promise<number | 'refused'> {
  return new Promise((resolve) => {
    const req = httpRequest(url, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 'refused');
    });
    req.on('error', () => resolve('refused'));
    req.setTimeout(5_000, () => req.destroy());
    req.end();
  });
}
