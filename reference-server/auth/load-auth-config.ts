/**
 * The clients file of `serve --auth <file>` (YAML or JSON): the registered SMART Backend
 * Services clients, each with its public keys, plus token lifetime and requiresAccessToken.
 *
 * ```yaml
 * tokenLifetime: 300s            # optional (s or m), default 300s
 * requiresAccessToken: true      # optional, default true
 * clients:
 *   - clientId: bulk-client
 *     jwksFile: bulk-client.jwks.json     # or jwks: { keys: [...] } inline,
 *     scope: system/*.read                # or publicKeyFile: key.pub.pem with keyId: k1
 * ```
 * Relative paths are relative to the clients file. Only public keys belong here.
 */
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { JSONWebKeySet, JWK } from 'jose';
import { parse } from 'yaml';
import { resolveAuthOptions, type AuthOptions, type RegisteredClientOptions } from './auth-config.js';

export class AuthConfigError extends Error {
  override readonly name = 'AuthConfigError';
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const TOP_KEYS = ['tokenLifetime', 'requiresAccessToken', 'tokenPrefix', 'clients'];
const CLIENT_KEYS = ['clientId', 'jwks', 'jwksFile', 'publicKeyFile', 'keyId', 'scope'];

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new AuthConfigError(`cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function checkKeys(value: Obj, allowed: readonly string[], where: string): void {
  const unknown = Object.keys(value).filter((k) => !allowed.includes(k));
  if (unknown.length) throw new AuthConfigError(`${where}: unknown key(s) ${unknown.join(', ')} (allowed: ${allowed.join(', ')})`);
}

function parseLifetime(value: unknown, where: string): number | undefined {
  if (value === undefined) return undefined;
  const m = typeof value === 'string' ? /^([0-9]+)(s|m)$/.exec(value) : null;
  if (m === null) throw new AuthConfigError(`${where}: tokenLifetime must be a duration in s or m (e.g. 300s, 5m)`);
  return Number(m[1]) * (m[2] === 'm' ? 60 : 1);
}

function readPublicKeyFile(file: string, keyId: unknown, where: string): JSONWebKeySet {
  if (typeof keyId !== 'string' || keyId === '') throw new AuthConfigError(`${where}: publicKeyFile needs keyId (the kid the client puts in its assertions)`);
  try {
    const jwk = createPublicKey(readText(file, 'public key file')).export({ format: 'jwk' }) as JWK;
    return { keys: [{ ...jwk, kid: keyId }] };
  } catch (e) {
    if (e instanceof AuthConfigError) throw e;
    throw new AuthConfigError(`${where}: ${file} is not a PEM public key (SPKI "BEGIN PUBLIC KEY")`);
  }
}

function readJwks(client: Obj, dir: string, where: string): JSONWebKeySet {
  const sources = ['jwks', 'jwksFile', 'publicKeyFile'].filter((k) => client[k] !== undefined);
  if (sources.length !== 1) throw new AuthConfigError(`${where}: give exactly one of jwks, jwksFile, publicKeyFile`);
  if (typeof client['publicKeyFile'] === 'string') return readPublicKeyFile(path.resolve(dir, client['publicKeyFile']), client['keyId'], where);
  let jwks: unknown = client['jwks'];
  if (typeof client['jwksFile'] === 'string') {
    const file = path.resolve(dir, client['jwksFile']);
    try {
      jwks = JSON.parse(readText(file, 'JWKS file')) as unknown;
    } catch (e) {
      if (e instanceof AuthConfigError) throw e;
      throw new AuthConfigError(`${where}: ${file} is not JSON`);
    }
  }
  if (!isObj(jwks) || !Array.isArray(jwks['keys'])) throw new AuthConfigError(`${where}: the JWKS must be an object with a keys array`);
  return jwks as unknown as JSONWebKeySet;
}

function readClient(value: unknown, dir: string, where: string): RegisteredClientOptions {
  if (!isObj(value)) throw new AuthConfigError(`${where}: expected a mapping with clientId and keys`);
  checkKeys(value, CLIENT_KEYS, where);
  if (typeof value['clientId'] !== 'string') throw new AuthConfigError(`${where}: clientId is required`);
  const scope = value['scope'];
  if (scope !== undefined && typeof scope !== 'string') throw new AuthConfigError(`${where}: scope must be a space-separated string`);
  return {
    clientId: value['clientId'],
    jwks: readJwks(value, dir, `${where} (${value['clientId']})`),
    ...(scope === undefined ? {} : { scopes: scope.split(' ').filter((s) => s !== '') }),
  };
}

/** Reads and validates the clients file; throws AuthConfigError with the file and the problem. */
export function loadAuthConfig(file: string): AuthOptions {
  const text = readText(file, 'auth clients file');
  let raw: unknown;
  try {
    raw = parse(text) as unknown;
  } catch (e) {
    throw new AuthConfigError(`${file}: not valid YAML: ${(e as Error).message.split('\n')[0] ?? ''}`);
  }
  if (!isObj(raw)) throw new AuthConfigError(`${file}: expected a mapping with clients`);
  checkKeys(raw, TOP_KEYS, file);
  if (!Array.isArray(raw['clients']) || raw['clients'].length === 0) throw new AuthConfigError(`${file}: clients must list at least one client`);
  const dir = path.dirname(file);
  const requires = raw['requiresAccessToken'];
  if (requires !== undefined && typeof requires !== 'boolean') throw new AuthConfigError(`${file}: requiresAccessToken must be true or false`);
  const lifetime = parseLifetime(raw['tokenLifetime'], file);
  const prefix = raw['tokenPrefix'];
  if (prefix !== undefined && typeof prefix !== 'string') throw new AuthConfigError(`${file}: tokenPrefix must be a string`);
  const options: AuthOptions = {
    clients: raw['clients'].map((c, i) => readClient(c, dir, `${file}: clients[${i}]`)),
    ...(lifetime === undefined ? {} : { tokenLifetimeSeconds: lifetime }),
    ...(requires === undefined ? {} : { requiresAccessToken: requires }),
    ...(prefix === undefined ? {} : { tokenPrefix: prefix }),
  };
  try {
    resolveAuthOptions(options);
  } catch (e) {
    throw new AuthConfigError(`${file}: ${(e as Error).message}`);
  }
  return options;
}
