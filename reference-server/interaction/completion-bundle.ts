/**
 * Bundle-mode completion (R5 async-bundle): 200 with a `batch-response` Bundle whose
 * `entry[0]` reports the interaction: `response.status` (`201 Created`), `location` of a
 * created resource, `outcome` on failure, `resource` when the interaction returns a body.
 * A failed interaction completes the same way (BUN-03). Served in the kick-off's format.
 */
import type { RequestContext } from '../context.js';
import { PLAIN_JSON, sendJson } from '../http-util.js';
import { buildOperationOutcome } from '../operation-outcome.js';
import type { InteractionJob } from './job.js';
import { buildResponseEntry, isFailure, sendResult, type InteractionResult } from './result.js';

type Entry = fhir4.BundleEntry<fhir4.Resource>;

function buildEntry(ctx: RequestContext, result: InteractionResult, baseUrl: string): Entry {
  const faults = ctx.state.config.faults;
  const entry = buildResponseEntry(result, baseUrl);
  const { response, resource, fullUrl } = entry;
  // Fault BUN-04: no location for a created resource.
  if (faults.has('bundle-created-without-location') && response !== undefined) delete response.location;
  // Fault BUN-04: the body the interaction returns is left out.
  if (faults.has('bundle-representation-missing')) return response === undefined ? {} : { response };
  // Fault BUN-06: a search result nested as a collection instead of a searchset.
  if (faults.has('bundle-search-not-searchset') && resource?.resourceType === 'Bundle') {
    const nested = { ...(resource as fhir4.Bundle<fhir4.Resource>), type: 'collection' as const };
    return { ...(fullUrl === undefined ? {} : { fullUrl }), resource: nested, ...(response === undefined ? {} : { response }) };
  }
  return entry;
}

export function buildCompletionBundle(ctx: RequestContext, job: InteractionJob, result: InteractionResult): fhir4.Bundle<fhir4.Resource> {
  const faults = ctx.state.config.faults;
  const entries: Entry[] = [buildEntry(ctx, result, job.payload.baseUrl)];
  // Fault BUN-02: the outcome is not the first entry.
  if (faults.has('bundle-outcome-not-first')) {
    entries.unshift({ resource: buildOperationOutcome('information', 'informational', `asynchronous job ${job.id} finished`) });
  }
  return {
    resourceType: 'Bundle',
    // Fault BUN-01: the wrong Bundle.type.
    type: faults.has('bundle-wrong-type') ? 'batch' : 'batch-response',
    entry: entries,
  };
}

export function sendCompletionBundle(ctx: RequestContext, job: InteractionJob, result: InteractionResult): void {
  const { faults } = ctx.state.config;
  const { payload } = job;
  const noStore = { 'Cache-Control': 'no-store' };
  // Fault BUN-03: a failed interaction surfaces as an HTTP error on the status URL.
  if (isFailure(result) && faults.has('bundle-failure-as-http-error')) {
    sendResult(ctx.res, result, { baseUrl: payload.baseUrl, contentType: payload.contentType, headers: noStore });
    return;
  }
  // Fault BUN-05: the Bundle is not served in the format the kick-off asked for.
  const contentType = faults.has('bundle-wrong-content-type') ? PLAIN_JSON : payload.contentType;
  sendJson(ctx.res, 200, buildCompletionBundle(ctx, job, result), { contentType, headers: noStore });
}
