/** The answers a bulk kick-off can give: an error, 429 when the job store is full, or 202. */
import type { ExportJob, ExportJobPayload, RequestContext } from '../context.js';
import { PLAIN_JSON, sendError, sendInformation, sendJson, sendText } from '../http-util.js';
import type { ErrorSpec } from '../operation-outcome.js';
import { statusPath } from './paths.js';

export const VARY = { Vary: 'Prefer' };

/** Sends a kick-off error: 4xx/5xx with an OperationOutcome (and `Vary: Prefer`). */
export function sendKickoffError(ctx: RequestContext, error: ErrorSpec): void {
  const headers = { ...VARY, ...error.headers };
  // Fault KICKOFF-04: the error has a plain-text body instead of an OperationOutcome.
  if (ctx.state.config.faults.has('kickoff-error-without-outcome')) {
    sendText(ctx.res, error.status, `Error: ${error.diagnostics}`, { contentType: 'text/plain', headers });
    return;
  }
  sendError(ctx.res, { ...error, headers });
}

/** Creates the job, or answers 429 when the store is full and returns undefined. */
export function createExportJob(ctx: RequestContext, payload: ExportJobPayload, durationMs: number): ExportJob | undefined {
  const created = ctx.state.exportJobs.create(payload, durationMs);
  if (created.ok) return created.job;
  const retryAfter = String(Math.max(1, ctx.state.config.retryAfter.seconds));
  // Fault KICKOFF-09: 429 without Retry-After.
  const headers: Record<string, string> = ctx.state.config.faults.has('too-many-jobs-without-retry-after')
    ? {}
    : { 'Retry-After': retryAfter };
  sendKickoffError(ctx, {
    status: 429,
    code: 'throttled',
    diagnostics: 'too many export jobs are held by this server; retry later or DELETE finished jobs',
    headers,
  });
  return undefined;
}

function buildContentLocation(ctx: RequestContext, job: ExportJob): Record<string, string> {
  const faults = ctx.state.config.faults;
  // Faults KICKOFF-02: Content-Location missing, or relative.
  if (faults.has('no-content-location')) return {};
  if (faults.has('relative-content-location')) return { 'Content-Location': statusPath(job.id) };
  return { 'Content-Location': `${ctx.baseUrl}${statusPath(job.id)}` };
}

/**
 * `Preference-Applied` of a kick-off that honoured separate-export-status (KICKOFF-12, PREFER-10):
 * both preferences, comma-joined. Other kick-offs send none (it is a MAY, PREFER-07).
 */
function buildPreferenceApplied(ctx: RequestContext, job: ExportJob): Record<string, string> {
  if (job.payload.separateExportStatus !== true) return {};
  // Fault PREFER-10: separate-export-status is honoured but Preference-Applied does not say so.
  if (ctx.state.config.faults.has('separate-export-status-not-announced')) return { 'Preference-Applied': 'respond-async' };
  return { 'Preference-Applied': 'respond-async, separate-export-status' };
}

/** 202 Accepted with the absolute status URL and an informational OperationOutcome. */
export function sendAccepted(ctx: RequestContext, job: ExportJob): void {
  const headers = { ...VARY, ...buildContentLocation(ctx, job), ...buildPreferenceApplied(ctx, job) };
  // Fault KICKOFF-03: the 202 body is JSON but not an OperationOutcome.
  if (ctx.state.config.faults.has('kickoff-202-body-not-outcome')) {
    sendJson(ctx.res, 202, { status: 'accepted', job: job.id }, { contentType: PLAIN_JSON, headers });
    return;
  }
  sendInformation(ctx.res, 202, 'export job accepted; poll the Content-Location URL for its status', headers);
}
