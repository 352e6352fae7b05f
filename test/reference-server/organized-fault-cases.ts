/** Demonstrations of the organized-output (organizeOutputBy, 4.0 shape) and attachment faults (used by faults.test.ts). */
import { expect } from 'vitest';
import { completeAt, fetchLines, fetchManifest, postKickoff, statusUrlOf, type BulkManifest, type Line } from './bulk-helpers.js';
import { get, type FakeClock } from './helpers.js';
import type { ReferenceServerOptions } from '../../reference-server/index.js';

interface OrganizedFaultCase {
  shows: string;
  server?: Omit<ReferenceServerOptions, 'clock' | 'faults'>;
  run(baseUrl: string, clock: FakeClock): Promise<void>;
}

type OrganizedManifest = Omit<BulkManifest, 'output'> & { outputOrganizedBy?: string; output: (BulkManifest['output'][number] & { continuesInFile?: string })[] };

const V4 = { bulkVersion: 'v4' } as const;

/** POST kick-off with organizeOutputBy=Patient (4.0 shape), completed: the manifest. */
export async function completeOrganized(baseUrl: string, clock: FakeClock): Promise<OrganizedManifest> {
  return (await fetchManifest(await statusUrlOf(await postKickoff(baseUrl, '/$export', [['organizeOutputBy', 'Patient']])), clock)) as unknown as OrganizedManifest;
}

const headerOf = (line: Line | undefined): unknown => (line?.['parameter'] as { valueReference?: { reference?: string } }[] | undefined)?.[0]?.valueReference?.reference;

async function firstAttachmentUrl(baseUrl: string, clock: FakeClock): Promise<string> {
  const manifest = await completeAt(baseUrl, clock, '/$export', '?_type=DocumentReference');
  const [doc] = await fetchLines(manifest.output[0]?.url ?? '');
  return String((doc?.['content'] as { attachment: { url: string } }[])[0]?.attachment.url);
}

export const ORGANIZED_FAULT_CASES: Record<string, OrganizedFaultCase> = {
  'output-organized-by-missing': {
    shows: 'an organized export whose manifest has no outputOrganizedBy',
    server: V4,
    async run(baseUrl, clock) {
      const manifest = await completeOrganized(baseUrl, clock);
      expect(manifest).not.toHaveProperty('outputOrganizedBy');
      expect(manifest.output[0]).not.toHaveProperty('type');
    },
  },
  'continued-block-header-not-repeated': {
    shows: 'the file a block continues into does not start with its header',
    server: V4,
    async run(baseUrl, clock) {
      const manifest = await completeOrganized(baseUrl, clock);
      const index = manifest.output.findIndex((item) => item.continuesInFile !== undefined);
      const next = await fetchLines(manifest.output[index + 1]?.url ?? '');
      expect(next[0]?.['resourceType']).not.toBe('Parameters');
    },
  },
  'continues-in-file-missing': {
    shows: 'a block continues in the next file (header repeated) but no item has continuesInFile',
    server: V4,
    async run(baseUrl, clock) {
      const manifest = await completeOrganized(baseUrl, clock);
      expect(manifest.output.some((item) => item.continuesInFile !== undefined)).toBe(false);
      const [first, second] = [await fetchLines(manifest.output[0]?.url ?? ''), await fetchLines(manifest.output[1]?.url ?? '')];
      expect(headerOf(second[0])).toBe(headerOf(first.filter((l) => l['resourceType'] === 'Parameters').at(-1)));
    },
  },
  'organized-header-not-reference': {
    shows: 'block headers carry valueString instead of valueReference',
    server: V4,
    async run(baseUrl, clock) {
      const manifest = await completeOrganized(baseUrl, clock);
      const [header] = await fetchLines(manifest.output[0]?.url ?? '');
      expect(header?.['parameter']).toEqual([{ name: 'header', valueString: 'p1' }]);
    },
  },
  'attachment-relative-url': {
    shows: 'DocumentReference attachment url is a relative path',
    async run(baseUrl, clock) {
      expect(await firstAttachmentUrl(baseUrl, clock)).toMatch(/^\/_files\/[^/]+\/attachment-p1-doc1\.txt$/);
    },
  },
  'attachment-url-404': {
    shows: 'the attachment URL answers 404',
    async run(baseUrl, clock) {
      const res = await get(await firstAttachmentUrl(baseUrl, clock));
      expect(res.status).toBe(404);
    },
  },
};
