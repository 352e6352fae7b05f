/** Shared helpers for the reference-server tests: fake clock, server tracking, kick-off. */
import { expect } from 'vitest';
import {
  startReferenceServer,
  type ReferenceServerOptions,
  type RunningReferenceServer,
} from '../../reference-server/index.js';

export const START = Date.parse('2025-03-01T12:00:00.000Z');

export interface FakeClock {
  now(): number;
  advance(ms: number): void;
}

export function createFakeClock(start: number = START): FakeClock {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
}

const running: RunningReferenceServer[] = [];

/** Starts a server on 127.0.0.1:0; closeAllServers() (in afterEach) stops it. */
export async function startServer(opts: ReferenceServerOptions = {}): Promise<RunningReferenceServer> {
  const server = await startReferenceServer({ port: 0, ...opts });
  running.push(server);
  return server;
}

export async function closeAllServers(): Promise<void> {
  const servers = running.splice(0);
  await Promise.all(servers.map((server) => server.close()));
}

export const ASYNC_HEADERS = { Prefer: 'respond-async', Accept: 'application/fhir+json' };

export function get(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { headers, redirect: 'manual' });
}

export function del(url: string): Promise<Response> {
  return fetch(url, { method: 'DELETE', redirect: 'manual' });
}

/** GET `/$export<query>` with Prefer: respond-async (unless headers override it). */
export function kickoff(baseUrl: string, query = '', headers: Record<string, string> = ASYNC_HEADERS): Promise<Response> {
  return get(`${baseUrl}/$export${query}`, headers);
}

/** Kicks off, expects 202, returns the absolute status URL. */
export async function startExport(baseUrl: string, query = ''): Promise<string> {
  const res = await kickoff(baseUrl, query);
  expect(res.status).toBe(202);
  await res.arrayBuffer();
  const location = res.headers.get('content-location');
  expect(location).not.toBeNull();
  return location ?? '';
}

export function mediaType(res: Response): string {
  return (res.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export interface Outcome {
  resourceType: string;
  issue: { severity: string; code: string; diagnostics?: string }[];
}

/** Asserts `res` is an error with the given status and an application/fhir+json OperationOutcome. */
export async function expectOutcome(res: Response, status: number): Promise<Outcome> {
  expect(res.status).toBe(status);
  expect(mediaType(res)).toBe('application/fhir+json');
  const body = (await res.json()) as Outcome;
  expect(body.resourceType).toBe('OperationOutcome');
  expect(body.issue.length).toBeGreaterThan(0);
  return body;
}

export interface ManifestItem {
  type: string;
  url: string;
  count: number;
}

export interface Manifest {
  transactionTime: string;
  request: string;
  requiresAccessToken: unknown;
  output: ManifestItem[];
  error: ManifestItem[];
}

/** Kicks off, advances the clock past the job, fetches the manifest (expects 200). */
export async function completeExport(baseUrl: string, clock: FakeClock, query = ''): Promise<Manifest> {
  const statusUrl = await startExport(baseUrl, query);
  clock.advance(60_000);
  const res = await get(statusUrl, { Accept: 'application/json' });
  expect(res.status).toBe(200);
  return (await res.json()) as Manifest;
}

/** Parses an NDJSON body into objects, checking it is newline-terminated. */
export function parseNdjson(text: string): Record<string, unknown>[] {
  if (text === '') return [];
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
