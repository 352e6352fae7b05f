/** Helpers for the bulk export tests: kick-off at any level, manifests, NDJSON files, raw GETs. */
import { request } from 'node:http';
import { expect } from 'vitest';
import { ASYNC_HEADERS, get, parseNdjson, type FakeClock } from './helpers.js';

export interface BulkItem {
  type?: string;
  url: string;
  count?: unknown;
}

/** A manifest of either shape (v2 or 4.0), fields left loose so faults can be observed. */
export interface BulkManifest {
  transactionTime: unknown;
  request?: unknown;
  requiresAccessToken: unknown;
  output: BulkItem[];
  deleted?: BulkItem[];
  error?: BulkItem[];
  outcome?: BulkItem[];
  extension?: unknown;
}

export type Line = Record<string, unknown>;

/** A fault demonstration, as faults.test.ts runs it (server started with the fault and `clock`). */
export interface BulkFaultCase {
  shows: string;
  run(baseUrl: string, clock: FakeClock): Promise<void>;
}

export const LENIENT = { Prefer: 'respond-async, handling=lenient', Accept: 'application/fhir+json' };

/** GET `<path><query>` (path such as `/$export`, `/Patient/$export`, `/Group/g1/$export`). */
export function kickoffAt(baseUrl: string, path: string, query = '', headers: Record<string, string> = ASYNC_HEADERS): Promise<Response> {
  return get(`${baseUrl}${path}${query}`, headers);
}

/** A Parameters parameter: `[name, value]`, a reference value when it starts with `Patient/`. */
export type ParamPair = readonly [string, string];

export function buildParameters(pairs: readonly ParamPair[]): string {
  const parameter = pairs.map(([name, value]) =>
    value.startsWith('Patient/') ? { name, valueReference: { reference: value } } : { name, valueString: value },
  );
  return JSON.stringify({ resourceType: 'Parameters', parameter });
}

/** POST `<path>` with a Parameters body. */
export function postKickoff(baseUrl: string, path: string, pairs: readonly ParamPair[], prefer = 'respond-async'): Promise<Response> {
  return fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { Prefer: prefer, Accept: 'application/fhir+json', 'Content-Type': 'application/fhir+json' },
    body: buildParameters(pairs),
    redirect: 'manual',
  });
}

/** Expects a 202 kick-off and returns its status URL. */
export async function statusUrlOf(res: Response): Promise<string> {
  expect(res.status).toBe(202);
  await res.arrayBuffer();
  const location = res.headers.get('content-location');
  expect(location).not.toBeNull();
  return location ?? '';
}

/** Advances the clock past the job and fetches the manifest (expects 200). */
export async function fetchManifest(statusUrl: string, clock: FakeClock): Promise<BulkManifest> {
  clock.advance(60_000);
  const res = await get(statusUrl, { Accept: 'application/json' });
  expect(res.status).toBe(200);
  return (await res.json()) as BulkManifest;
}

/** Kicks off by GET at `path`, completes the job and returns the manifest. */
export async function completeAt(baseUrl: string, clock: FakeClock, path: string, query = '', headers?: Record<string, string>): Promise<BulkManifest> {
  return fetchManifest(await statusUrlOf(await kickoffAt(baseUrl, path, query, headers)), clock);
}

/** GETs an NDJSON file (expects 200 application/fhir+ndjson) and parses its lines. */
export async function fetchLines(url: string): Promise<Line[]> {
  const res = await get(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/fhir\+ndjson/);
  return parseNdjson(await res.text());
}

/** Every line of every file listed in `items`. */
export async function fetchAllLines(items: readonly BulkItem[] | undefined): Promise<Line[]> {
  const lines: Line[] = [];
  for (const item of items ?? []) lines.push(...(await fetchLines(item.url)));
  return lines;
}

/** `Type/id` of each line. */
export function keysOf(lines: readonly Line[]): string[] {
  return lines.map((line) => `${String(line['resourceType'])}/${String(line['id'])}`);
}

/** Output item types, in manifest order. */
export function typesOf(manifest: BulkManifest): string[] {
  return manifest.output.map((item) => item.type ?? '');
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET over node:http that shows the body bytes exactly as sent (no decompression). */
export function rawGet(url: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}
