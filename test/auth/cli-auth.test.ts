import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startServe } from '../helpers/cli.js';
import { CLIENT_A } from './auth-helpers.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'fac-cli-auth-'));
const write = (name: string, text: string): string => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};
const noStackTrace = (text: string): void => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

write('a.pem', CLIENT_A.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
const clients = write('clients.yaml', `clients:\n  - { clientId: ${CLIENT_A.clientId}, jwks: { keys: [${JSON.stringify(CLIENT_A.publicJwk)}] } }\n`);

describe('run --bundled-auth', () => {
  it('runs the auth scenarios against the bundled server in SMART mode and exits 0', async () => {
    const r = await runCli(['run', '--bundled-auth', '--grep', 'auth.*', '--reports', path.join(dir, 'bundled')]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/7 scenarios: 7 passed, 0 failed, 0 warned, 0 errored, 0 skipped/);
    expect(r.stdout).toContain('auth: SMART Backend Services');
  });

  it('is a usage error with --target', async () => {
    const r = await runCli(['run', '--bundled-auth', '--target', 'http://127.0.0.1:9']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('--bundled-auth applies to the bundled server');
  });
});

describe('serve --auth', () => {
  it('refuses a clients file it cannot use with exit 2 and the reason', async () => {
    const missing = await runCli(['serve', '--port', '0', '--auth', path.join(dir, 'absent.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read auth clients file .*absent\.yaml/);
    const secretKey = write('private.yaml', `clients:\n  - { clientId: a, jwks: { keys: [${JSON.stringify({ ...CLIENT_A.publicJwk, d: 'x' })}] } }\n`);
    const leaked = await runCli(['serve', '--port', '0', '--auth', secretKey]);
    expect(leaked.code).toBe(2);
    expect(leaked.stderr).toContain('holds the private member "d"; register public keys only');
    noStackTrace(missing.stderr + leaked.stderr);
  });
});

describe('run --config with auth against serve --auth', () => {
  it('stops with exit 3 and the rejected claim when the token request is refused', async () => {
    const server = await startServe(['--auth', clients]);
    try {
      const profile = write('wrong-client.yaml', `baseUrl: ${server.baseUrl}\nauth: { type: smart-backend-services, clientId: nobody, privateKey: a.pem, alg: RS384, keyId: ${CLIENT_A.kid} }\n`);
      const r = await runCli(['run', '--config', profile, '--reports', path.join(dir, 'wrong')]);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`auth: token request for client 'nobody' to ${server.baseUrl}/auth/token was refused: 400 invalid_client: client assertion rejected (iss): iss "nobody" is not a registered client_id`);
      noStackTrace(r.stderr);
    } finally {
      server.child.kill('SIGTERM');
      await server.stopped;
    }
  });

  it('reports a malformed auth section with file:line before sending anything (exit 2)', async () => {
    const profile = write('bad-auth.yaml', 'baseUrl: http://127.0.0.1:9\nauth:\n  type: bearer\n  tokenEnv: TOKEN\n  clientId: a\n');
    const r = await runCli(['run', '--config', profile]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad-auth\.yaml:\d+:\d+: at auth: unknown key 'clientId' \(allowed: type, tokenEnv, secondTokenEnv, expiredTokenEnv\)/);
  });

  it('says which environment variable is missing for a bearer token', async () => {
    const server = await startServe(['--auth', clients]);
    try {
      const profile = write('bearer.yaml', `baseUrl: ${server.baseUrl}\nauth: { type: bearer, tokenEnv: FAC_UNSET_TOKEN_VARIABLE }\n`);
      const r = await runCli(['run', '--config', profile, '--reports', path.join(dir, 'bearer')]);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('auth: auth.tokenEnv: environment variable FAC_UNSET_TOKEN_VARIABLE is not set');
    } finally {
      server.child.kill('SIGTERM');
      await server.stopped;
    }
  });
});
