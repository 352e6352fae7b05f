/**
 * The credentials of one run and the rules for sending them. A token goes only where it belongs:
 * to the target's own origin, and to export files whose manifest says `requiresAccessToken: true`
 * (wherever they are); never to a file whose manifest says `false` (AUTH-05: the client SHALL NOT
 * send a SMART token to a capability URL), nor to any other origin. A step picks the credentials
 * (`auth: none | primary | secondary | expired | malformed | scoped`); the default is the primary client.
 */
import { randomBytes } from 'node:crypto';
import type { HttpResponse, OutgoingRequest } from '../http/client.js';
import type { Redactor } from '../http/redact.js';
import type { StepAuth } from '../model/scenario.js';
import type { Clock } from '../runner/clock.js';
import { FileTokenPolicy } from './file-token-policy.js';
import { readableTypes } from './scoped-types.js';
import type { TokenResult } from './request-token.js';
import type { TokenSource } from './token-sources.js';

/** How to come by a token that has expired: given (an environment variable), or waited out. */
export type ExpiredTokenPlan = { kind: 'given'; token: string } | { kind: 'wait'; maxWaitMs: number } | { kind: 'none'; reason: string };

export interface AuthSessionInit {
  primary: TokenSource;
  secondary?: TokenSource;
  /** The narrowly scoped client (AUTH-06). */
  scoped?: TokenSource;
  expired: ExpiredTokenPlan;
  /** Origin of the target base URL (`http://host:port`). */
  targetOrigin: string;
  clock: Clock;
  redactor: Redactor;
  /** The run's signal: shared token fetches are not tied to one scenario's deadline. */
  runSignal: AbortSignal;
  /** What the run uses, for the console: never a secret. */
  description: string;
}

export type Authorized = { ok: true; request: OutgoingRequest } | { ok: false; reason: string };

/** Slack after expiry before an expired token is used, for clock differences with the server. */
const EXPIRY_SLACK_MS = 1_500;

export class AuthSession {
  readonly files = new FileTokenPolicy();
  /** Not a token: a fixed-shape value no server issued, for `auth: malformed` steps. */
  private readonly malformed = `malformed.${randomBytes(9).toString('base64url')}.not-a-token`;
  private expiredToken: Promise<TokenResult> | undefined;
  private primaryLifetimeS: number | undefined;
  private scopedGrant: { ok: true; types: string[] } | { ok: false; reason: string } | undefined;

  constructor(private readonly init: AuthSessionInit) {}

  get description(): string {
    return this.init.description;
  }

  get hasSecondClient(): boolean {
    return this.init.secondary !== undefined;
  }

  /** Gets the first tokens (so that a bad configuration stops the run at once); a message on failure. */
  async prepare(signal: AbortSignal): Promise<string | undefined> {
    const primary = await this.init.primary.current(signal);
    if (!primary.ok) return primary.error;
    this.primaryLifetimeS = primary.token.expiresIn;
    const secondary = await this.init.secondary?.current(signal);
    if (secondary && !secondary.ok) return `second client: ${secondary.error}`;
    const scoped = await this.init.scoped?.current(signal);
    if (scoped && !scoped.ok) return `scoped client: ${scoped.error}`;
    if (scoped?.ok) {
      // What the client is authorised for is what it was granted (the requested scope when the answer names none).
      const types = readableTypes(scoped.token.scope);
      this.scopedGrant = types.ok ? types : { ok: false, reason: `the scoped client was granted '${scoped.token.scope}', which is not limited to some resource types: ${types.reason}` };
    }
    return undefined;
  }

  /** The resource types the scoped client may read (from its granted scope), or why there are none to test with. */
  scopedTypes(): { ok: true; types: string[] } | { ok: false; reason: string } {
    if (this.init.scoped === undefined) return { ok: false, reason: 'no narrowly scoped client in the target profile (auth.scopedClient)' };
    return this.scopedGrant ?? { ok: false, reason: 'the scoped client has no token yet' };
  }

