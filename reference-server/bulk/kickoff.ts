/**
 * Kick-off of a bulk export at system level (`[base]/$export`), for all patients
 * (`[base]/Patient/$export`) or for a Group's members (`[base]/Group/[id]/$export`), by GET
 * with query parameters or POST with a Parameters body. Requires `Prefer: respond-async`;
 * answers 202 with an absolute Content-Location (the status URL) and `Vary: Prefer`.
 * Under `bulkVersion: 'v4'` only POST may kick off (Bulk Data 4.0); GET gets 405.
 */
import type { ExportJobPayload, RequestContext } from '../context.js';
import { PLAIN_JSON, readBody, sendJson } from '../http-util.js';
import type { Checked } from '../operation-outcome.js';
import { parsePrefer } from '../prefer.js';
import { readCallbackUrl, scheduleExportCallback } from '../callbacks/callback-hooks.js';
import { listGroupMembers } from '../synthetic-data.js';
import {
  collectParametersBody,
  collectQueryParams,
  interpretExportParams,
  type ExportLevel,
  type InterpretContext,
  type RawParam,
} from './export-params.js';
import { listExportOutput } from './export-output.js';
import { createExportJob, sendAccepted, sendKickoffError, VARY } from './kickoff-response.js';
import { buildManifest } from './manifest.js';

async function collectRawParams(ctx: RequestContext): Promise<Checked<RawParam[]>> {
  const query = collectQueryParams(ctx.url);
  if (ctx.req.method !== 'POST') return { ok: true, value: query };
  const body = await readBody(ctx.req);
  if (!body.ok) return body;
  const fromBody = collectParametersBody(body.text);
  return fromBody.ok ? { ok: true, value: [...query, ...fromBody.value] } : fromBody;
}

/** The kick-off URL for the manifest's `request`: as received for GET, without parameters for POST. */
function describeRequest(ctx: RequestContext): string {
  const target = ctx.req.url ?? '/';
  return `${ctx.baseUrl}${ctx.req.method === 'POST' ? (target.split('?')[0] ?? '/') : target}`;
}

/** Where the export applies, or undefined after answering 404/405 for it. */
function resolveScope(ctx: RequestContext, level: ExportLevel): Omit<InterpretContext, 'lenient'> | undefined {
  const { config } = ctx.state;
  if (config.bulkVersion === 'v4' && ctx.req.method === 'GET') {
    sendKickoffError(ctx, {
      status: 405,
      code: 'not-supported',
      diagnostics: 'Bulk Data 4.0: an export is kicked off by POST with a Parameters body, not by GET',
      headers: { Allow: 'POST' },
    });
    return undefined;
  }
  // Fault KICKOFF-07: Patient-level export is not offered.
  if (level === 'patient' && config.faults.has('patient-export-not-supported')) {
    sendKickoffError(ctx, { status: 404, code: 'not-found', diagnostics: 'Patient/$export is not supported' });
    return undefined;
  }
  const base = { level, patientCount: config.patientCount, faults: config.faults };
  if (level !== 'group') return base;
  const groupId = ctx.pathParams[0] ?? '';
  const groupMembers = listGroupMembers(groupId, config.patientCount);
  if (groupMembers === undefined) {
    sendKickoffError(ctx, { status: 404, code: 'not-found', diagnostics: `Group/${groupId} does not exist` });
    return undefined;
  }
  return { ...base, groupId, groupMembers };
}

function sendManifestNow(ctx: RequestContext, payload: ExportJobPayload): void {
  const job = createExportJob(ctx, payload, 0);
  if (job === undefined) return;
  const { config } = ctx.state;
  const files = listExportOutput(job, config);
  const requiresAccessToken = config.auth?.requiresAccessToken ?? false;
  const manifest = buildManifest({ job, files, baseUrl: ctx.baseUrl, faults: config.faults, version: config.bulkVersion, requiresAccessToken });
  sendJson(ctx.res, 200, manifest, { contentType: PLAIN_JSON, headers: VARY });
}

async function kickOff(ctx: RequestContext, level: ExportLevel): Promise<void> {
  const scope = resolveScope(ctx, level);
  if (scope === undefined) {
    ctx.req.resume();
    return;
  }
  const raw = await collectRawParams(ctx);
  if (!raw.ok) {
    sendKickoffError(ctx, raw.error);
    return;
  }
  const prefs = parsePrefer(ctx.req.headers.prefer);
  if (!prefs.has('respond-async')) {
    const diagnostics = '$export is only available asynchronously: send the header Prefer: respond-async';
    sendKickoffError(ctx, { status: 400, code: 'invalid', diagnostics });
    return;
  }
  // Fault PREFER-01 (seen in FHIR Works on AWS): a Prefer other than exactly respond-async is refused.
  const preferText = ([] as string[]).concat(ctx.req.headers.prefer ?? []).join(', ').trim();
  if (ctx.state.config.faults.has('export-prefer-only-respond-async') && preferText !== 'respond-async') {
    sendKickoffError(ctx, { status: 400, code: 'not-supported', diagnostics: 'only Prefer: respond-async is supported' });
    return;
  }
  const { bulkVersion } = ctx.state.config;
  const params = interpretExportParams(raw.value, { ...scope, lenient: prefs.get('handling')?.value === 'lenient', bulkVersion });
  if (!params.ok) {
    sendKickoffError(ctx, params.error);
    return;
  }
  // Prefer: callback-url (CALLBACK-01): only allow-listed http(s) URLs, else 400.
  const callbackUrl = readCallbackUrl(ctx, prefs);
  if (!callbackUrl.ok) {
    sendKickoffError(ctx, callbackUrl.error);
    return;
  }
  // Prefer: separate-export-status (Bulk Data v3/v4) is honoured by the 4.0 shape; v2 ignores it.
  const separate = bulkVersion === 'v4' && prefs.has('separate-export-status');
  const payload: ExportJobPayload = { ...params.value, requestUrl: describeRequest(ctx), baseUrl: ctx.baseUrl, ...(separate ? { separateExportStatus: true } : {}) };
  // Fault KICKOFF-02: complete synchronously and answer 200 with the manifest.
  if (ctx.state.config.faults.has('kickoff-200')) {
    sendManifestNow(ctx, payload);
    return;
  }
  const job = createExportJob(ctx, payload, ctx.state.config.jobDurationMs);
  if (job === undefined) return;
  scheduleExportCallback(ctx, callbackUrl.value, job);
  sendAccepted(ctx, job);
}

/** `[base]/$export` */
export function handleKickoff(ctx: RequestContext): Promise<void> {
  return kickOff(ctx, 'system');
}

/** `[base]/Patient/$export` */
export function handlePatientKickoff(ctx: RequestContext): Promise<void> {
  return kickOff(ctx, 'patient');
}

/** `[base]/Group/[id]/$export` */
export function handleGroupKickoff(ctx: RequestContext): Promise<void> {
  return kickOff(ctx, 'group');
}
