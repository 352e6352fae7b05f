/**
 * Auth mode's discovery document and token endpoint (SMART Backend Services):
 * `GET /.well-known/smart-configuration` names the token endpoint and what it accepts;
 * `POST /auth/token` (form-encoded `grant_type=client_credentials`, `client_assertion_type`
 * jwt-bearer, `client_assertion`, `scope`) answers a short-lived bearer token, or an OAuth 2.0
 * error (RFC 6749 section 5.2) whose `error_description` names the rejected claim.
 * Both answer 404 when auth is off.
 */
import type { RequestContext } from '../context.js';
import { PLAIN_JSON, readBody, sendError, sendJson } from '../http-util.js';
import { authRuntimeOf } from './auth-runtime.js';
import { grantScopes } from './scopes.js';
import { ASSERTION_ALGORITHMS, verifyClientAssertion } from './verify-assertion.js';

export const SMART_CONFIGURATION_PATTERN = /^\/\.well-known\/smart-configuration$/;
export const TOKEN_PATTERN = /^\/auth\/token$/;
const TOKEN_PATH = '/auth/token';
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

function sendAuthOff(ctx: RequestContext): void {
  sendError(ctx.res, { status: 404, code: 'not-found', diagnostics: 'authorization is off on this server (start it with auth)' });
}

function sendOAuthError(ctx: RequestContext, error: string, description: string): void {
  sendJson(ctx.res, 400, { error, error_description: description }, { contentType: PLAIN_JSON, headers: NO_STORE });
}

/** `GET /.well-known/smart-configuration`. */
export function handleSmartConfiguration(ctx: RequestContext): void {
  const runtime = authRuntimeOf(ctx.state);
  if (runtime === undefined) return sendAuthOff(ctx);
  const scopes = [...new Set([...runtime.config.clients.values()].flatMap((c) => c.scopes))];
  sendJson(ctx.res, 200, {
    token_endpoint: `${ctx.baseUrl}${TOKEN_PATH}`,
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: [...ASSERTION_ALGORITHMS],
    scopes_supported: scopes,
    capabilities: ['client-confidential-asymmetric'],
  }, { contentType: PLAIN_JSON });
}

/** `POST /auth/token`. */
export async function handleTokenRequest(ctx: RequestContext): Promise<void> {
  const runtime = authRuntimeOf(ctx.state);
  if (runtime === undefined) {
    ctx.req.resume();
    return sendAuthOff(ctx);
  }
  const mediaType = (ctx.req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  const body = await readBody(ctx.req, 64 * 1024);
  if (!body.ok) return sendOAuthError(ctx, 'invalid_request', body.error.diagnostics);
  if (mediaType !== 'application/x-www-form-urlencoded') {
    return sendOAuthError(ctx, 'invalid_request', 'the token request must be application/x-www-form-urlencoded');
  }
  const form = new URLSearchParams(body.text);
  if (form.get('grant_type') !== 'client_credentials') {
    const grant = JSON.stringify(form.get('grant_type'));
    sendJson(ctx.res, 400, { error: 'unsupported_grant_type', error_description: `grant_type ${grant} is not supported; use client_credentials` }, { contentType: PLAIN_JSON, headers: NO_STORE });
    return;
  }
  if (form.get('client_assertion_type') !== JWT_BEARER) {
    return sendOAuthError(ctx, 'invalid_request', `client_assertion_type must be ${JWT_BEARER}`);
  }
  const assertion = form.get('client_assertion');
  if (assertion === null || assertion === '') return sendOAuthError(ctx, 'invalid_request', 'client_assertion is missing');
  const checked = await verifyClientAssertion(assertion, { runtime, tokenEndpoint: `${ctx.baseUrl}${TOKEN_PATH}`, now: ctx.state.config.clock.now() });
  if (!checked.ok) return sendOAuthError(ctx, 'invalid_client', `client assertion rejected (${checked.claim}): ${checked.description}`);
  const requested = form.get('scope') ?? '';
  const scopes = grantScopes(requested, checked.client.scopes);
  if (scopes.length === 0) {
    const allowed = checked.client.scopes.join(' ');
    return sendOAuthError(ctx, 'invalid_scope', `none of the requested scopes ${JSON.stringify(requested)} is allowed for client "${checked.client.clientId}" (allowed: ${allowed})`);
  }
  const { accessToken } = runtime.issueToken(checked.client.clientId, scopes);
  sendJson(ctx.res, 200, {
    access_token: accessToken,
    token_type: 'bearer',
    expires_in: Math.round(runtime.config.tokenLifetimeMs / 1000),
    scope: scopes.join(' '),
  }, { contentType: PLAIN_JSON, headers: NO_STORE });
}