  /** Why `auth: expired` steps cannot run here, or undefined when they can. */
  expiredTokenUnavailable(): string | undefined {
    const plan = this.init.expired;
    if (plan.kind === 'given') return undefined;
    if (plan.kind === 'none') return plan.reason;
    const lifetime = this.primaryLifetimeS;
    if (lifetime !== undefined && lifetime * 1000 > plan.maxWaitMs) {
      return `tokens live ${lifetime}s, longer than auth.maxExpiryWait (${Math.round(plan.maxWaitMs / 1000)}s); raise it (and --timeout) or set auth.expiredTokenEnv`;
    }
    return undefined;
  }

  /** The request with the credentials the step asks for, where they may go. */
  async authorize(req: OutgoingRequest, mode: StepAuth | undefined, signal: AbortSignal): Promise<Authorized> {
    const bare = withoutAuthorization(req);
    const chosen = mode ?? 'primary';
    if (chosen === 'none' || !this.mayCarryToken(req.url)) return { ok: true, request: bare };
    const token = await this.tokenFor(chosen, signal);
    if (!token.ok) return { ok: false, reason: token.error };
    this.init.redactor.addSecret(token.token.accessToken);
    return { ok: true, request: { ...bare, headers: { ...bare.headers, Authorization: `Bearer ${token.token.accessToken}` } } };
  }

  /** Learns from a manifest which file URLs need the token. */
  observe(res: HttpResponse): void {
    this.files.observe(res);
  }

  private mayCarryToken(url: string): boolean {
    const listed = this.files.requiresToken(url);
    if (listed !== undefined) return listed;
    try {
      return new URL(url).origin === this.init.targetOrigin;
    } catch {
      return false;
    }
  }

  private async tokenFor(mode: Exclude<StepAuth, 'none'>, signal: AbortSignal): Promise<TokenResult> {
    switch (mode) {
      case 'primary':
        return this.init.primary.current(this.init.runSignal);
      case 'secondary':
        return this.init.secondary
          ? this.init.secondary.current(this.init.runSignal)
          : { ok: false, error: "the step asks for the second client's token, but the target profile has none (auth.secondClient); require second-client in the scenario" };
      case 'scoped':
        return this.init.scoped
          ? this.init.scoped.current(this.init.runSignal)
          : { ok: false, error: "the step asks for the scoped client's token, but the target profile has none (auth.scopedClient); require scoped-client in the scenario" };
      case 'malformed':
        return { ok: true, token: { accessToken: this.malformed, expiresAt: 0, expiresIn: 0, scope: '' } };
      case 'expired':
        return this.obtainExpiredToken(signal);
    }
  }

  /**
   * A token that has expired: the given one, or a fresh one whose lifetime each caller waits out
   * (one token per run, fetched once; a failed fetch is retried by the next caller).
   */
  private async obtainExpiredToken(signal: AbortSignal): Promise<TokenResult> {
    const plan = this.init.expired;
    if (plan.kind === 'given') return { ok: true, token: { accessToken: plan.token, expiresAt: 0, expiresIn: 0, scope: '' } };
    const unavailable = this.expiredTokenUnavailable();
    const fresh = this.init.primary.fresh;
    if (plan.kind === 'none' || unavailable !== undefined || fresh === undefined) {
      return { ok: false, error: `no expired token: ${unavailable ?? 'this token source cannot issue tokens'}` };
    }
    const pending = (this.expiredToken ??= fresh(signal));
    const result = await pending;
    if (!result.ok) {
      if (this.expiredToken === pending) this.expiredToken = undefined;
      return result;
    }
    this.init.redactor.addSecret(result.token.accessToken);
    const wait = result.token.expiresAt + EXPIRY_SLACK_MS - this.init.clock.now();
    if (wait > plan.maxWaitMs + EXPIRY_SLACK_MS) {
      return { ok: false, error: `no expired token: a fresh token lives ${result.token.expiresIn}s, longer than auth.maxExpiryWait` };
    }
    try {
      if (wait > 0) await this.init.clock.sleep(wait, signal);
    } catch {
      return { ok: false, error: 'aborted while waiting for a token to expire' };
    }
    return result;
  }
}

/** A copy of the request without any Authorization header (whatever its case). */
export function withoutAuthorization(req: OutgoingRequest): OutgoingRequest {
  const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k.toLowerCase() !== 'authorization'));
  return { ...req, headers };
}
