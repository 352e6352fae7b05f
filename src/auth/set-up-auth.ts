/**
 * Builds the run's AuthSession from the target profile's `auth` (or the bundled server's
 * generated clients): loads private keys and reads bearer tokens from environment variables
 * (registering every secret with the redactor first), discovers the token endpoint, and gets the
 * first tokens so that a bad configuration stops the run at once with a clear message.
 */
import path from 'node:path';
import type { Dispatcher } from 'undici';
import type { Redactor } from '../http/redact.js';
import type { Clock } from '../runner/clock.js';
import { requireDuration } from '../util/duration.js';
import type { AuthClaims } from './auth-claims.js';
import { DEFAULT_SCOPE, type AuthProfile, type SmartClientProfile } from './auth-profile.js';
import { AuthSession, type ExpiredTokenPlan } from './auth-session.js';
import type { BundledAuth } from './bundled-clients.js';
import { discoverTokenEndpoint } from './discover-token-endpoint.js';
import { loadPrivateKey } from './load-private-key.js';
import { scopedTypeVariables } from './scoped-types.js';
import { createSmartSource, createStaticSource, type SmartClient, type TokenSource } from './token-sources.js';

export interface AuthSetupInput {
  profile: AuthProfile | undefined;
  /** Directory that relative key paths in the profile are resolved against. */
  profileDir: string;
  /** Generated clients of the bundled server in auth mode (instead of the profile's). */
  bundled?: BundledAuth;
  baseUrl: string;
  env: Readonly<Record<string, string | undefined>>;
  clock: Clock;
  redactor: Redactor;
  requestTimeoutMs: number;
  signal: AbortSignal;
  /** The run's dispatcher (trust anchors for an https token endpoint). */
  dispatcher?: Dispatcher;
}

export type AuthSetup =
  /** `variables`: what the auth gives scenarios (`scopedTypes`, `scopedTypesPattern` with a scoped client). */
  | { ok: true; session: AuthSession | undefined; claims: AuthClaims | undefined; variables: Record<string, string> }
  | { ok: false; error: string };

const DEFAULT_MAX_EXPIRY_WAIT_MS = 60_000;

type Built = { ok: true; primary: TokenSource; secondary?: TokenSource; scoped?: TokenSource; expired: ExpiredTokenPlan; description: string } | { ok: false; error: string };

function readEnvSecret(input: AuthSetupInput, name: string, key: string): string | { error: string } {
  const value = input.env[name];
  if (value === undefined || value === '') return { error: `auth.${key}: environment variable ${name} is not set` };
  input.redactor.addSecret(value);
  return value;
}

function buildBearer(input: AuthSetupInput, auth: Extract<AuthProfile, { type: 'bearer' }>): Built {
  const primary = readEnvSecret(input, auth.tokenEnv, 'tokenEnv');
  if (typeof primary !== 'string') return { ok: false, ...primary };
  const second = auth.secondTokenEnv === undefined ? undefined : readEnvSecret(input, auth.secondTokenEnv, 'secondTokenEnv');
  if (second !== undefined && typeof second !== 'string') return { ok: false, ...second };
  const expired = auth.expiredTokenEnv === undefined ? undefined : readEnvSecret(input, auth.expiredTokenEnv, 'expiredTokenEnv');
  if (expired !== undefined && typeof expired !== 'string') return { ok: false, ...expired };
  return {
    ok: true,
    primary: createStaticSource(`bearer token from $${auth.tokenEnv}`, primary),
    ...(second === undefined ? {} : { secondary: createStaticSource(`bearer token from $${auth.secondTokenEnv ?? ''}`, second) }),
    expired: expired === undefined ? { kind: 'none', reason: 'auth.type bearer: set auth.expiredTokenEnv to a token that has expired' } : { kind: 'given', token: expired },
    description: `bearer token from $${auth.tokenEnv}${second === undefined ? '' : `; second client's from $${auth.secondTokenEnv ?? ''}`}`,
  };
}

function loadClient(input: AuthSetupInput, client: SmartClientProfile, key: string): SmartClient | { error: string } {
  const loaded = loadPrivateKey(path.resolve(input.profileDir, client.privateKey), client.alg, client.keyId);
  if (!loaded.ok) return { error: `${key}: ${loaded.error}` };
  for (const secret of loaded.secrets) input.redactor.addSecret(secret);
  return { clientId: client.clientId, signingKey: loaded.signingKey, scope: client.scope ?? DEFAULT_SCOPE };
}

