/** TLS through the CLI: serve --tls, run --ca, run --bundled-tls, and --require tls on a plain-http target. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startServe } from '../helpers/cli.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'fac-cli-tls-'));

describe('TLS (AUTH-01) through the CLI', () => {
  it('serve --tls writes its certificate; run --ca trusts it, the https scenarios pass and the TLS version is shown', async () => {
    const cert = path.join(tmp, 'server.crt');
    const server = await startServe(['--tls', '--tls-cert-out', cert, '--job-duration', '200ms']);
    try {
      expect(server.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(readFileSync(cert, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
      expect(readFileSync(cert, 'utf8')).not.toContain('PRIVATE KEY');
      const r = await runCli(['run', '--target', server.baseUrl, '--ca', cert, '--profile', 'redirect', '--grep', 'tls.*', '--reports', path.join(tmp, 'ca')]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(/tls: TLSv1\.[23] negotiated with 127\.0\.0\.1:\d+/);
      expect(r.stdout).toMatch(/PASS {2}tls\.https-bulk-urls/);
      expect(r.stdout).toMatch(/PASS {2}tls\.https-redirect-urls/);
      const results = JSON.parse(readFileSync(path.join(tmp, 'ca', 'results.json'), 'utf8')) as { scenarios: { exchanges: { tls?: string }[] }[] };
      expect(results.scenarios.flatMap((s) => s.exchanges).every((e) => e.tls === 'TLSv1.2' || e.tls === 'TLSv1.3')).toBe(true);

      const untrusted = await runCli(['run', '--target', server.baseUrl, '--grep', 'tls.*', '--reports', path.join(tmp, 'untrusted')]);
      expect(untrusted.code).toBe(3);
      expect(untrusted.stderr).toMatch(/TLS certificate was not accepted \(DEPTH_ZERO_SELF_SIGNED_CERT.*trust it with --ca FILE/);
    } finally {
      server.child.kill('SIGTERM');
    }
    expect((await server.stopped).stdout).toContain(`trust it with run --ca ${cert}`);
  });

  it('run --bundled-tls runs the https scenarios against the bundled server in TLS mode', async () => {
    const r = await runCli(['run', '--bundled-tls', '--grep', 'tls.*', '--reports', path.join(tmp, 'bundled')]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Running 2 scenarios against https:\/\/127\.0\.0\.1:\d+/);
    expect(r.stdout).toMatch(/2 scenarios: 2 passed/);
  });

  it('skips the https scenarios on a plain-http target with a reason naming tls, and --require tls fails them', async () => {
    const skipped = await runCli(['run', '--grep', 'tls.https-bulk-urls', '--reports', path.join(tmp, 'plain')]);
    expect(skipped.code, skipped.stdout + skipped.stderr).toBe(0);
    expect(skipped.stdout).toMatch(/SKIP {2}tls\.https-bulk-urls .*requires tls: the target base URL http:\/\/127\.0\.0\.1:\d+ is plain http/);
    const required = await runCli(['run', '--grep', 'tls.https-bulk-urls', '--require', 'tls', '--reports', path.join(tmp, 'required')]);
    expect(required.code, required.stdout + required.stderr).toBe(1);
    expect(required.stdout).toMatch(/FAIL {2}tls\.https-bulk-urls/);
  });

  it('refuses --ca that is not a PEM certificate, and --bundled-tls with --target', async () => {
    const bad = path.join(tmp, 'not-a-cert.pem');
    writeFileSync(bad, 'hello');
    const r = await runCli(['run', '--ca', bad]);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain(`--ca ${bad}: not a PEM certificate`);
    const both = await runCli(['run', '--bundled-tls', '--target', 'https://127.0.0.1:9']);
    expect(both.code).toBe(64);
    expect(both.stderr).toContain('--bundled-tls applies to the bundled server');
  });
});
