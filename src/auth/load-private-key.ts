/**
 * Loads a client's private signing key from a file: a private JWK (JSON) or PEM (PKCS#8
 * "BEGIN PRIVATE KEY", PKCS#1 "BEGIN RSA PRIVATE KEY", SEC1 "BEGIN EC PRIVATE KEY"). The key
 * must fit the algorithm (RS384: RSA of 2048 bits or more; ES384: EC on P-384) and have a kid.
 * Every piece of key material is handed back as a secret to register with the redactor.
 */
import { createPrivateKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AssertionAlg } from './auth-profile.js';

export interface SigningKey {
  key: KeyObject;
  alg: AssertionAlg;
  kid: string;
}

export type KeyLoad = { ok: true; signingKey: SigningKey; secrets: string[] } | { ok: false; error: string };

const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const;

/** The lines of a PEM body and the private members of a JWK: what must never appear in a report. */
function secretsOf(text: string, jwk: Record<string, unknown> | undefined): string[] {
  if (jwk !== undefined) return PRIVATE_JWK_MEMBERS.map((m) => jwk[m]).filter((v): v is string => typeof v === 'string');
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('-----'));
}

/** Checks that the key fits the algorithm; a message when it does not. */
export function checkKeyFitsAlg(key: KeyObject, alg: AssertionAlg): string | undefined {
  if (key.type !== 'private') return 'is not a private key';
  const details = key.asymmetricKeyDetails ?? {};
  if (alg === 'RS384') {
    if (key.asymmetricKeyType !== 'rsa') return `is a ${key.asymmetricKeyType ?? 'non-RSA'} key; RS384 needs an RSA key`;
    if ((details.modulusLength ?? 0) < 2048) return `is a ${details.modulusLength ?? 0}-bit RSA key; RS384 needs 2048 bits or more`;
    return undefined;
  }
  if (key.asymmetricKeyType !== 'ec') return `is a ${key.asymmetricKeyType ?? 'non-EC'} key; ES384 needs an EC key on P-384`;
  if (details.namedCurve !== 'secp384r1') return `is an EC key on ${details.namedCurve ?? 'an unknown curve'}; ES384 needs P-384 (secp384r1)`;
  return undefined;
}

function parseKey(text: string): { key: KeyObject; jwk?: Record<string, unknown> } | string {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let jwk: Record<string, unknown>;
    try {
      jwk = JSON.parse(trimmed) as Record<string, unknown>;
    } catch {
      return 'looks like JSON but does not parse (expected a private JWK)';
    }
    if (Array.isArray(jwk['keys'])) return 'is a JWK Set; give the file of one private JWK';
    try {
      return { key: createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' }), jwk };
    } catch {
      return 'is not a private JWK (kty RSA or EC with its private members)';
    }
  }
  if (!trimmed.includes('PRIVATE KEY-----')) return 'is neither a private JWK (JSON) nor a PEM private key';
  if (trimmed.includes('ENCRYPTED')) return 'is an encrypted PEM key; decrypt it first (the harness takes no passphrase)';
  try {
    return { key: createPrivateKey(trimmed) };
  } catch {
    return 'is not a readable PEM private key';
  }
}

/** Reads `file` (already resolved) for `alg`; `keyId` overrides the JWK's kid and is required for PEM. */
export function loadPrivateKey(file: string, alg: AssertionAlg, keyId: string | undefined): KeyLoad {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { ok: false, error: `cannot read the private key file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
  const parsed = parseKey(text);
  if (typeof parsed === 'string') return { ok: false, error: `the private key file ${file} ${parsed}` };
  const misfit = checkKeyFitsAlg(parsed.key, alg);
  if (misfit !== undefined) return { ok: false, error: `the private key in ${file} ${misfit}` };
  const kid = keyId ?? (typeof parsed.jwk?.['kid'] === 'string' ? parsed.jwk['kid'] : undefined);
  if (kid === undefined || kid === '') return { ok: false, error: `the private key in ${file} has no kid: set keyId in the profile (the kid registered with the server)` };
  return { ok: true, signingKey: { key: parsed.key, alg, kid }, secrets: secretsOf(text, parsed.jwk) };
}
