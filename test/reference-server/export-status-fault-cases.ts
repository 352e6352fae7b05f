/**
 * Demonstrations of the separate-export-status and allowPartialManifests faults (4.0 shape),
 * spread into faults.test.ts's CASES; each runs against `bulkVersion: 'v4'` with the fake clock.
 */
import { expect } from 'vitest';
import type { ReferenceServerOptions } from '../../reference-server/index.js';
import { postKickoff, statusUrlOf, type BulkFaultCase, type BulkManifest } from './bulk-helpers.js';
import { get } from './helpers.js';

type V4FaultCase = BulkFaultCase & { server: Omit<ReferenceServerOptions, 'clock' | 'faults'> };

const V4 = { bulkVersion: 'v4' } as const;
const SEPARATE = 'respond-async, separate-export-status';
const PARTIAL = [['allowPartialManifests', 'true']] as const;
const FAILING = [['_typeFilter', 'Observation?unsupported-param=x']] as const;

type Paged = BulkManifest & { link?: { relation: string; url: string }[] };

async function manifestAt(url: string): Promise<Paged> {
  const res = await get(url, { Accept: 'application/json' });
  expect(res.status).toBe(200);
  return (await res.json()) as Paged;
}

export const EXPORT_STATUS_FAULT_CASES: Record<string, V4FaultCase> = {
  'separate-export-status-in-progress-202': {
    shows: 'a running job polled under separate-export-status answers 202 without X-Export-Status',
    server: V4,
    async run(baseUrl) {
      const res = await get(await statusUrlOf(await postKickoff(baseUrl, '/$export', [], SEPARATE)));
      expect(res.status).toBe(202);
      expect(res.headers.get('x-export-status')).toBeNull();
    },
  },
  'separate-export-status-failure-500': {
    shows: 'a failed job polled under separate-export-status answers 500',
    server: V4,
    async run(baseUrl, clock) {
      const statusUrl = await statusUrlOf(await postKickoff(baseUrl, '/$export', FAILING, SEPARATE));
      clock.advance(60_000);
      const res = await get(statusUrl);
      expect(res.status).toBe(500);
      expect(res.headers.get('x-export-status')).toBeNull();
    },
  },
  'separate-export-status-complete-without-header': {
    shows: 'the completed manifest under separate-export-status has no X-Export-Status',
    server: V4,
    async run(baseUrl, clock) {
      const statusUrl = await statusUrlOf(await postKickoff(baseUrl, '/$export', [], SEPARATE));
      clock.advance(60_000);
      const res = await get(statusUrl);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-export-status')).toBeNull();
    },
  },
  'separate-export-status-not-announced': {
    shows: 'Preference-Applied: respond-async, yet polls answer 200 + X-Export-Status: 202 Accepted',
    server: V4,
    async run(baseUrl) {
      const kickoff = await postKickoff(baseUrl, '/$export', [], SEPARATE);
      expect(kickoff.headers.get('preference-applied')).toBe('respond-async');
      const res = await get(await statusUrlOf(kickoff));
      expect(res.status).toBe(200);
      expect(res.headers.get('x-export-status')).toBe('202 Accepted');
    },
  },
  'partial-manifest-file-not-ready': {
    shows: 'a file listed in the partial manifest on 202 answers 404 while the job runs',
    server: V4,
    async run(baseUrl) {
      const statusUrl = await statusUrlOf(await postKickoff(baseUrl, '/$export', PARTIAL));
      const res = await get(statusUrl);
      expect(res.status).toBe(202);
      const partial = (await res.json()) as Paged;
      expect((await get(partial.output[0]?.url ?? '')).status).toBe(404);
    },
  },
  'partial-manifest-rewritten': {
    shows: 'the partial manifest lists 2 files; at completion the same status URL lists them all, without link',
    server: V4,
    async run(baseUrl, clock) {
      const statusUrl = await statusUrlOf(await postKickoff(baseUrl, '/$export', PARTIAL));
      expect(((await (await get(statusUrl)).json()) as Paged).output).toHaveLength(2);
      clock.advance(60_000);
      const done = await manifestAt(statusUrl);
      expect(done.output.length).toBeGreaterThan(2);
      expect(done.link).toBeUndefined();
    },
  },
  'manifest-link-relation-not-next': {
    shows: 'link: [{ relation: "next-page", url }]',
    server: V4,
    async run(baseUrl, clock) {
      const statusUrl = await statusUrlOf(await postKickoff(baseUrl, '/$export', PARTIAL));
      clock.advance(60_000);
      expect((await manifestAt(statusUrl)).link?.[0]?.relation).toBe('next-page');
    },
  },
  'manifest-page-without-transaction-time': {
    shows: 'the linked page has no transactionTime',
    server: V4,
    async run(baseUrl, clock) {
      const statusUrl = await statusUrlOf(await postKickoff(baseUrl, '/$export', PARTIAL));
      clock.advance(60_000);
      const first = await manifestAt(statusUrl);
      expect(first.transactionTime).toBeTypeOf('string');
      expect(await manifestAt(first.link?.[0]?.url ?? '')).not.toHaveProperty('transactionTime');
    },
  },
};
