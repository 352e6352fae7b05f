/**
 * Auth mode's gate in front of the route handlers. Kick-offs and every other FHIR interaction,
 * status polls, cancels, redirect results and (when `requiresAccessToken`) export files demand a
 * valid bearer token (401 otherwise, with `WWW-Authenticate`); a kick-off also needs system read
 * scopes covering the types it exports (403 otherwise, AUTH-06). A job belongs to the client whose kick-off created it: another client's token
 * gets 404 on its status URL, files and result, exactly as an unknown URL does.
 * Open: /metadata, discovery, the token endpoint, and capability URLs (search output files).
 */
import { EXPORT_PATTERN, FILE_PATTERN, GROUP_EXPORT_PATTERN, MANIFEST_PAGE_PATTERN, PATIENT_EXPORT_PATTERN, STATUS_PATTERN } from '../bulk/paths.js';
import type { Handler, RequestContext } from '../context.js';
import { sendJson } from '../http-util.js';
import { OUTPUT_PATTERN, RESULT_PATTERN } from '../interaction/paths.js';
import { authRuntimeOf, type AuthRuntime } from './auth-runtime.js';
import { checkExportScopes } from './scopes.js';
import { SMART_CONFIGURATION_PATTERN, TOKEN_PATTERN } from './token-endpoint.js';

type Protection = 'open' | 'kickoff' | 'interaction' | 'status' | 'cancel' | 'file' | 'result' | 'manifest-page';

const EXPORTS: readonly RegExp[] = [EXPORT_PATTERN, PATIENT_EXPORT_PATTERN, GROUP_EXPORT_PATTERN];
const OPEN: readonly RegExp[] = [SMART_CONFIGURATION_PATTERN, TOKEN_PATTERN, OUTPUT_PATTERN, /^\/metadata$/];
const REALM = 'realm="fhir-async-conformance reference server"';

/** Who is asking: a client with a token, or nobody (a fault let an unauthenticated request through). */
type Caller = { clientId: string | undefined; scopes: readonly string[] };

function protectionOf(pattern: RegExp, method: string): Protection {
  if (OPEN.some((p) => p.source === pattern.source)) return 'open';
  if (pattern === STATUS_PATTERN) return method === 'DELETE' ? 'cancel' : 'status';
  if (pattern === FILE_PATTERN) return 'file';
  // Manifest pages after the first are as protected as the status URL that serves the first.
  if (pattern === MANIFEST_PAGE_PATTERN) return 'manifest-page';
  if (pattern === RESULT_PATTERN) return 'result';
  return EXPORTS.includes(pattern) ? 'kickoff' : 'interaction';
}

function sendRefusal(ctx: RequestContext, status: 401 | 403 | 404, challenge: string | undefined, diagnostics: string): void {
  ctx.req.resume();
  const code = status === 401 ? 'login' : status === 403 ? 'forbidden' : 'not-found';
  const body = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] };
  sendJson(ctx.res, status, body, challenge === undefined ? {} : { headers: { 'WWW-Authenticate': challenge } });
}

function readBearer(ctx: RequestContext): string | undefined {
  const header = ctx.req.headers.authorization;
  if (header === undefined) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1] ?? '';
}

/** The caller behind the request's token, or undefined after answering 401. */
function authenticate(ctx: RequestContext, runtime: AuthRuntime, protection: Protection): Caller | undefined {
  const { faults } = ctx.state.config;
  const bearer = readBearer(ctx);
  if (bearer === undefined) {
    // Faults AUTH-03: a status poll, a cancel or a file download is served without a token.
    if (protection === 'status' && faults.has('status-open-without-token')) return { clientId: undefined, scopes: [] };
    if (protection === 'cancel' && faults.has('cancel-open-without-token')) return { clientId: undefined, scopes: [] };
    if (protection === 'file' && faults.has('files-open-without-token')) return { clientId: undefined, scopes: [] };
    sendRefusal(ctx, 401, `Bearer ${REALM}`, 'this request needs an access token (Authorization: Bearer <token>)');
    return undefined;
  }
  const found = runtime.lookupToken(bearer);
  if (found.kind === 'valid') return found.token;
  // Fault AUTH-03: an expired token still works.
  if (found.kind === 'expired' && faults.has('expired-token-accepted')) return found.token;
  // Fault AUTH-03: every Bearer value works, as a client the server does not know.
  if (found.kind === 'unknown' && faults.has('unknown-token-accepted')) return { clientId: undefined, scopes: ['system/*.read'] };
  const why = found.kind === 'expired' ? 'the access token has expired' : 'the access token is not one this server issued (malformed or unknown)';
  sendRefusal(ctx, 401, `Bearer ${REALM}, error="invalid_token", error_description="${why}"`, why);
  return undefined;
}

