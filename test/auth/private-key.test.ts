import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPrivateKey } from '../../src/auth/load-private-key.js';
import { CLIENT_A, CLIENT_B } from './auth-helpers.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'fac-keys-'));
function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

const rsaPkcs8 = CLIENT_A.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const rsaPkcs1 = CLIENT_A.privateKey.export({ format: 'pem', type: 'pkcs1' }).toString();
const ecSec1 = CLIENT_B.privateKey.export({ format: 'pem', type: 'sec1' }).toString();
const ecJwk = { ...CLIENT_B.privateKey.export({ format: 'jwk' }), kid: 'b-kid' };

describe('loadPrivateKey', () => {
  it('reads PKCS#8 and PKCS#1 PEM for RS384 (kid from keyId) and a private JWK for ES384 (its own kid)', () => {
    for (const pem of [rsaPkcs8, rsaPkcs1]) {
      const loaded = loadPrivateKey(file(`rsa-${pem.length}.pem`, pem), 'RS384', 'a-kid');
      expect(loaded.ok).toBe(true);
      if (loaded.ok) expect(loaded.signingKey.kid).toBe('a-kid');
    }
    const jwk = loadPrivateKey(file('ec.jwk.json', JSON.stringify(ecJwk)), 'ES384', undefined);
    expect(jwk.ok && jwk.signingKey.kid).toBe('b-kid');
    expect(loadPrivateKey(file('ec.pem', ecSec1), 'ES384', 'k').ok).toBe(true);
  });

  it('hands back the key material as secrets (PEM body lines, JWK private members)', () => {
    const pem = loadPrivateKey(file('secrets.pem', rsaPkcs8), 'RS384', 'k');
    const lines = rsaPkcs8.split('\n').filter((l) => l !== '' && !l.startsWith('-----'));
    expect(pem.ok && pem.secrets).toEqual(lines);
    const jwk = loadPrivateKey(file('secrets.jwk.json', JSON.stringify(ecJwk)), 'ES384', undefined);
    expect(jwk.ok && jwk.secrets).toContain(ecJwk.d);
  });

  it.each([
    ['an RSA key for ES384', () => file('m1.pem', rsaPkcs8), 'ES384', /ES384 needs an EC key/],
    ['an EC key for RS384', () => file('m2.pem', ecSec1), 'RS384', /RS384 needs an RSA key/],
    ['a P-256 key for ES384', () => file('m3.pem', generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()), 'ES384', /P-384/],
    ['a 1024-bit RSA key', () => file('m4.pem', generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()), 'RS384', /2048 bits/],
    ['a public JWK', () => file('m5.json', JSON.stringify(CLIENT_A.publicJwk)), 'RS384', /not a private JWK/],
    ['a JWK Set', () => file('m6.json', JSON.stringify({ keys: [ecJwk] })), 'ES384', /JWK Set/],
    ['an encrypted PEM', () => file('m7.pem', CLIENT_A.privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString()), 'RS384', /encrypted/],
    ['a certificate-like text', () => file('m8.txt', 'hello'), 'RS384', /neither a private JWK/],
    ['a PEM without keyId', () => file('m9.pem', rsaPkcs8), 'RS384', /has no kid/],
    ['a missing file', () => path.join(dir, 'absent.pem'), 'RS384', /cannot read the private key file .*ENOENT/],
  ] as const)('refuses %s with a clear message', (_what, make, alg, message) => {
    const loaded = loadPrivateKey(make(), alg, undefined);
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) {
      expect(loaded.error).toMatch(message);
      expect(loaded.error).not.toContain('PRIVATE KEY');
    }
  });
});
