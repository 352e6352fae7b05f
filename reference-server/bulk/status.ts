/**
 * `GET <status url>`: 202 with Retry-After and X-Progress while the job runs; then 200
 * with `Content-Type: application/json`, an `Expires` header and the manifest; or, for a
 * job that failed, 500 with an `application/fhir+json` OperationOutcome.
 */
import type { ExportJob, RequestContext } from '../context.js';
import { formatHttpDate } from '../fhir-time.js';
import { FHIR_JSON, PLAIN_JSON, sendEmpty, sendError, sendJson } from '../http-util.js';
import { buildOperationOutcome } from '../operation-outcome.js';
import { formatProgress, retryAfterHeader } from '../pacing.js';
import { listExportOutput } from './export-output.js';
import { buildManifest } from './manifest.js';
import { lookupStatusTarget } from './status-lookup.js';

const NO_STORE = { 'Cache-Control': 'no-store' };
const HOUR_MS = 3_600_000;

function sendInProgress(ctx: RequestContext, job: ExportJob): void {
  sendEmpty(ctx.res, 202, {
    ...NO_STORE,
    'Retry-After': retryAfterHeader(ctx),
    'X-Progress': formatProgress(ctx.state.exportJobs.progress(job)),
  });
}

function buildExpiresHeader(ctx: RequestContext, job: ExportJob): Record<string, string> {
  const { config, exportJobs } = ctx.state;
  // Fault STATUS-05: Expires already in the past.
  if (config.faults.has('expires-in-past')) return { Expires: formatHttpDate(config.clock.now() - HOUR_MS) };
  return { Expires: formatHttpDate(exportJobs.expiresAt(job)) };
}

/** The job failed (e.g. an unprocessable _typeFilter): 500 + OperationOutcome. */
function sendFailure(ctx: RequestContext, diagnostics: string): void {
  const { faults } = ctx.state.config;
  const message = `the export job failed: ${diagnostics}`;
  // Fault ERR-02: the error body is JSON but not an OperationOutcome.
  if (faults.has('failed-job-body-not-outcome')) {
    sendJson(ctx.res, 500, { error: message }, { contentType: PLAIN_JSON, headers: NO_STORE });
    return;
  }
  // Fault ERR-03: the OperationOutcome is labelled application/json instead of application/fhir+json.
  const contentType = faults.has('failed-job-outcome-plain-json') ? PLAIN_JSON : FHIR_JSON;
  sendJson(ctx.res, 500, buildOperationOutcome('error', 'not-supported', message), { contentType, headers: NO_STORE });
}

function sendComplete(ctx: RequestContext, job: ExportJob): void {
  const { config } = ctx.state;
  const files = listExportOutput(job, config);
  // Fault ERR-01: a failed job is reported as a successful (empty) manifest.
  if (files.failure !== undefined && !config.faults.has('failed-job-reported-200')) {
    sendFailure(ctx, files.failure);
    return;
  }
  const requiresAccessToken = config.auth?.requiresAccessToken ?? false;
  const manifest = buildManifest({ job, files, baseUrl: ctx.baseUrl, faults: config.faults, version: config.bulkVersion, requiresAccessToken });
  // Fault STATUS-04: manifest with the wrong media type.
  const contentType = config.faults.has('manifest-wrong-content-type') ? 'text/plain' : PLAIN_JSON;
  sendJson(ctx.res, 200, manifest, { contentType, headers: { ...NO_STORE, ...buildExpiresHeader(ctx, job) } });
}

/** Answers a poll of a bulk export job's status URL (`pathParams[0]` is the job id). */
export function handleStatus(ctx: RequestContext): void {
  const target = lookupStatusTarget(ctx);
  if (target.kind === 'missing') {
    sendError(ctx.res, target.error);
  } else if (target.kind === 'ghost') {
    sendInProgress(ctx, target.job);
  } else if (target.phase === 'complete') {
    sendComplete(ctx, target.job);
  } else if (ctx.state.config.faults.has('status-200-while-running')) {
    // Fault STATUS-02: 200 while the job is still running.
    sendJson(ctx.res, 200, { status: 'in-progress' }, { contentType: PLAIN_JSON, headers: NO_STORE });
  } else {
    sendInProgress(ctx, target.job);
  }
}
