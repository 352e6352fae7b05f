/**
 * Kick-off of a system-level export: `GET /$export?...` or `POST /$export` with a
 * Parameters body. Requires `Prefer: respond-async`; answers 202 with an absolute
 * Content-Location (the status URL) and `Vary: Prefer`.
 */
import type { ExportJob, RequestContext } from '../context.js';
import { PLAIN_JSON, readBody, sendError, sendInformation, sendJson } from '../http-util.js';
import type { Checked } from '../operation-outcome.js';
import { parsePrefer } from '../prefer.js';
import {
  collectParametersBody,
  collectQueryParams,
  interpretExportParams,
  type ExportParams,
  type RawParam,
} from './export-params.js';
import { listExportOutput } from './export-output.js';
import { buildManifest } from './manifest.js';
import { statusPath } from './paths.js';

const VARY = { Vary: 'Prefer' };

async function collectRawParams(ctx: RequestContext): Promise<Checked<RawParam[]>> {
  const query = collectQueryParams(ctx.url);
  if (ctx.req.method !== 'POST') return { ok: true, value: query };
  const body = await readBody(ctx.req);
  if (!body.ok) return body;
  const fromBody = collectParametersBody(body.text);
  return fromBody.ok ? { ok: true, value: [...query, ...fromBody.value] } : fromBody;
}

/** Creates the job, or answers 429 when the store is full and returns undefined. */
function createJob(ctx: RequestContext, params: ExportParams, durationMs: number): ExportJob | undefined {
  const requestUrl = `${ctx.baseUrl}${ctx.req.url ?? '/'}`;
  const created = ctx.state.exportJobs.create({ ...params, requestUrl }, durationMs);
  if (created.ok) return created.job;
  const retryAfter = String(Math.max(1, ctx.state.config.retryAfter.seconds));
  sendError(ctx.res, {
    status: 429,
    code: 'throttled',
    diagnostics: 'too many export jobs are held by this server; retry later or DELETE finished jobs',
    headers: { ...VARY, 'Retry-After': retryAfter },
  });
  return undefined;
}

function contentLocation(ctx: RequestContext, job: ExportJob): Record<string, string> {
  const faults = ctx.state.config.faults;
  // Faults KICKOFF-02: Content-Location missing, or relative.
  if (faults.has('no-content-location')) return {};
  if (faults.has('relative-content-location')) return { 'Content-Location': statusPath(job.id) };
  return { 'Content-Location': `${ctx.baseUrl}${statusPath(job.id)}` };
}

function sendManifestNow(ctx: RequestContext, params: ExportParams): void {
  const job = createJob(ctx, params, 0);
  if (job === undefined) return;
  const files = listExportOutput(job, ctx.state.config.patientCount);
  const manifest = buildManifest({ job, files, baseUrl: ctx.baseUrl, faults: ctx.state.config.faults });
  sendJson(ctx.res, 200, manifest, { contentType: PLAIN_JSON, headers: VARY });
}

export async function handleKickoff(ctx: RequestContext): Promise<void> {
  const raw = await collectRawParams(ctx);
  if (!raw.ok) {
    sendError(ctx.res, { ...raw.error, headers: { ...VARY, ...raw.error.headers } });
    return;
  }
  const prefs = parsePrefer(ctx.req.headers.prefer);
  if (!prefs.has('respond-async')) {
    sendError(ctx.res, {
      status: 400,
      code: 'invalid',
      diagnostics: '$export is only available asynchronously: send the header Prefer: respond-async',
      headers: VARY,
    });
    return;
  }
  const params = interpretExportParams(raw.value, prefs.get('handling')?.value === 'lenient');
  if (!params.ok) {
    sendError(ctx.res, { ...params.error, headers: VARY });
    return;
  }
  // Fault KICKOFF-02: complete synchronously and answer 200 with the manifest.
  if (ctx.state.config.faults.has('kickoff-200')) {
    sendManifestNow(ctx, params.value);
    return;
  }
  const job = createJob(ctx, params.value, ctx.state.config.jobDurationMs);
  if (job === undefined) return;
  sendInformation(ctx.res, 202, 'export job accepted; poll the Content-Location URL for its status', {
    ...VARY,
    ...contentLocation(ctx, job),
  });
}
