/**
 * What a synchronous interaction answers, kept as data so that every mode can deliver it:
 * sent directly (sync), wrapped in a batch-response entry (Bundle mode), or replayed on the
 * result URL (redirect mode).
 */
import { STATUS_CODES, type ServerResponse } from 'node:http';
import { formatHttpDate } from '../fhir-time.js';
import { sendEmpty, sendJson } from '../http-util.js';
import { buildOperationOutcome, type IssueCode } from '../operation-outcome.js';

export interface InteractionResult {
  status: number;
  /** The response body, if any (a resource, a Bundle, Parameters or an OperationOutcome). */
  body: fhir4.Resource | undefined;
  /** Relative location of a created resource, e.g. `Patient/<id>/_history/1`. */
  location: string | undefined;
  /** Weak ETag of the resource read or created, e.g. `W/"1"`. */
  etag: string | undefined;
  /** FHIR instant of the resource read or created. */
  lastModified: string | undefined;
}

export function buildBodyResult(status: number, body: fhir4.Resource | undefined): InteractionResult {
  return { status, body, location: undefined, etag: undefined, lastModified: undefined };
}

export function buildErrorResult(status: number, code: IssueCode, diagnostics: string): InteractionResult {
  return buildBodyResult(status, buildOperationOutcome('error', code, diagnostics));
}

export function isOperationOutcome(resource: fhir4.Resource): resource is fhir4.OperationOutcome {
  return resource.resourceType === 'OperationOutcome';
}

export function isFailure(result: InteractionResult): boolean {
  return result.status >= 400;
}

/** `201 Created`, `404 Not Found`: the form Bundle.entry.response.status takes. */
export function formatStatusLine(status: number): string {
  const reason = STATUS_CODES[status];
  return reason === undefined ? String(status) : `${status} ${reason}`;
}

/**
 * A Bundle entry reporting `result`: `response.status` (`201 Created`), `location`, `etag`,
 * `lastModified`, `outcome` for a failure, and `resource` for a successful result's body.
 */
export function buildResponseEntry(result: InteractionResult, baseUrl: string): fhir4.BundleEntry<fhir4.Resource> {
  const response: fhir4.BundleEntryResponse = { status: formatStatusLine(result.status) };
  if (result.location !== undefined) response.location = result.location;
  if (result.etag !== undefined) response.etag = result.etag;
  if (result.lastModified !== undefined) response.lastModified = result.lastModified;
  const body = result.body;
  if (isFailure(result) && body !== undefined && isOperationOutcome(body)) {
    response.outcome = body;
    return { response };
  }
  if (body === undefined) return { response };
  const fullUrl = body.id === undefined ? undefined : `${baseUrl}/${body.resourceType}/${body.id}`;
  return { ...(fullUrl === undefined ? {} : { fullUrl }), resource: body, response };
}

/** Location, ETag and Last-Modified headers of a result (Location made absolute). */
export function buildResultHeaders(result: InteractionResult, baseUrl: string): Record<string, string> {
  const headers: Record<string, string> = {};
  if (result.location !== undefined) headers['Location'] = `${baseUrl}/${result.location}`;
  if (result.etag !== undefined) headers['ETag'] = result.etag;
  if (result.lastModified !== undefined) headers['Last-Modified'] = formatHttpDate(Date.parse(result.lastModified));
  return headers;
}

export interface SendResultOptions {
  baseUrl: string;
  /** Media type of a body (the format negotiated from Accept). */
  contentType: string;
  headers?: Record<string, string>;
  /** Status to send instead of the result's own (for the redirect-failure-status-masked fault). */
  status?: number;
}

/** Sends a result exactly as the synchronous interaction answers it. */
export function sendResult(res: ServerResponse, result: InteractionResult, opts: SendResultOptions): void {
  const headers = { ...buildResultHeaders(result, opts.baseUrl), ...opts.headers };
  const status = opts.status ?? result.status;
  if (result.body === undefined) {
    sendEmpty(res, status, headers);
    return;
  }
  sendJson(res, status, result.body, { contentType: opts.contentType, headers });
}
