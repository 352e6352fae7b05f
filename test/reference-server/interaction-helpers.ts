/** Helpers for the interaction, Prefer and pacing tests: requests with bodies and Prefer, job completion. */
import { request as httpRequest } from 'node:http';
import { expect } from 'vitest';
import type { FakeClock } from './helpers.js';

/** One fault's demonstration (the shape faults.test.ts runs). */
export interface FaultDemo {
  /** What a conformance check would see under this fault. */
  shows: string;
  run(baseUrl: string, clock: FakeClock): Promise<void>;
}

export interface Call {
  method?: string;
  /** Path under the base URL, e.g. `/Patient/p1`. */
  path: string;
  prefer?: string;
  /** JSON-serialised as the body (with Content-Type application/fhir+json). */
  body?: unknown;
  headers?: Record<string, string>;
}

export function send(baseUrl: string, call: Call): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/fhir+json', ...call.headers };
  if (call.prefer !== undefined) headers['Prefer'] = call.prefer;
  const init: RequestInit = { method: call.method ?? (call.body === undefined ? 'GET' : 'POST'), headers, redirect: 'manual' };
  if (call.body !== undefined) {
    headers['Content-Type'] ??= 'application/fhir+json';
    init.body = typeof call.body === 'string' ? call.body : JSON.stringify(call.body);
  }
  return fetch(`${baseUrl}${call.path}`, init);
}

/** Sends the call with `Prefer: respond-async` (or `call.prefer`), expects 202, returns the status URL. */
export async function startAsync(baseUrl: string, call: Call): Promise<string> {
  const res = await send(baseUrl, { prefer: 'respond-async', ...call });
  expect(res.status, await res.clone().text()).toBe(202);
  await res.arrayBuffer();
  const location = res.headers.get('content-location') ?? '';
  expect(location).toMatch(/^http:\/\/.*\/_async\/[0-9a-f]{32}$/);
  return location;
}

/** Advances the clock past any job and polls the status URL once. */
export function finish(statusUrl: string, clock: FakeClock): Promise<Response> {
  clock.advance(60_000);
  return fetch(statusUrl, { redirect: 'manual', headers: { Accept: 'application/fhir+json' } });
}

export interface ResponseEntry {
  status: string;
  location?: string;
  etag?: string;
  lastModified?: string;
  outcome?: { resourceType: string; issue: { severity: string; code: string }[] };
}

export interface CompletionBundle {
  resourceType: string;
  type: string;
  entry: { fullUrl?: string; resource?: Record<string, unknown> & { resourceType: string; type?: string }; response?: ResponseEntry }[];
}

/** Runs `call` in Bundle mode to completion; expects 200 and returns the batch-response Bundle. */
export async function completeBundle(baseUrl: string, clock: FakeClock, call: Call): Promise<CompletionBundle> {
  const res = await finish(await startAsync(baseUrl, call), clock);
  expect(res.status).toBe(200);
  return (await res.json()) as CompletionBundle;
}

/** Runs `call` in redirect mode to completion; expects 303 and returns the result URL. */
export async function completeRedirect(baseUrl: string, clock: FakeClock, call: Call): Promise<string> {
  const prefer = call.prefer ?? 'respond-async, async-mode=redirect';
  const res = await finish(await startAsync(baseUrl, { ...call, prefer }), clock);
  expect(res.status).toBe(303);
  await res.arrayBuffer();
  return res.headers.get('location') ?? '';
}

export interface Snapshot {
  status: number;
  contentType: string | null;
  location: string | null;
  body: string;
}

export async function snapshot(res: Response): Promise<Snapshot> {
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    location: res.headers.get('location'),
    body: await res.text(),
  };
}

export const NEW_PATIENT = { resourceType: 'Patient', name: [{ family: 'Newman', given: ['Nora'] }], gender: 'female' };

export function reindexBody(type?: string): unknown {
  return { resourceType: 'Parameters', parameter: type === undefined ? [] : [{ name: 'type', valueCode: type }] };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A request over node:http where header lines matter: each entry of `headers` is sent as its
 * own line (an array value sends several lines of that name).
 */
export function rawRequest(url: string, method: string, headers: Record<string, string | string[]>): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, timeout: 5_000 });
    for (const [name, value] of Object.entries(headers)) req.setHeader(name, value);
    req.on('timeout', () => req.destroy(new Error('raw request timed out')));
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.end();
  });
}
