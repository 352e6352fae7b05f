/**
 * The interactions this server runs synchronously or asynchronously, and their kick-off
 * validation. What fails here is an invalid *request* (unknown parameter, malformed body):
 * it is answered at once with 4xx in every mode (REDIRECT-06). What the interaction itself
 * finds wrong (unknown id, a body of the wrong type, a missing operation parameter) is a
 * *result* and is delivered the way the negotiated mode delivers results.
 */
import type { RequestContext } from '../context.js';
import { FHIR_ID, isStoreType, type StoreType } from '../fhir-store.js';
import { invalid, type Checked } from '../operation-outcome.js';
import { isJsonObject, readResourceBody, type JsonObject } from './request-body.js';
import { parseSearchParams, type SearchCriteria } from './search.js';

export interface BatchEntry {
  method: string;
  url: string;
  resource: JsonObject | undefined;
}

export type InteractionRequest =
  | { kind: 'read'; type: StoreType; id: string }
  | { kind: 'search'; type: StoreType; criteria: SearchCriteria; query: string }
  | { kind: 'create'; type: StoreType; resource: JsonObject }
  | { kind: 'batch'; bundleType: 'batch' | 'transaction'; entries: BatchEntry[] }
  | { kind: 'reindex'; resourceType: string | undefined };

export interface ParsedInteraction {
  request: InteractionRequest;
  /** `_outputFormat` when given: the bulk pattern is asked for (only a search supports it). */
  outputFormat: string | undefined;
  /** Parameters ignored under handling=lenient. */
  ignored: string[];
}

function makeParsed(request: InteractionRequest, outputFormat?: string, ignored: string[] = []): Checked<ParsedInteraction> {
  return { ok: true, value: { request, outputFormat, ignored } };
}

/** Query check for everything but search: only `_format` and `_outputFormat` are known. */
function checkPlainQuery(url: URL, lenient: boolean): Checked<{ outputFormat: string | undefined; ignored: string[] }> {
  const ignored: string[] = [];
  let outputFormat: string | undefined;
  for (const [name, value] of url.searchParams.entries()) {
    if (name === '_format') continue;
    if (name === '_outputFormat') outputFormat = value;
    else if (lenient) ignored.push(`${name}=${value}`);
    else return invalid(`parameter "${name}" is not supported here (send Prefer: handling=lenient to have it ignored)`, 'not-supported');
  }
  return { ok: true, value: { outputFormat, ignored } };
}

function readRouteType(ctx: RequestContext): StoreType {
  const type = ctx.pathParams[0] ?? '';
  if (!isStoreType(type)) throw new Error(`route matched an unknown resource type "${type}"`);
  return type;
}

/** `GET /[type]/[id]`. */
export function parseRead(ctx: RequestContext, lenient: boolean): Checked<ParsedInteraction> {
  const query = checkPlainQuery(ctx.url, lenient);
  if (!query.ok) return query;
  const id = ctx.pathParams[1] ?? '';
  if (!FHIR_ID.test(id)) return invalid(`"${id}" is not a valid FHIR id`);
  return makeParsed({ kind: 'read', type: readRouteType(ctx), id }, query.value.outputFormat, query.value.ignored);
}

/** `GET /[type]?...`. */
export function parseSearch(ctx: RequestContext, lenient: boolean): Checked<ParsedInteraction> {
  const type = readRouteType(ctx);
  // Fault CAP-05: Group offers read and export, but not search.
  if (type === 'Group' && ctx.state.config.faults.has('group-search-unsupported')) return invalid('search on Group is not supported by this server', 'not-supported');
  const search = parseSearchParams(type, ctx.url.searchParams, lenient);
  if (!search.ok) return search;
  const query = ctx.url.search.replace(/^\?/, '');
  const { criteria, outputFormat, ignored } = search.value;
  return makeParsed({ kind: 'search', type, criteria, query }, outputFormat, ignored);
}

