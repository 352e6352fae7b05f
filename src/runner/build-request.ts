import type { OutgoingRequest } from '../http/client.js';
import type { Redactor } from '../http/redact.js';
import type { HeaderValue } from '../model/results.js';
import type { RequestSpec } from '../model/scenario.js';
import { interpolate, interpolateJson, type Variables } from './variables.js';

/** Turn a step's request spec into a concrete request. Throws UnknownVariableError (a harness bug). */
export function buildRequest(spec: RequestSpec, vars: Variables, baseUrl: string, defaults: Record<string, string>): OutgoingRequest {
  const target = spec.url !== undefined ? interpolate(spec.url, vars) : joinPath(baseUrl, interpolate(spec.path ?? '/', vars));
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new Error(`'${target}' is not an absolute URL`);
  }
  for (const [name, value] of Object.entries(spec.query ?? {})) {
    for (const v of [value].flat()) url.searchParams.append(name, interpolate(v, vars));
  }
  const headers: Record<string, HeaderValue> = {};
  const set = (name: string, value: HeaderValue): void => {
    for (const k of Object.keys(headers)) if (k.toLowerCase() === name.toLowerCase()) delete headers[k];
    headers[name] = value;
  };
  for (const [k, v] of Object.entries(defaults)) set(k, v);
  // A list stays a list: sent as separate header lines, in order (PREFER-03).
  for (const [k, v] of Object.entries(spec.headers ?? {})) set(k, Array.isArray(v) ? v.map((line) => interpolate(line, vars)) : interpolate(v, vars));
  let body: string | undefined;
  const has = (name: string): boolean => Object.keys(headers).some((k) => k.toLowerCase() === name);
  if (spec.json !== undefined) {
    body = JSON.stringify(interpolateJson(spec.json, vars));
    if (!has('content-type')) set('Content-Type', 'application/fhir+json');
  } else if (spec.text !== undefined) {
    body = interpolate(spec.text, vars);
    if (!has('content-type')) set('Content-Type', 'text/plain');
  }
  return { method: spec.method, url: url.toString(), headers, ...(body === undefined ? {} : { body }) };
}

/** `http://h/fhir` + `/$export` -> `http://h/fhir/$export` (string join: never resolves away the base path). */
export function joinPath(baseUrl: string, path: string): string {
  return baseUrl.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`);
}

/** One line saying what was sent, for failure messages. */
export function describeSent(req: OutgoingRequest, redactor: Pick<Redactor, 'header' | 'text'>): string {
  const shown = Object.entries(req.headers)
    .filter(([k]) => !/^(user-agent|content-length)$/i.test(k))
    .flatMap(([k, v]) => [v].flat().map((line) => `${k}: ${redactor.header(k, line)}`));
  return `${req.method} ${redactor.text(req.url)}${shown.length ? ` (${shown.join('; ')})` : ''}${req.body ? ` with a ${req.body.length}-byte body` : ''}`;
}
