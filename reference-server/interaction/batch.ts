/**
 * `POST /` with a batch or transaction Bundle: entries run in order. Supported entries are
 * `GET [type]/[id]` (read), `GET [type]?...` (search) and `POST [type]` (create); anything
 * else fails that entry (batch) or the whole transaction. A transaction is all-or-nothing:
 * on the first failing entry the resources it already created are removed and the failure
 * is the answer. `urn:uuid` references between transaction entries are not resolved.
 */
import { FHIR_ID, isStoreType } from '../fhir-store.js';
import type { ExecuteEnv } from './execute.js';
import type { BatchEntry, InteractionRequest } from './request.js';
import { buildResponseEntry, buildErrorResult, isFailure, type InteractionResult } from './result.js';
import { parseSearchParams } from './search.js';

type BatchRequest = Extract<InteractionRequest, { kind: 'batch' }>;
type Run = (request: InteractionRequest, env: ExecuteEnv) => InteractionResult;

function toRelativeUrl(url: string, baseUrl: string): string {
  return url.startsWith(`${baseUrl}/`) ? url.slice(baseUrl.length + 1) : url.replace(/^\//, '');
}

/** The entry as an interaction, or the result that reports why it cannot run. */
function parseEntry(entry: BatchEntry, baseUrl: string): InteractionRequest | InteractionResult {
  const url = toRelativeUrl(entry.url, baseUrl);
  const question = url.indexOf('?');
  const path = question === -1 ? url : url.slice(0, question);
  const query = question === -1 ? '' : url.slice(question + 1);
  const [type = '', id, ...rest] = path.split('/');
  if (!isStoreType(type) || rest.length > 0) return buildErrorResult(404, 'not-found', `no resource at ${entry.method} ${entry.url}`);
  if (entry.method === 'GET' && id !== undefined) {
    if (!FHIR_ID.test(id)) return buildErrorResult(400, 'invalid', `"${id}" is not a valid FHIR id`);
    return { kind: 'read', type, id };
  }
  if (entry.method === 'GET') {
    const search = parseSearchParams(type, new URLSearchParams(query), false);
    if (!search.ok) return buildErrorResult(search.error.status, search.error.code, search.error.diagnostics);
    if (search.value.outputFormat !== undefined) {
      return buildErrorResult(400, 'not-supported', '_outputFormat is not supported inside a batch or transaction');
    }
    return { kind: 'search', type, criteria: search.value.criteria, query };
  }
  if (entry.method === 'POST' && id === undefined) {
    if (entry.resource === undefined) return buildErrorResult(400, 'invalid', `POST ${entry.url} has no resource`);
    return { kind: 'create', type, resource: entry.resource };
  }
  return buildErrorResult(405, 'not-supported', `${entry.method} ${entry.url} is not supported in a batch or transaction`);
}

function isResult(value: InteractionRequest | InteractionResult): value is InteractionResult {
  return 'status' in value;
}

function runEntry(entry: BatchEntry, env: ExecuteEnv, run: Run): InteractionResult {
  const request = parseEntry(entry, env.baseUrl);
  if (isResult(request)) return request;
  if (request.kind === 'batch') return buildErrorResult(400, 'not-supported', 'a batch cannot contain another batch');
  return run(request, env);
}

/** Removes what a failed transaction created (locations are `Type/id/_history/v`). */
function rollBack(results: readonly InteractionResult[], env: ExecuteEnv): void {
  for (const result of results) {
    const [type = '', id = ''] = (result.location ?? '').split('/');
    if (result.status === 201 && isStoreType(type)) env.store.remove(type, id);
  }
}

export function executeBatch(request: BatchRequest, env: ExecuteEnv, run: Run): InteractionResult {
  const results: InteractionResult[] = [];
  for (const entry of request.entries) {
    const result = runEntry(entry, env, run);
    if (request.bundleType === 'transaction' && isFailure(result)) {
      rollBack(results, env);
      return result;
    }
    results.push(result);
  }
  const bundle: fhir4.Bundle<fhir4.Resource> = {
    resourceType: 'Bundle',
    type: request.bundleType === 'batch' ? 'batch-response' : 'transaction-response',
    entry: results.map((result) => buildResponseEntry(result, env.baseUrl)),
  };
  return { status: 200, body: bundle, location: undefined, etag: undefined, lastModified: undefined };
}
