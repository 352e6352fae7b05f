/**
 * What the runner calls to send a step's request: attaches the credentials the step asks for
 * (see AuthSession for where a token may go), sends, and lets the session learn from manifests
 * which file URLs need the token. Without auth configured only `auth: none` changes anything (it
 * drops an Authorization header the profile's `headers` would add).
 */
import type { OutgoingRequest, SendResult } from '../http/client.js';
import type { HeaderValue } from '../model/results.js';
import type { StepAuth } from '../model/scenario.js';
import type { RunContext } from '../runner/context.js';
import { withoutAuthorization } from './auth-session.js';

export interface AuthorizedSend {
  req: OutgoingRequest;
  auth: StepAuth | undefined;
  label: string;
  signal: AbortSignal;
}

/** The result, and the request as actually sent (for "sent:" lines; its token is redacted there). */
export type AuthorizedResult = SendResult & { request: OutgoingRequest };

export async function sendWithAuth(ctx: Pick<RunContext, 'client' | 'redactor' | 'auth'>, send: AuthorizedSend): Promise<AuthorizedResult> {
  const { auth, label, signal } = send;
  let request = auth === 'none' ? withoutAuthorization(send.req) : send.req;
  if (ctx.auth !== undefined) {
    const authorized = await ctx.auth.authorize(send.req, auth, signal);
    if (!authorized.ok) return notSent(ctx, send.req, label, `cannot get credentials for this request: ${authorized.reason}`);
    request = authorized.request;
  } else if (auth !== undefined && auth !== 'none' && auth !== 'primary') {
    return notSent(ctx, send.req, label, `the step asks for auth: ${auth}, but the target profile configures no auth`);
  }
  const result = await ctx.client.send(request, label, signal);
  if (result.ok) ctx.auth?.observe(result.response);
  return { ...result, request };
}

/** A request that was never sent: recorded as an exchange with the reason, so the transcript says why. */
function notSent(ctx: Pick<RunContext, 'redactor'>, req: OutgoingRequest, label: string, error: string): AuthorizedResult {
  const message = ctx.redactor.text(error);
  return {
    ok: false,
    error: message,
    request: req,
    exchange: {
      label,
      request: { method: req.method, url: ctx.redactor.text(req.url), headers: ctx.redactor.headers(req.headers) },
      error: message,
      startedAt: new Date().toISOString(),
      durationMs: 0,
    },
  };
}

export interface FileRequest {
  url: string;
  headers: Record<string, string>;
  /** The manifest's requiresAccessToken: the token goes only to files that need it (AUTH-05). */
  requiresAccessToken: boolean;
  signal: AbortSignal;
}

/**
 * Headers for an export file fetched outside `sendWithAuth` (streamed downloads): with the token
 * when the manifest requires it, never with one when it does not.
 */
export async function authorizeFileRequest(ctx: Pick<RunContext, 'auth' | 'fileAuth'>, file: FileRequest): Promise<{ ok: true; headers: Record<string, HeaderValue> } | { ok: false; reason: string }> {
  const req: OutgoingRequest = { method: 'GET', url: file.url, headers: file.headers };
  if (ctx.auth === undefined) return { ok: true, headers: file.requiresAccessToken ? file.headers : withoutAuthorization(req).headers };
  const authorized = await ctx.auth.authorize(req, file.requiresAccessToken ? (ctx.fileAuth ?? 'primary') : 'none', file.signal);
  return authorized.ok ? { ok: true, headers: authorized.request.headers } : { ok: false, reason: `cannot get credentials for ${file.url}: ${authorized.reason}` };
}
