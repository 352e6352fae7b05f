import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { resolveAuthOptions } from '../../reference-server/auth/auth-config.js';
import { AuthConfigError, loadAuthConfig } from '../../reference-server/index.js';
import { CLIENT_A, CLIENT_B } from './auth-helpers.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'fac-auth-config-'));
function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('auth option validation', () => {
  it('defaults: 300 s tokens, files need the token, read scopes', () => {
    const config = resolveAuthOptions({ clients: [{ clientId: 'a', jwks: { keys: [CLIENT_A.publicJwk] } }] });
    expect(config?.tokenLifetimeMs).toBe(300_000);
    expect(config?.requiresAccessToken).toBe(true);
    expect(config?.clients.get('a')?.scopes).toEqual(['system/*.read', 'system/*.rs']);
    expect(resolveAuthOptions(undefined)).toBeUndefined();
  });

  it.each([
    ['a private key member', { ...CLIENT_A.publicJwk, d: 'secret' }, /private member "d"/],
    ['no kid', { ...CLIENT_A.publicJwk, kid: undefined }, /needs a "kid"/],
    ['an EC key off P-384', { ...CLIENT_B.publicJwk, crv: 'P-256' }, /P-384/],
    ['a symmetric key', { kty: 'oct', kid: 'k', k: 'c2VjcmV0' }, /kty must be RSA or EC/],
  ])('refuses a registered key with %s', (_what, key, message) => {
    expect(() => resolveAuthOptions({ clients: [{ clientId: 'a', jwks: { keys: [key] } }] })).toThrow(message);
  });

  it('refuses no clients, a client twice, a bad lifetime and a bad token prefix', () => {
    const client = { clientId: 'a', jwks: { keys: [CLIENT_A.publicJwk] } };
    expect(() => resolveAuthOptions({ clients: [] })).toThrow(/at least one client/);
    expect(() => resolveAuthOptions({ clients: [client, client] })).toThrow(/registered twice/);
    expect(() => resolveAuthOptions({ clients: [client], tokenLifetimeSeconds: 0 })).toThrow(/tokenLifetimeSeconds/);
    expect(() => resolveAuthOptions({ clients: [client], tokenPrefix: 'a b' })).toThrow(/tokenPrefix/);
  });
});

describe('serve --auth clients file', () => {
  it('reads inline JWKS, a JWKS file and a PEM public key with keyId, relative to the file', () => {
    file('b.jwks.json', JSON.stringify({ keys: [CLIENT_B.publicJwk] }));
    file('c.pub.pem', createPublicKey(CLIENT_A.privateKey).export({ format: 'pem', type: 'spki' }).toString());
    const config = file('clients.yaml', [
      'tokenLifetime: 2m',
      'requiresAccessToken: false',
      'clients:',
      `  - { clientId: a, jwks: { keys: [${JSON.stringify(CLIENT_A.publicJwk)}] }, scope: "system/Patient.read" }`,
      '  - { clientId: b, jwksFile: b.jwks.json }',
      '  - { clientId: c, publicKeyFile: c.pub.pem, keyId: c-1 }',
    ].join('\n'));
    const options = loadAuthConfig(config);
    expect(options.tokenLifetimeSeconds).toBe(120);
    expect(options.requiresAccessToken).toBe(false);
    expect(options.clients.map((c) => c.clientId)).toEqual(['a', 'b', 'c']);
    expect(options.clients[0]?.scopes).toEqual(['system/Patient.read']);
    expect(options.clients[2]?.jwks.keys[0]).toMatchObject({ kty: 'RSA', kid: 'c-1' });
  });

  it.each([
    ['missing file', null, /cannot read auth clients file .*ENOENT/],
    ['not YAML', 'clients: [', /not valid YAML/],
    ['unknown key', 'clients: [{ clientId: a, jwks: { keys: [] } }]\nextra: 1', /unknown key\(s\) extra/],
    ['no key source', 'clients: [{ clientId: a }]', /exactly one of jwks, jwksFile, publicKeyFile/],
    ['PEM without keyId', 'clients: [{ clientId: a, publicKeyFile: x.pem }]', /publicKeyFile needs keyId/],
    ['empty JWKS', 'clients: [{ clientId: a, jwks: { keys: [] } }]', /at least one public key/],
    ['bad lifetime', 'tokenLifetime: soon\nclients: [{ clientId: a, jwks: { keys: [] } }]', /tokenLifetime must be a duration/],
  ])('reports %s with the file name', (_what, text, message) => {
    const p = text === null ? path.join(dir, 'absent.yaml') : file(`bad-${Math.random().toString(36).slice(2)}.yaml`, text);
    expect(() => loadAuthConfig(p)).toThrow(AuthConfigError);
    expect(() => loadAuthConfig(p)).toThrow(message);
    try {
      loadAuthConfig(p);
    } catch (e) {
      expect((e as Error).message).toContain(p);
    }
  });
});
