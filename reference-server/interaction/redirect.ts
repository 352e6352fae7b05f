/**
 * Redirect mode: the finished status URL answers `303 See Other` with an empty body and an
 * absolute `Location` of the result URL; the result URL answers exactly what the synchronous
 * interaction answers (status, Location/ETag/Last-Modified, Content-Type, body), the same on
 * every fetch, success or failure, until the job is DELETEd or expires.
 */
import type { RequestContext } from '../context.js';
import { sendEmpty, sendError, sendInformation } from '../http-util.js';
import { settleInteractionJob, type InteractionJob } from './job.js';
import { resultPath } from './paths.js';
import { isFailure, sendResult, type InteractionResult } from './result.js';

const NO_STORE = { 'Cache-Control': 'no-store' };

function replayResult(ctx: RequestContext, job: InteractionJob, result: InteractionResult, status?: number): void {
  const { payload } = job;
  sendResult(ctx.res, result, {
    baseUrl: payload.baseUrl,
    contentType: payload.contentType,
    headers: payload.resultHeaders,
    ...(status === undefined ? {} : { status }),
  });
}

/** Completion on the status URL in redirect mode. */
export function sendSeeOther(ctx: RequestContext, job: InteractionJob, result: InteractionResult): void {
  const faults = ctx.state.config.faults;
  // Fault REDIRECT-01: the status URL answers with the result itself instead of a 303.
  if (faults.has('redirect-200-instead-of-303')) {
    replayResult(ctx, job, result);
    return;
  }
  const path = resultPath(job.fileKey);
  // Fault REDIRECT-02: a relative Location.
  // Fault AUTH-01 (TLS mode): the result URL says http://.
  const base = faults.has('redirect-location-http-under-tls') ? job.payload.baseUrl.replace(/^https:/, 'http:') : job.payload.baseUrl;
  const location = faults.has('redirect-relative-location') ? path : `${base}${path}`;
  // Fault REDIRECT-02: the 303 carries a body.
  if (faults.has('redirect-303-with-body')) {
    sendInformation(ctx.res, 303, 'the job is complete; its result is at the Location URL', { ...NO_STORE, Location: location });
    return;
  }
  sendEmpty(ctx.res, 303, { ...NO_STORE, Location: location });
}

function sendNoResult(ctx: RequestContext): void {
  sendError(ctx.res, { status: 404, code: 'not-found', diagnostics: 'no result at this URL (unknown, not finished, expired or deleted)' });
}

/** `GET /_result/<key>`. */
export function handleResult(ctx: RequestContext): void {
  const store = ctx.state.interactionJobs;
  const job = store.getByFileKey(ctx.pathParams[0] ?? '');
  if (job === undefined || job.payload.mode !== 'redirect' || store.phase(job) !== 'complete') return sendNoResult(ctx);
  const faults = ctx.state.config.faults;
  job.payload.resultFetches++;
  // Fault REDIRECT-04: the result can be fetched only once.
  if (job.payload.resultFetches > 1 && faults.has('redirect-result-single-use')) return sendNoResult(ctx);
  const result = settleInteractionJob(ctx.state, job);
  // Fault REDIRECT-01: a failure is served as 200 instead of its synchronous status.
  replayResult(ctx, job, result, isFailure(result) && faults.has('redirect-failure-status-masked') ? 200 : undefined);
}