async function buildSmart(input: AuthSetupInput, clients: { primary: SmartClient; secondary?: SmartClient; scoped?: SmartClient }, opts: { tokenEndpoint?: string; expired: ExpiredTokenPlan }): Promise<Built> {
  const http = { timeoutMs: input.requestTimeoutMs, ...(input.dispatcher ? { dispatcher: input.dispatcher } : {}) };
  const found = await discoverTokenEndpoint(input.baseUrl, opts.tokenEndpoint, { ...http, signal: input.signal });
  if (!found.ok) return found;
  const source = (client: SmartClient): TokenSource =>
    createSmartSource({ client, tokenEndpoint: found.tokenEndpoint, clock: input.clock, http, onSecret: (v) => input.redactor.addSecret(v) });
  const primary = source(clients.primary);
  const secondary = clients.secondary === undefined ? undefined : source(clients.secondary);
  const scoped = clients.scoped === undefined ? undefined : source(clients.scoped);
  const second = secondary === undefined ? '' : `; second ${secondary.label}`;
  const narrow = scoped === undefined || clients.scoped === undefined ? '' : `; scoped ${scoped.label} asking for ${clients.scoped.scope}`;
  return {
    ok: true,
    primary,
    ...(secondary === undefined ? {} : { secondary }),
    ...(scoped === undefined ? {} : { scoped }),
    expired: opts.expired,
    description: `SMART Backend Services, ${primary.label}, token endpoint ${found.tokenEndpoint} (${found.how})${second}${narrow}`,
  };
}

async function build(input: AuthSetupInput): Promise<Built | undefined> {
  const waitPlan = (maxExpiryWait: string | undefined): ExpiredTokenPlan => ({
    kind: 'wait',
    maxWaitMs: maxExpiryWait === undefined ? DEFAULT_MAX_EXPIRY_WAIT_MS : requireDuration(maxExpiryWait, 'auth.maxExpiryWait'),
  });
  if (input.bundled !== undefined) {
    const { primary, secondary, scoped } = input.bundled;
    return buildSmart(input, { primary, secondary, ...(scoped === undefined ? {} : { scoped }) }, { expired: waitPlan(undefined) });
  }
  const auth = input.profile;
  if (auth === undefined || auth.type === 'none') return undefined;
  if (auth.type === 'bearer') return buildBearer(input, auth);
  const primary = loadClient(input, auth, 'auth.privateKey');
  if ('error' in primary) return { ok: false, error: primary.error };
  const secondary = auth.secondClient === undefined ? undefined : loadClient(input, auth.secondClient, 'auth.secondClient.privateKey');
  if (secondary !== undefined && 'error' in secondary) return { ok: false, error: secondary.error };
  const scoped = auth.scopedClient === undefined ? undefined : loadClient(input, auth.scopedClient, 'auth.scopedClient.privateKey');
  if (scoped !== undefined && 'error' in scoped) return { ok: false, error: scoped.error };
  let expired = waitPlan(auth.maxExpiryWait);
  if (auth.expiredTokenEnv !== undefined) {
    const given = readEnvSecret(input, auth.expiredTokenEnv, 'expiredTokenEnv');
    if (typeof given !== 'string') return { ok: false, ...given };
    expired = { kind: 'given', token: given };
  }
  return buildSmart(input, { primary, ...(secondary === undefined ? {} : { secondary }), ...(scoped === undefined ? {} : { scoped }) }, { ...(auth.tokenEndpoint === undefined ? {} : { tokenEndpoint: auth.tokenEndpoint }), expired });
}

export async function setUpAuth(input: AuthSetupInput): Promise<AuthSetup> {
  const built = await build(input);
  if (built === undefined) return { ok: true, session: undefined, claims: undefined, variables: {} };
  if (!built.ok) return built;
  const session = new AuthSession({
    primary: built.primary,
    ...(built.secondary === undefined ? {} : { secondary: built.secondary }),
    ...(built.scoped === undefined ? {} : { scoped: built.scoped }),
    expired: built.expired,
    targetOrigin: new URL(input.baseUrl).origin,
    clock: input.clock,
    redactor: input.redactor,
    runSignal: input.signal,
    description: built.description,
  });
  const problem = await session.prepare(input.signal);
  if (problem !== undefined) return { ok: false, error: problem };
  const kind = input.bundled !== undefined || input.profile?.type === 'smart-backend-services' ? 'smart-backend-services' : 'bearer';
  const scoped = session.scopedTypes();
  return {
    ok: true,
    session,
    claims: {
      kind,
      secondClient: session.hasSecondClient,
      expiredTokenUnavailable: session.expiredTokenUnavailable(),
      scopedClientUnavailable: scoped.ok ? undefined : scoped.reason,
      bundled: input.bundled !== undefined,
    },
    variables: scoped.ok ? scopedTypeVariables(scoped.types) : {},
  };
}