/** The job id a protected URL belongs to, when that job exists. */
function jobIdOf(ctx: RequestContext, protection: Protection): string | undefined {
  const { exportJobs, interactionJobs } = ctx.state;
  const [key = ''] = ctx.pathParams;
  if (protection === 'status' || protection === 'cancel') return interactionJobs.get(key) !== undefined || exportJobs.get(key) !== undefined ? key : undefined;
  if (protection === 'file' || protection === 'manifest-page') return exportJobs.getByFileKey(key)?.id;
  if (protection === 'result') return interactionJobs.getByFileKey(key)?.id;
  return undefined;
}

/** False after answering 404 for a job another client started. */
function checkOwner(ctx: RequestContext, runtime: AuthRuntime, protection: Protection, caller: Caller): boolean {
  const jobId = jobIdOf(ctx, protection);
  // No job: the handler answers 404 itself. No caller: a fault let the request in without a token.
  if (jobId === undefined || caller.clientId === undefined) return true;
  // Fault AUTH-04: another client's token is as good as the owner's.
  if (runtime.ownerOf(jobId) === caller.clientId || ctx.state.config.faults.has('other-client-token-accepted')) return true;
  sendRefusal(ctx, 404, undefined, 'no job or file at this URL (unknown, expired, deleted, or not started by this client)');
  return false;
}

/** The `_type`s of a GET kick-off; undefined (every type) for POST, whose Parameters body is the handler's to read. */
function requestedTypes(ctx: RequestContext): string[] | undefined {
  if (ctx.req.method !== 'GET') return undefined;
  const types = ctx.url.searchParams.getAll('_type').flatMap((v) => v.split(',')).map((t) => t.trim()).filter((t) => t !== '');
  return types.length ? types : undefined;
}

/** After a kick-off answered 202, the job named by its Content-Location belongs to the caller. */
function recordOwner(ctx: RequestContext, runtime: AuthRuntime, caller: Caller): void {
  const location = ctx.res.getHeader('content-location');
  if (ctx.res.statusCode !== 202 || typeof location !== 'string' || caller.clientId === undefined) return;
  let pathname: string;
  try {
    pathname = new URL(location, ctx.baseUrl).pathname;
  } catch {
    return;
  }
  const id = /\/_async\/([^/]+)$/.exec(pathname)?.[1];
  if (id !== undefined) runtime.setOwner(id, caller.clientId);
}

/** Wraps a route's handler with the token check its route needs; unchanged when auth is off. */
export function guardHandler(pattern: RegExp, method: string, handler: Handler): Handler {
  const protection = protectionOf(pattern, method);
  if (protection === 'open') return handler;
  return async (ctx) => {
    const runtime = authRuntimeOf(ctx.state);
    if (runtime === undefined) return handler(ctx);
    if (protection === 'file' && !runtime.config.requiresAccessToken) return handler(ctx);
    const caller = authenticate(ctx, runtime, protection);
    if (caller === undefined) return;
    // Fault AUTH-06: the token's scopes are not compared with what the export holds.
    const scoped = protection === 'kickoff' && !ctx.state.config.faults.has('export-scopes-ignored');
    const uncovered = scoped ? checkExportScopes(caller.scopes, requestedTypes(ctx)) : undefined;
    if (uncovered !== undefined) return sendRefusal(ctx, 403, `Bearer ${REALM}, error="insufficient_scope", scope="system/*.read"`, uncovered);
    if (!checkOwner(ctx, runtime, protection, caller)) return;
    await handler(ctx);
    if (protection === 'kickoff' || protection === 'interaction') recordOwner(ctx, runtime, caller);
  };
}
