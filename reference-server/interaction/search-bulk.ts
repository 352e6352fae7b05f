/**
 * A search kicked off with `_outputFormat` runs in the bulk pattern (KICKOFF-10): on
 * completion the status URL answers 200 `application/json` with a Bulk Data manifest holding
 * one NDJSON file of every match (`_count` does not page a bulk result). A search that fails
 * is reported as its 4xx on the status URL, as the bulk pattern reports a failed job.
 */
import type { AsyncMode } from '../async/negotiate.js';
import type { RequestContext } from '../context.js';
import { formatFhirInstant, formatHttpDate } from '../fhir-time.js';
import { FHIR_NDJSON, PLAIN_JSON, sendError, sendJson, sendText } from '../http-util.js';
import { invalid, type Checked } from '../operation-outcome.js';
import type { InteractionJob } from './job.js';
import { settleInteractionJob } from './job.js';
import { outputPath } from './paths.js';
import type { InteractionRequest, ParsedInteraction } from './request.js';
import { isFailure, sendResult, type InteractionResult } from './result.js';

export const NDJSON_OUTPUT_FORMATS: readonly string[] = ['application/fhir+ndjson', 'application/ndjson', 'ndjson'];

const FILE_NAME = '1.ndjson';

/** The search to run in the bulk pattern, or the 400 for `_outputFormat` where it cannot apply. */
export function checkOutputFormat(parsed: ParsedInteraction, asked: AsyncMode | undefined): Checked<InteractionRequest> {
  const request = parsed.request;
  if (request.kind !== 'search') {
    return invalid('_outputFormat (the bulk pattern) is supported only on a search', 'not-supported');
  }
  if (asked === 'redirect') {
    return invalid('async-mode=redirect conflicts with _outputFormat, which asks for the bulk pattern (a manifest)');
  }
  // An unencoded '+' in a query string arrives as a space.
  const format = (parsed.outputFormat ?? '').trim().replace(/ /g, '+').toLowerCase();
  if (!NDJSON_OUTPUT_FORMATS.includes(format)) {
    return invalid(
      `_outputFormat "${parsed.outputFormat ?? ''}" is not supported; use one of ${NDJSON_OUTPUT_FORMATS.join(', ')}`,
      'not-supported',
    );
  }
  return { ok: true, value: { ...request, criteria: { ...request.criteria, count: undefined } } };
}

/** The matches of a finished search result (its searchset entries). */
function listMatches(result: InteractionResult): fhir4.Resource[] {
  const body = result.body;
  if (body?.resourceType !== 'Bundle') return [];
  return ((body as fhir4.Bundle<fhir4.Resource>).entry ?? []).flatMap((entry) => (entry.resource === undefined ? [] : [entry.resource]));
}

function readSearchType(job: InteractionJob): string {
  const work = job.payload.work;
  return work.kind === 'run' && work.request.kind === 'search' ? work.request.type : 'Resource';
}

/** Completion in the bulk pattern: the manifest, or the failed search's error. */
export function sendSearchManifest(ctx: RequestContext, job: InteractionJob, result: InteractionResult): void {
  const { payload } = job;
  if (isFailure(result)) {
    sendResult(ctx.res, result, { baseUrl: payload.baseUrl, contentType: payload.contentType });
    return;
  }
  const resources = listMatches(result);
  const output =
    resources.length === 0
      ? []
      : [{ type: readSearchType(job), url: `${payload.baseUrl}${outputPath(job.fileKey, FILE_NAME)}`, count: resources.length }];
  const manifest = {
    transactionTime: formatFhirInstant(payload.settledAt ?? ctx.state.config.clock.now()),
    request: payload.requestUrl,
    requiresAccessToken: false,
    output,
    error: [],
  };
  const expires = formatHttpDate(ctx.state.interactionJobs.expiresAt(job));
  sendJson(ctx.res, 200, manifest, { contentType: PLAIN_JSON, headers: { 'Cache-Control': 'no-store', Expires: expires } });
}

/** `GET /_output/<key>/1.ndjson`: the search's matches, one per line. */
export function handleSearchOutput(ctx: RequestContext): void {
  const [key = '', name = ''] = ctx.pathParams;
  const store = ctx.state.interactionJobs;
  const job = store.getByFileKey(key);
  if (job === undefined || job.payload.mode !== 'bulk' || store.phase(job) !== 'complete' || name !== FILE_NAME) {
    sendError(ctx.res, { status: 404, code: 'not-found', diagnostics: 'no output file at this URL (unknown, expired or deleted)' });
    return;
  }
  const result = settleInteractionJob(ctx.state, job);
  const resources = isFailure(result) ? [] : listMatches(result);
  if (resources.length === 0) {
    sendError(ctx.res, { status: 404, code: 'not-found', diagnostics: 'this search produced no output file' });
    return;
  }
  sendText(ctx.res, 200, resources.map((resource) => `${JSON.stringify(resource)}\n`).join(''), { contentType: FHIR_NDJSON });
}
