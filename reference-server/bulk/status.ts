/**
 * `GET <status url>`: 202 with Retry-After and X-Progress while the job runs; then 200
 * with `Content-Type: application/json`, an `Expires` header and the manifest; or, for a
 * job that failed, 500 with an `application/fhir+json` OperationOutcome.
 * With `allowPartialManifests=true` (4.0 shape) the manifest is paged (manifest-pages.ts) and a
 * 202 carries the first page once it is available. With `Prefer: separate-export-status` honoured
 * (4.0 shape) each of these answers is 200 instead, its job status in `X-Export-Status` (STATUS-03).
 */
import type { ExportJob, RequestContext } from '../context.js';
import { formatHttpDate } from '../fhir-time.js';
import { FHIR_JSON, PLAIN_JSON, sendEmpty, sendError, sendJson } from '../http-util.js';
import { buildOperationOutcome } from '../operation-outcome.js';
import { formatProgress, retryAfterHeader } from '../pacing.js';
import { listExportOutput } from './export-output.js';
import { buildManifest, type BulkManifest } from './manifest.js';
import { buildManifestPage, usesManifestPages } from './manifest-pages.js';
import { lookupStatusTarget } from './status-lookup.js';

const NO_STORE = { 'Cache-Control': 'no-store' };
const HOUR_MS = 3_600_000;

/**
 * The HTTP status of a status answer, and its `X-Export-Status` when the kick-off asked for
 * separate-export-status (STATUS-03: the HTTP status then describes the poll, always 200 here).
 */
function statusLine(ctx: RequestContext, job: ExportJob, jobStatus: 200 | 202 | 500): { status: number; headers: Record<string, string> } {
  if (job.payload.separateExportStatus !== true) return { status: jobStatus, headers: {} };
  const { faults } = ctx.state.config;
  // Faults STATUS-03: under separate-export-status, a running job still answers 202, a failed one 500,
  // or a complete one 200 without X-Export-Status.
  if (jobStatus === 202 && faults.has('separate-export-status-in-progress-202')) return { status: 202, headers: {} };
  if (jobStatus === 500 && faults.has('separate-export-status-failure-500')) return { status: 500, headers: {} };
  if (jobStatus === 200 && faults.has('separate-export-status-complete-without-header')) return { status: 200, headers: {} };
  const reason = { 200: 'OK', 202: 'Accepted', 500: 'Internal Server Error' }[jobStatus];
  return { status: 200, headers: { 'X-Export-Status': `${jobStatus} ${reason}` } };
}

function sendInProgress(ctx: RequestContext, job: ExportJob): void {
  const line = statusLine(ctx, job, 202);
  const headers = {
    ...NO_STORE,
    ...line.headers,
    'Retry-After': retryAfterHeader(ctx),
    'X-Progress': formatProgress(ctx.state.exportJobs.progress(job)),
  };
  // allowPartialManifests (STATUS-06): the first manifest page, once available, with the files ready so far.
  const partial = usesManifestPages(ctx, job) ? buildManifestPage(ctx, job, 0) : undefined;
  if (partial === undefined) sendEmpty(ctx.res, line.status, headers);
  else sendJson(ctx.res, line.status, partial, { contentType: PLAIN_JSON, headers });
}

function buildExpiresHeader(ctx: RequestContext, job: ExportJob): Record<string, string> {
  const { config, exportJobs } = ctx.state;
  // Fault STATUS-05: Expires already in the past.
  if (config.faults.has('expires-in-past')) return { Expires: formatHttpDate(config.clock.now() - HOUR_MS) };
  return { Expires: formatHttpDate(exportJobs.expiresAt(job)) };
}

/** The job failed (e.g. an unprocessable _typeFilter): 500 + OperationOutcome. */
function sendFailure(ctx: RequestContext, job: ExportJob, diagnostics: string): void {
  const { faults } = ctx.state.config;
  const message = `the export job failed: ${diagnostics}`;
  const line = statusLine(ctx, job, 500);
  const headers = { ...NO_STORE, ...line.headers };
  // Fault ERR-02: the error body is JSON but not an OperationOutcome.
  if (faults.has('failed-job-body-not-outcome')) {
    sendJson(ctx.res, line.status, { error: message }, { contentType: PLAIN_JSON, headers });
    return;
  }
  // Fault ERR-03: the OperationOutcome is labelled application/json instead of application/fhir+json.
  const contentType = faults.has('failed-job-outcome-plain-json') ? PLAIN_JSON : FHIR_JSON;
  sendJson(ctx.res, line.status, buildOperationOutcome('error', 'not-supported', message), { contentType, headers });
}

/** The manifest of a complete job: page 0 under allowPartialManifests, else the whole manifest. */
function buildCompleteManifest(ctx: RequestContext, job: ExportJob): BulkManifest {
  const { config } = ctx.state;
  // Fault STATUS-06: the manifest handed out as partial is rewritten at completion to list every file.
  const paged = usesManifestPages(ctx, job) && !config.faults.has('partial-manifest-rewritten');
  const page = paged ? buildManifestPage(ctx, job, 0) : undefined;
  if (page !== undefined) return page;
  const files = listExportOutput(job, config);
  const requiresAccessToken = config.auth?.requiresAccessToken ?? false;
  return buildManifest({ job, files, baseUrl: ctx.baseUrl, faults: config.faults, version: config.bulkVersion, requiresAccessToken });
}

function sendComplete(ctx: RequestContext, job: ExportJob): void {
  const { config } = ctx.state;
  const files = listExportOutput(job, config);
  // Fault ERR-01: a failed job is reported as a successful (empty) manifest.
  if (files.failure !== undefined && !config.faults.has('failed-job-reported-200')) {
    sendFailure(ctx, job, files.failure);
    return;
  }
  const manifest = buildCompleteManifest(ctx, job);
  // Fault STATUS-04: manifest with the wrong media type.
  const contentType = config.faults.has('manifest-wrong-content-type') ? 'text/plain' : PLAIN_JSON;
  const line = statusLine(ctx, job, 200);
  sendJson(ctx.res, line.status, manifest, { contentType, headers: { ...NO_STORE, ...line.headers, ...buildExpiresHeader(ctx, job) } });
}

/** Answers a poll of a bulk export job's status URL (`pathParams[0]` is the job id). */
export function handleStatus(ctx: RequestContext): void {
  const target = lookupStatusTarget(ctx);
  if (target.kind === 'missing') {
    // Fault ERR-03: the 404's OperationOutcome labelled application/json.
    if (ctx.state.config.faults.has('status-404-outcome-plain-json')) {
      sendJson(ctx.res, target.error.status, buildOperationOutcome('error', target.error.code, target.error.diagnostics), { contentType: PLAIN_JSON });
    } else sendError(ctx.res, target.error);
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
