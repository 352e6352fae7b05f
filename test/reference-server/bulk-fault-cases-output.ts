/** Demonstrations of the bulk faults in the manifest and the files (used by faults.test.ts). */
import { expect } from 'vitest';
import {
  completeAt,
  fetchAllLines,
  fetchLines,
  keysOf,
  rawGet,
  typesOf,
  LENIENT,
  type BulkFaultCase,
} from './bulk-helpers.js';
import { START, get } from './helpers.js';

const SINCE_EPOCH = `?_since=${encodeURIComponent('1970-01-01T00:00:00Z')}`;

export const BULK_OUTPUT_FAULT_CASES: Record<string, BulkFaultCase> = {
  'transaction-time-not-instant': {
    shows: 'transactionTime "2025-03-01 12:00:00" (no zone)',
    async run(baseUrl, clock) {
      expect((await completeAt(baseUrl, clock, '/$export')).transactionTime).toBe('2025-03-01 12:00:00');
    },
  },
  'resource-after-transaction-time': {
    shows: 'a resource with lastUpdated after transactionTime',
    async run(baseUrl, clock) {
      const manifest = await completeAt(baseUrl, clock, '/$export');
      const [first] = await fetchLines(manifest.output[0]?.url ?? '');
      const lastUpdated = Date.parse((first?.['meta'] as { lastUpdated: string }).lastUpdated);
      expect(lastUpdated).toBeGreaterThan(Date.parse(String(manifest.transactionTime)));
    },
  },
  'manifest-without-request': {
    shows: 'no request in a v2 manifest',
    async run(baseUrl, clock) {
      expect(await completeAt(baseUrl, clock, '/$export')).not.toHaveProperty('request');
    },
  },
  'output-item-without-type': {
    shows: 'output items without type',
    async run(baseUrl, clock) {
      const manifest = await completeAt(baseUrl, clock, '/$export');
      expect(manifest.output.length).toBeGreaterThan(0);
      for (const item of manifest.output) expect(item).not.toHaveProperty('type');
    },
  },
  'output-file-mixed-types': {
    shows: 'the Patient file holds an Observation',
    async run(baseUrl, clock) {
      const manifest = await completeAt(baseUrl, clock, '/$export', '?_type=Patient,Observation');
      const patients = await fetchLines(manifest.output[0]?.url ?? '');
      expect(manifest.output[0]?.type).toBe('Patient');
      expect(patients.map((line) => line['resourceType'])).toContain('Observation');
      expect(patients).toHaveLength(Number(manifest.output[0]?.count));
    },
  },
  'manifest-count-mismatch': {
    shows: 'count is one more than the lines',
    async run(baseUrl, clock) {
      const item = (await completeAt(baseUrl, clock, '/$export', '?_type=Patient')).output[0];
      expect(item?.count).toBe((await fetchLines(item?.url ?? '')).length + 1);
    },
  },
  'manifest-count-string': {
    shows: 'count is the string "10"',
    async run(baseUrl, clock) {
      expect((await completeAt(baseUrl, clock, '/$export', '?_type=Patient')).output[0]?.count).toBe('10');
    },
  },
  'empty-output-item': {
    shows: 'an Organization item with count 0 and an empty file',
    async run(baseUrl, clock) {
      const since = encodeURIComponent(new Date(START - 90 * 60_000).toISOString());
      const manifest = await completeAt(baseUrl, clock, '/$export', `?_type=Patient,Organization&_since=${since}`);
      expect(manifest.output.map((item) => [item.type, item.count])).toEqual([['Patient', 1], ['Organization', 0]]);
      expect(await fetchLines(manifest.output[1]?.url ?? '')).toEqual([]);
    },
  },
  'deleted-not-transaction': {
    shows: 'deleted lines are collection Bundles',
    async run(baseUrl, clock) {
      const bundles = await fetchAllLines((await completeAt(baseUrl, clock, '/$export', SINCE_EPOCH)).deleted);
      expect(bundles.length).toBeGreaterThan(0);
      for (const bundle of bundles) expect(bundle['type']).toBe('collection');
    },
  },
  'deleted-also-in-output': {
    shows: 'Observation/p1-obs0 is both deleted and exported',
    async run(baseUrl, clock) {
      const manifest = await completeAt(baseUrl, clock, '/$export', SINCE_EPOCH);
      expect(JSON.stringify(await fetchAllLines(manifest.deleted))).toContain('Observation/p1-obs0');
      expect(keysOf(await fetchAllLines(manifest.output))).toContain('Observation/p1-obs0');
    },
  },
  'since-without-deleted': {
    shows: 'no deleted array with _since',
    async run(baseUrl, clock) {
      expect(await completeAt(baseUrl, clock, '/$export', SINCE_EPOCH)).not.toHaveProperty('deleted');
    },
  },
  'manifest-without-error-array': {
    shows: 'no error array',
    async run(baseUrl, clock) {
      expect(await completeAt(baseUrl, clock, '/$export')).not.toHaveProperty('error');
    },
  },
  'error-file-not-outcome': {
    shows: 'error-file lines without resourceType',
    async run(baseUrl, clock) {
      const manifest = await completeAt(baseUrl, clock, '/$export', '?organizeOutputBy=Patient', LENIENT);
      const lines = await fetchAllLines(manifest.error);
      expect(lines).toHaveLength(1);
      expect(lines[0]).not.toHaveProperty('resourceType');
    },
  },
  'manifest-extension-not-object': {
    shows: 'extension is an array',
    async run(baseUrl, clock) {
      expect(Array.isArray((await completeAt(baseUrl, clock, '/$export')).extension)).toBe(true);
    },
  },
  'output-file-404': {
    shows: 'the last output URL answers 404',
    async run(baseUrl, clock) {
      const urls = (await completeAt(baseUrl, clock, '/$export')).output.map((item) => item.url);
      expect((await get(urls.at(-1) ?? '')).status).toBe(404);
      expect((await get(urls[0] ?? '')).status).toBe(200);
    },
  },
  'lenient-parameter-not-reported': {
    shows: 'error stays empty for a parameter ignored under lenient',
    async run(baseUrl, clock) {
      expect((await completeAt(baseUrl, clock, '/$export', '?organizeOutputBy=Patient', LENIENT)).error).toEqual([]);
    },
  },
  'file-requires-accept': {
    shows: 'a file request without Accept gets 406',
    async run(baseUrl, clock) {
      const url = (await completeAt(baseUrl, clock, '/$export')).output[0]?.url ?? '';
      expect((await rawGet(url)).status).toBe(406);
      expect((await rawGet(url, { Accept: 'application/fhir+ndjson' })).status).toBe(200);
    },
  },
  'ndjson-invalid-line': {
    shows: 'the first line is not valid JSON',
    async run(baseUrl, clock) {
      const url = (await completeAt(baseUrl, clock, '/$export')).output[0]?.url ?? '';
      const [first = ''] = (await (await get(url)).text()).split('\n');
      expect(() => JSON.parse(first) as unknown).toThrow(SyntaxError);
    },
  },
  'invalid-resource-in-file': {
    shows: 'a Patient with gender 42',
    async run(baseUrl, clock) {
      const [patient] = await fetchLines((await completeAt(baseUrl, clock, '/$export', '?_type=Patient')).output[0]?.url ?? '');
      expect(patient?.['gender']).toBe(42);
    },
  },
  'gzip-without-content-encoding': {
    shows: 'gzip bytes without Content-Encoding',
    async run(baseUrl, clock) {
      const url = (await completeAt(baseUrl, clock, '/$export')).output[0]?.url ?? '';
      const res = await rawGet(url, { 'Accept-Encoding': 'gzip' });
      expect(res.body.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
      expect(res.headers['content-encoding']).toBeUndefined();
    },
  },
  'duplicate-resource': {
    shows: 'Patient/p1 appears twice',
    async run(baseUrl, clock) {
      const keys = keysOf(await fetchAllLines((await completeAt(baseUrl, clock, '/$export')).output));
      expect(keys.filter((key) => key === 'Patient/p1')).toHaveLength(2);
    },
  },
  'binary-in-patient-export': {
    shows: 'a Binary output item in a Patient-level export',
    async run(baseUrl, clock) {
      expect(typesOf(await completeAt(baseUrl, clock, '/Patient/$export'))).toContain('Binary');
      expect(typesOf(await completeAt(baseUrl, clock, '/Group/g1/$export'))).toContain('Binary');
      expect(typesOf(await completeAt(baseUrl, clock, '/$export'))).not.toContain('Binary');
    },
  },
};
