/**
 * The mutable side of auth mode, one per server: issued access tokens, client-assertion `jti`s
 * seen (replay protection until their `exp`), and which client started each job. Tokens are
 * opaque random strings; every time decision uses the server's injected clock.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { ServerState } from '../context.js';
import type { ResolvedAuthConfig } from './auth-config.js';

export interface IssuedToken {
  clientId: string;
  scopes: readonly string[];
  expiresAt: number;
}

export type TokenLookup =
  | { kind: 'valid'; token: IssuedToken }
  | { kind: 'expired'; token: IssuedToken }
  | { kind: 'unknown' };

/** Bounds so that a flood of requests cannot grow the maps without limit. */
const MAX_TOKENS = 100_000;
const MAX_JTIS = 100_000;
const MAX_OWNERS = 200_000;

export class AuthRuntime {
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly jtis = new Map<string, number>();
  private readonly owners = new Map<string, string>();

  constructor(
    readonly config: ResolvedAuthConfig,
    private readonly clock: Clock,
  ) {}

  issueToken(clientId: string, scopes: readonly string[]): { accessToken: string; token: IssuedToken } {
    this.purge();
    if (this.tokens.size >= MAX_TOKENS) this.tokens.delete(this.tokens.keys().next().value ?? '');
    const accessToken = `${this.config.tokenPrefix}${randomBytes(32).toString('base64url')}`;
    const token: IssuedToken = { clientId, scopes, expiresAt: this.clock.now() + this.config.tokenLifetimeMs };
    this.tokens.set(accessToken, token);
    return { accessToken, token };
  }

  lookupToken(accessToken: string): TokenLookup {
    const token = this.tokens.get(accessToken);
    if (token === undefined) return { kind: 'unknown' };
    return this.clock.now() >= token.expiresAt ? { kind: 'expired', token } : { kind: 'valid', token };
  }

  /** Records a client assertion's jti; false when the same client already used it (a replay). */
  useJti(clientId: string, jti: string, expiresAt: number): boolean {
    this.purge();
    const key = `${clientId}\u0000${jti}`;
    if (this.jtis.has(key)) return false;
    if (this.jtis.size >= MAX_JTIS) this.jtis.delete(this.jtis.keys().next().value ?? '');
    this.jtis.set(key, expiresAt);
    return true;
  }

  setOwner(jobId: string, clientId: string): void {
    // Jobs expire long before this many more are started; the oldest entries go first.
    if (this.owners.size >= MAX_OWNERS) this.owners.delete(this.owners.keys().next().value ?? '');
    this.owners.set(jobId, clientId);
  }

  ownerOf(jobId: string): string | undefined {
    return this.owners.get(jobId);
  }

  private purge(): void {
    const now = this.clock.now();
    // A token is kept a while after expiry so that using it is reported as expired, not unknown.
    for (const [value, token] of this.tokens) if (now >= token.expiresAt + this.config.tokenLifetimeMs * 4) this.tokens.delete(value);
    for (const [key, exp] of this.jtis) if (now >= exp) this.jtis.delete(key);
  }
}

const runtimes = new WeakMap<ServerState, AuthRuntime>();

/** The server's auth runtime, or undefined when auth is off. */
export function authRuntimeOf(state: ServerState): AuthRuntime | undefined {
  const config = state.config.auth;
  if (config === undefined) return undefined;
  let runtime = runtimes.get(state);
  if (runtime === undefined) {
    runtime = new AuthRuntime(config, state.config.clock);
    runtimes.set(state, runtime);
  }
  return runtime;
}