/** `POST /[type]` with the resource. */
export async function parseCreate(ctx: RequestContext, lenient: boolean): Promise<Checked<ParsedInteraction>> {
  const query = checkPlainQuery(ctx.url, lenient);
  if (!query.ok) return query;
  const body = await readResourceBody(ctx);
  if (!body.ok) return body;
  return makeParsed({ kind: 'create', type: readRouteType(ctx), resource: body.value }, query.value.outputFormat, query.value.ignored);
}

function readEntry(entry: unknown, index: number): Checked<BatchEntry> {
  const request = isJsonObject(entry) ? entry['request'] : undefined;
  if (!isJsonObject(entry) || !isJsonObject(request)) return invalid(`Bundle.entry[${index}] has no request`);
  const { method, url } = request;
  if (typeof method !== 'string' || typeof url !== 'string') {
    return invalid(`Bundle.entry[${index}].request needs a string method and url`);
  }
  const resource = entry['resource'];
  if (resource !== undefined && !isJsonObject(resource)) return invalid(`Bundle.entry[${index}].resource is not an object`);
  return { ok: true, value: { method: method.toUpperCase(), url, resource } };
}

/** `POST /` with a batch or transaction Bundle. */
export async function parseBatch(ctx: RequestContext, lenient: boolean): Promise<Checked<ParsedInteraction>> {
  const query = checkPlainQuery(ctx.url, lenient);
  if (!query.ok) return query;
  const body = await readResourceBody(ctx);
  if (!body.ok) return body;
  const bundle = body.value;
  const bundleType = bundle['type'];
  if (bundle['resourceType'] !== 'Bundle' || (bundleType !== 'batch' && bundleType !== 'transaction')) {
    return invalid('POST to the base URL needs a Bundle of type batch or transaction');
  }
  const rawEntries = bundle['entry'] ?? [];
  if (!Array.isArray(rawEntries)) return invalid('Bundle.entry must be an array');
  const entries: BatchEntry[] = [];
  for (const [index, raw] of rawEntries.entries()) {
    const entry = readEntry(raw, index);
    if (!entry.ok) return entry;
    entries.push(entry.value);
  }
  return makeParsed({ kind: 'batch', bundleType, entries }, query.value.outputFormat, query.value.ignored);
}

function readCode(param: JsonObject): string | undefined {
  const value = param['valueCode'] ?? param['valueString'];
  return typeof value === 'string' ? value : undefined;
}

/**
 * `POST /$reindex` with Parameters: `type` (code, required: the resource type to reindex).
 * Unknown parameters are a request error; a missing `type` is the operation's own failure.
 */
export async function parseReindex(ctx: RequestContext, lenient: boolean): Promise<Checked<ParsedInteraction>> {
  const query = checkPlainQuery(ctx.url, lenient);
  if (!query.ok) return query;
  const body = await readResourceBody(ctx);
  if (!body.ok) return body;
  if (body.value['resourceType'] !== 'Parameters') return invalid('$reindex needs a Parameters body');
  const params = body.value['parameter'] ?? [];
  if (!Array.isArray(params)) return invalid('Parameters.parameter must be an array');
  const ignored = [...query.value.ignored];
  const types: string[] = [];
  for (const [index, param] of params.entries()) {
    if (!isJsonObject(param) || typeof param['name'] !== 'string') {
      return invalid(`Parameters.parameter[${index}] needs a string name`);
    }
    const name = param['name'];
    const code = readCode(param);
    if (name === 'type' && code !== undefined) types.push(code);
    else if (name === 'type') return invalid('$reindex parameter "type" needs a valueCode');
    else if (lenient) ignored.push(name);
    else return invalid(`$reindex has no parameter "${name}" (known: type)`, 'not-supported');
  }
  if (types.length > 1) return invalid('$reindex parameter "type" may be given only once');
  return makeParsed({ kind: 'reindex', resourceType: types[0] }, query.value.outputFormat, ignored);
}
