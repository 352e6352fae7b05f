/**
 * What a `waitCallback` step checks: the callbacks that arrived, seen as one JSON document so
 * that ordinary checks (`json: /parameters/status`, `header: content-type`) and captures
 * (`{ json: /parameters/resultUrl }`) apply unchanged. Header checks look at the first request.
 *
 * ```
 * { "count": 1, "method": "POST", "answered": 204, "oversize": false,
 *   "body": { "resourceType": "Parameters", ... } | null, "bodyError": "...",
 *   "parameters": { "status": "completed", "resultUrl": "https://...", "outcome": {...} },
 *   "parameterNames": ["status", "resultUrl"],
 *   "authentication": "hmac-sha256" | "bearer" | "unverified" | "signature-mismatch" | "wrong-bearer" | "none",
 *   "identical": true }
 * ```
 */
import type { HttpResponse } from '../http/client.js';
import type { CallbackAuthentication, CallbackVerifier } from './callback-auth.js';
import type { CallbackArrival } from './callback-endpoint.js';

export interface CallbackView {
  /** Requests that arrived on the endpoint. */
  count: number;
  method: string;
  /** Status the receiver answered the first request with. */
  answered: number;
  oversize: boolean;
  /** The first body as JSON, or null when it is not JSON (see bodyError). */
  body: unknown;
  bodyError?: string;
  /** `parameter[]` by name (first of a repeated name): the `value[x]`, the `resource`, or the `part`s by name. */
  parameters: Record<string, unknown>;
  parameterNames: string[];
  /** How the first request was authenticated. */
  authentication: CallbackAuthentication;
  /** Every request carried the same body as the first (a duplicate would be harmless). */
  identical: boolean;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The view of a non-empty list of arrivals. */
export function buildCallbackView(arrivals: readonly [CallbackArrival, ...CallbackArrival[]], verifier: CallbackVerifier): CallbackView {
  const first = arrivals[0];
  const parsed = parseJson(first.body);
  const list = isObj(parsed.value) && Array.isArray(parsed.value['parameter']) ? parsed.value['parameter'] : [];
  return {
    count: arrivals.length,
    method: first.method,
    answered: first.answeredStatus,
    oversize: first.oversize,
    body: parsed.value,
    ...(parsed.error === undefined ? {} : { bodyError: parsed.error }),
    parameters: readParameters(list),
    parameterNames: list.filter(isObj).map((p) => p['name']).filter((n): n is string => typeof n === 'string'),
    authentication: verifier.verify(first.headers, first.body),
    identical: arrivals.every((a) => a.body.equals(first.body)),
  };
}

/** The view as a response the check evaluator understands: its JSON body, the first request's headers. */
export function toCheckableResponse(view: CallbackView, first: CallbackArrival): HttpResponse {
  return { status: view.answered, headers: first.headers, body: Buffer.from(JSON.stringify(view)) };
}

function readParameters(list: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of list) {
    if (!isObj(p) || typeof p['name'] !== 'string' || p['name'] in out) continue;
    const valueKey = Object.keys(p).find((k) => /^value[A-Z]/.test(k));
    if (valueKey !== undefined) out[p['name']] = p[valueKey];
    else if ('resource' in p) out[p['name']] = p['resource'];
    else if (Array.isArray(p['part'])) out[p['name']] = readParameters(p['part']);
  }
  return out;
}

function parseJson(body: Buffer): { value: unknown; error?: string } {
  const text = body.toString('utf8');
  if (text.trim() === '') return { value: null, error: 'the body is empty' };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (e) {
    return { value: null, error: `the body is not JSON (${(e as Error).message})` };
  }
}
