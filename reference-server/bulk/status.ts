/**
 * `GET <status url>`: 202 with Retry-After and X-Progress while the job runs; then 200
 * with `Content-Type: application/json`, an `Expires` header and the manifest.
 */
import type { ExportJob, RequestContext } from '../context.js';
import { formatHttpDate } from '../fhir-time.js';
import { PLAIN_JSON, sendEmpty, sendError, sendJson } from '../http-util.js';
import { listExportOutput } from './export-output.js';
import { buildManifest } from './manifest.js';
import { lookupStatusTarget } from './status-lookup.js';

const NO_STORE = { 'Cache-Control': 'no-store' };

function retryAfterValue(ctx: RequestContext): string {
  const { form, seconds } = ctx.state.config.retryAfter;
  if (form === 'seconds') return String(seconds);
  return formatHttpDate(ctx.state.config.clock.now() + seconds * 1000);
}

function sendInProgress(ctx: RequestContext, job: ExportJob): void {
  const percent = Math.min(99, Math.floor(ctx.state.exportJobs.progress(job) * 100));
  sendEmpty(ctx.res, 202, {
    ...NO_STORE,
    'Retry-After': retryAfterValue(ctx),
    'X-Progress': `${percent}% complete`,
  });
}

function sendComplete(ctx: RequestContext, job: ExportJob): void {
  const { config, exportJobs } = ctx.state;
  const files = listExportOutput(job, config.patientCount);
  const manifest = buildManifest({ job, files, baseUrl: ctx.baseUrl, faults: config.faults });
  // Fault STATUS-04: manifest with the wrong media type.
  const contentType = config.faults.has('manifest-wrong-content-type') ? 'text/plain' : PLAIN_JSON;
  sendJson(ctx.res, 200, manifest, {
    contentType,
    headers: { ...NO_STORE, Expires: formatHttpDate(exportJobs.expiresAt(job)) },
  });
}

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
