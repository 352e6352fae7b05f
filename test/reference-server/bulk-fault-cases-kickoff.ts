/** Demonstrations of the bulk faults at kick-off, status and cancel (used by faults.test.ts). */
import { expect } from 'vitest';
import { completeAt, kickoffAt, rawGet, statusUrlOf, typesOf, type BulkFaultCase } from './bulk-helpers.js';
import { del, expectOutcome, get, kickoff, mediaType, startExport } from './helpers.js';

const UNPROCESSABLE = `?_type=Observation&_typeFilter=${encodeURIComponent('Observation?unsupported-param=x')}`;

export const BULK_KICKOFF_FAULT_CASES: Record<string, BulkFaultCase> = {
  'export-prefer-only-respond-async': {
    shows: 'Prefer: respond-async, x-foo=bar gets 400 at $export (plain respond-async still 202)',
    async run(baseUrl) {
      await expectOutcome(await kickoff(baseUrl, '', { Prefer: 'respond-async, x-foo=bar', Accept: 'application/fhir+json' }), 400);
      expect((await kickoff(baseUrl)).status).toBe(202);
    },
  },
  'patient-export-not-supported': {
    shows: 'GET /Patient/$export answers 404 (system level still 202)',
    async run(baseUrl) {
      await expectOutcome(await kickoffAt(baseUrl, '/Patient/$export'), 404);
      expect((await kickoffAt(baseUrl, '/$export')).status).toBe(202);
    },
  },
  'repeated-type-last-wins': {
    shows: '_type=Patient&_type=Observation exports only Observation',
    async run(baseUrl, clock) {
      expect(typesOf(await completeAt(baseUrl, clock, '/$export', '?_type=Patient&_type=Observation'))).toEqual(['Observation']);
      expect(typesOf(await completeAt(baseUrl, clock, '/$export', '?_type=Patient,Observation'))).toEqual(['Patient', 'Observation']);
    },
  },
  'ndjson-abbreviations-rejected': {
    shows: '_outputFormat=ndjson and application/ndjson get 400',
    async run(baseUrl) {
      await expectOutcome(await kickoff(baseUrl, '?_outputFormat=ndjson'), 400);
      await expectOutcome(await kickoff(baseUrl, '?_outputFormat=application%2Fndjson'), 400);
      expect((await kickoff(baseUrl, '?_outputFormat=application%2Ffhir%2Bndjson')).status).toBe(202);
    },
  },
  'maximum-file-size-ignored': {
    shows: 'a 10-resource file larger than _maximumFileSize=500',
    async run(baseUrl, clock) {
      const manifest = await completeAt(baseUrl, clock, '/$export', '?_type=Patient&_maximumFileSize=500');
      expect(manifest.output).toHaveLength(1);
      const res = await rawGet(manifest.output[0]?.url ?? '');
      expect(res.body.length).toBeGreaterThan(500);
      expect(manifest.output[0]?.count).toBe(10);
    },
  },
  'unsupported-parameter-ignored': {
    shows: 'organizeOutputBy (unknown to the v2 shape) and an unsupported includeAssociatedData value without lenient get 202 and no error entry',
    async run(baseUrl, clock) {
      const manifest = await completeAt(baseUrl, clock, '/$export', '?organizeOutputBy=Patient');
      expect(manifest.error).toEqual([]);
      const associated = await completeAt(baseUrl, clock, '/$export', '?includeAssociatedData=NoSuchValue');
      expect(associated.error).toEqual([]);
    },
  },
  'since-rejected': {
    shows: '_since gets 400',
    async run(baseUrl) {
      await expectOutcome(await kickoff(baseUrl, '?_since=2020-01-01T00%3A00%3A00Z'), 400);
    },
  },
  'kickoff-error-without-outcome': {
    shows: 'a kick-off 400 with a text/plain body',
    async run(baseUrl) {
      const res = await kickoff(baseUrl, '?_type=NotAType');
      expect(res.status).toBe(400);
      expect(mediaType(res)).toBe('text/plain');
      expect(await res.text()).toMatch(/^Error: /);
    },
  },
  'kickoff-202-body-not-outcome': {
    shows: 'the 202 body is JSON without resourceType',
    async run(baseUrl) {
      const res = await kickoff(baseUrl);
      expect(res.status).toBe(202);
      expect(((await res.json()) as { resourceType?: string }).resourceType).toBeUndefined();
    },
  },
  'too-many-jobs-without-retry-after': {
    shows: '429 without Retry-After once 1000 jobs are held',
    async run(baseUrl) {
      for (let batch = 0; batch < 20; batch++) {
        const responses = await Promise.all(Array.from({ length: 50 }, () => kickoff(baseUrl)));
        for (const res of responses) await res.arrayBuffer();
      }
      const res = await kickoff(baseUrl);
      await expectOutcome(res, 429);
      expect(res.headers.get('retry-after')).toBeNull();
    },
  },
  'unsupported-type-accepted-silently': {
    shows: '_type=Patient,Medication gets 202, Medication vanishes without an error entry',
    async run(baseUrl, clock) {
      const manifest = await completeAt(baseUrl, clock, '/$export', '?_type=Patient,Medication');
      expect(typesOf(manifest)).toEqual(['Patient']);
      expect(manifest.error).toEqual([]);
    },
  },
  'failed-job-reported-200': {
    shows: 'an unprocessable _typeFilter job ends with 200 and an empty manifest',
    async run(baseUrl, clock) {
      const manifest = await completeAt(baseUrl, clock, '/$export', UNPROCESSABLE);
      expect(manifest.output).toEqual([]);
      expect(manifest.error).toEqual([]);
    },
  },
  'failed-job-body-not-outcome': {
    shows: 'a failed job answers 500 {"error": ...} as application/json',
    async run(baseUrl, clock) {
      const statusUrl = await statusUrlOf(await kickoffAt(baseUrl, '/$export', UNPROCESSABLE));
      clock.advance(1_000);
      const res = await get(statusUrl);
      expect(res.status).toBe(500);
      expect(mediaType(res)).toBe('application/json');
      expect(await res.json()).toEqual({ error: expect.stringContaining('unsupported-param') });
    },
  },
  'failed-job-outcome-plain-json': {
    shows: 'a failed job OperationOutcome served as application/json',
    async run(baseUrl, clock) {
      const statusUrl = await statusUrlOf(await kickoffAt(baseUrl, '/$export', UNPROCESSABLE));
      clock.advance(1_000);
      const res = await get(statusUrl);
      expect(res.status).toBe(500);
      expect(mediaType(res)).toBe('application/json');
      expect(((await res.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
    },
  },
  'status-404-outcome-plain-json': {
    shows: 'after DELETE the status URL answers 404 with an OperationOutcome labelled application/json',
    async run(baseUrl) {
      const statusUrl = await startExport(baseUrl);
      expect((await del(statusUrl)).status).toBe(202);
      const res = await get(statusUrl);
      expect(res.status).toBe(404);
      expect(mediaType(res)).toBe('application/json');
      expect(((await res.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
    },
  },
  'expires-in-past': {
    shows: 'Expires is before now',
    async run(baseUrl, clock) {
      const statusUrl = await startExport(baseUrl);
      clock.advance(1_000);
      const res = await get(statusUrl);
      expect(Date.parse(res.headers.get('expires') ?? '')).toBeLessThan(clock.now());
    },
  },
  'cancel-body-not-outcome': {
    shows: 'DELETE answers 202 with {"status":"cancelled"}',
    async run(baseUrl) {
      const statusUrl = await startExport(baseUrl);
      const res = await del(statusUrl);
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ status: 'cancelled' });
      await expectOutcome(await get(statusUrl), 404);
    },
  },
  'cancel-unknown-job-202': {
    shows: 'DELETE on an unknown status URL answers 202',
    async run(baseUrl) {
      const statusUrl = await startExport(baseUrl);
      expect((await del(`${statusUrl}0`)).status).toBe(202);
      expect((await del(statusUrl)).status).toBe(202);
      await expectOutcome(await del(statusUrl), 404);
    },
  },
};
