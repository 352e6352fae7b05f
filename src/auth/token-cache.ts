/**
 * One client's access token, cached and renewed before it expires: a token is reused until a
 * quarter of its lifetime (at most a minute) is left, then the next caller fetches a new one.
 * Concurrent callers share one request in flight. A failed fetch is not cached.
 */
import type { Clock } from '../runner/clock.js';
import type { IssuedAccessToken, TokenResult } from './request-token.js';

const MAX_RENEW_MARGIN_MS = 60_000;

/** When to stop using a token: a quarter of its lifetime before expiry, at most a minute before. */
export function renewAt(token: IssuedAccessToken): number {
  const margin = Math.min(MAX_RENEW_MARGIN_MS, (token.expiresIn * 1000) / 4);
  return token.expiresAt - margin;
}

export class TokenCache {
  private current: IssuedAccessToken | undefined;
  private pending: Promise<TokenResult> | undefined;
  /** How many tokens were fetched (for tests and the run summary). */
  fetched = 0;

  constructor(
    private readonly fetchToken: (signal: AbortSignal) => Promise<TokenResult>,
    private readonly clock: Pick<Clock, 'now'>,
  ) {}

  /** A token good for now; fetches (once, shared) when there is none or it is due for renewal. */
  async get(signal: AbortSignal): Promise<TokenResult> {
    const current = this.current;
    if (current !== undefined && this.clock.now() < renewAt(current)) return { ok: true, token: current };
    this.pending ??= this.fetchToken(signal)
      .then((result) => {
        if (result.ok) {
          this.current = result.token;
          this.fetched++;
        }
        return result;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }
}
