/**
 * The route table and dispatch: match the path, pick the handler by method (405 with
 * `Allow` otherwise), build the request context, and turn any handler bug into a 500
 * OperationOutcome instead of a crash. Unknown paths get 404.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleAsyncCancel, handleAsyncStatus } from './async/status-dispatch.js';
import { guardHandler } from './auth/guard.js';
import { handleSmartConfiguration, handleTokenRequest, SMART_CONFIGURATION_PATTERN, TOKEN_PATTERN } from './auth/token-endpoint.js';
import { handleFile } from './bulk/files.js';
import { handleGroupKickoff, handleKickoff, handlePatientKickoff } from './bulk/kickoff.js';
import { EXPORT_PATTERN, FILE_PATTERN, GROUP_EXPORT_PATTERN, MANIFEST_PAGE_PATTERN, PATIENT_EXPORT_PATTERN, STATUS_PATTERN } from './bulk/paths.js';
import { handleManifestPage } from './bulk/manifest-pages.js';
import { handleMetadata } from './capability.js';
import type { Handler, ServerState } from './context.js';
import { interactionHandler } from './interaction/kickoff.js';
import {
  INSTANCE_PATTERN,
  OUTPUT_PATTERN,
  REINDEX_PATTERN,
  RESULT_PATTERN,
  SYSTEM_PATTERN,
  TYPE_PATTERN,
} from './interaction/paths.js';
import { handleResult } from './interaction/redirect.js';
import { parseBatch, parseCreate, parseRead, parseReindex, parseSearch } from './interaction/request.js';
import { handleSearchOutput } from './interaction/search-bulk.js';
import { resolveBaseUrl, sendError } from './http-util.js';

interface Route {
  pattern: RegExp;
  methods: Readonly<Record<string, Handler>>;
}

const ROUTES: readonly Route[] = [
  { pattern: /^\/metadata$/, methods: { GET: handleMetadata } },
  { pattern: EXPORT_PATTERN, methods: { GET: handleKickoff, POST: handleKickoff } },
  { pattern: PATIENT_EXPORT_PATTERN, methods: { GET: handlePatientKickoff, POST: handlePatientKickoff } },
  { pattern: GROUP_EXPORT_PATTERN, methods: { GET: handleGroupKickoff, POST: handleGroupKickoff } },
  { pattern: STATUS_PATTERN, methods: { GET: handleAsyncStatus, DELETE: handleAsyncCancel } },
  { pattern: FILE_PATTERN, methods: { GET: handleFile } },
  { pattern: MANIFEST_PAGE_PATTERN, methods: { GET: handleManifestPage } },
  { pattern: SYSTEM_PATTERN, methods: { POST: interactionHandler(parseBatch) } },
  { pattern: TYPE_PATTERN, methods: { GET: interactionHandler(parseSearch), POST: interactionHandler(parseCreate) } },
  { pattern: INSTANCE_PATTERN, methods: { GET: interactionHandler(parseRead) } },
  { pattern: REINDEX_PATTERN, methods: { POST: interactionHandler(parseReindex) } },
  { pattern: RESULT_PATTERN, methods: { GET: handleResult } },
  { pattern: OUTPUT_PATTERN, methods: { GET: handleSearchOutput } },
  { pattern: SMART_CONFIGURATION_PATTERN, methods: { GET: handleSmartConfiguration } },
  { pattern: TOKEN_PATTERN, methods: { POST: handleTokenRequest } },
];

function decodePath(pathname: string): string | undefined {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
}

function parseRequestUrl(raw: string): URL | undefined {
  try {
    return new URL(raw, 'http://reference-server.invalid');
  } catch {
    return undefined;
  }
}

async function route(req: IncomingMessage, res: ServerResponse, state: ServerState): Promise<void> {
  const method = req.method ?? 'GET';
  const url = parseRequestUrl(req.url ?? '/');
  const path = url === undefined ? undefined : decodePath(url.pathname);
  if (url === undefined || path === undefined) {
    sendError(res, { status: 400, code: 'invalid', diagnostics: 'the request target is not a valid URL' });
    return;
  }
  for (const { pattern, methods } of ROUTES) {
    const match = pattern.exec(path);
    if (match === null) continue;
    const handler = Object.hasOwn(methods, method) ? methods[method] : undefined;
    if (handler === undefined) {
      const allow = Object.keys(methods).join(', ');
      sendError(res, {
        status: 405,
        code: 'not-supported',
        diagnostics: `method ${method} is not allowed on ${path}; allowed: ${allow}`,
        headers: { Allow: allow },
      });
      return;
    }
    const baseUrl = resolveBaseUrl(req, state.config.publicBaseUrl, state.fallbackBaseUrl);
    // Auth mode (SMART Backend Services): the token check each route needs, before its handler.
    const guarded = state.config.auth === undefined ? handler : guardHandler(pattern, method, handler);
    await guarded({ req, res, url, pathParams: match.slice(1), baseUrl, state });
    return;
  }
  sendError(res, { status: 404, code: 'not-found', diagnostics: `no resource at ${method} ${path}` });
}

/** Handles one request; never rejects. */
export async function dispatch(req: IncomingMessage, res: ServerResponse, state: ServerState): Promise<void> {
  const started = performance.now();
  const log = state.config.log;
  if (log !== undefined) {
    res.once('finish', () => {
      const ms = Math.round(performance.now() - started);
      log(`${req.method ?? '-'} ${req.url ?? '-'} ${res.statusCode} ${ms}ms`);
    });
  }
  try {
    await route(req, res, state);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log?.(`internal error on ${req.method ?? '-'} ${req.url ?? '-'}: ${message}`);
    if (res.headersSent) {
      res.destroy();
    } else {
      sendError(res, { status: 500, code: 'exception', diagnostics: `reference server bug: ${message}` });
    }
  }
}
