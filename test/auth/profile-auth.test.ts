import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProfile } from '../../src/config/profile.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'fac-profile-auth-'));
let n = 0;
function load(text: string): ReturnType<typeof loadProfile> {
  const file = path.join(dir, `p${n++}.yaml`);
  writeFileSync(file, text);
  return loadProfile(file);
}
const messages = (r: ReturnType<typeof loadProfile>): string[] => r.diagnostics.map((d) => `${d.line}: ${d.message}`);

describe('target profile: auth', () => {
  it.each([
    'auth: { type: none }',
    'auth: { type: bearer, tokenEnv: FHIR_TOKEN, secondTokenEnv: OTHER_TOKEN }',
    'auth:\n  type: smart-backend-services\n  clientId: c-1\n  privateKey: keys/c.pem\n  alg: ES384\n  keyId: k1\n  scope: system/Patient.rs system/Observation.rs\n  tokenEndpoint: https://auth.example.org/token\n  maxExpiryWait: 2m\n  secondClient: { clientId: c-2, privateKey: keys/d.json, alg: RS384 }',
    'auth:\n  type: smart-backend-services\n  clientId: c-1\n  privateKey: keys/c.pem\n  alg: ES384\n  scopedClient: { clientId: c-3, privateKey: keys/e.pem, alg: ES384, scope: system/Patient.rs }',
  ])('accepts %s', (text) => {
    expect(messages(load(`baseUrl: https://fhir.example.org\n${text}\n`))).toEqual([]);
  });

  it.each([
    ['a key of another type', 'auth:\n  type: bearer\n  tokenEnv: T\n  privateKey: k.pem', ["5: at auth: unknown key 'privateKey' (allowed: type, tokenEnv, secondTokenEnv, expiredTokenEnv)"]],
    ['a missing client id', 'auth: { type: smart-backend-services, privateKey: k.pem, alg: RS384 }', ["2: at auth: missing required key 'clientId'"]],
    ['an algorithm other than RS384/ES384', 'auth: { type: smart-backend-services, clientId: c, privateKey: k.pem, alg: HS256 }', ['2: at auth.alg: must be one of: RS384, ES384']],
    ['a tokenEnv that is not a variable name (a token pasted in)', 'auth: { type: bearer, tokenEnv: "eyJ.abc" }', [expect.stringMatching(/^2: at auth.tokenEnv: invalid value/) as unknown as string]],
    ['an unknown type', 'auth: { type: basic }', ['2: at auth.type: must be one of: none, bearer, smart-backend-services']],
    ['a scoped client without its scope', 'auth:\n  type: smart-backend-services\n  clientId: c\n  privateKey: k.pem\n  alg: RS384\n  scopedClient: { clientId: n, privateKey: n.pem, alg: ES384 }', ["7: at auth.scopedClient: missing required key 'scope'"]],
  ])('reports %s with its line', (_what, text, expected) => {
    expect(messages(load(`baseUrl: https://fhir.example.org\n${text}\n`))).toEqual(expected);
  });
});
