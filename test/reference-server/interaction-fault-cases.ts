/**
 * Demonstrations of the async-interaction faults (Bundle, redirect, search-bulk), run by
 * faults.test.ts against a server with only that fault and a fake clock: each shows the broken
 * behaviour on the wire.
 */
import { expect } from 'vitest';
import { del, expectOutcome, get, mediaType } from './helpers.js';
import {
  completeBundle,
  completeRedirect,
  finish,
  NEW_PATIENT,
  send,
  startAsync,
  type CompletionBundle,
  type FaultDemo,
} from './interaction-helpers.js';

const READ = { path: '/Patient/p1' };
const MISSING = { path: '/Patient/no-such-patient' };
const REDIRECT = 'respond-async, async-mode=redirect';

export const INTERACTION_FAULT_CASES: Record<string, FaultDemo> = {
  'interaction-kickoff-no-202': {
    shows: 'an async read is answered 200 synchronously',
    async run(baseUrl) {
      const res = await send(baseUrl, { ...READ, prefer: 'respond-async' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-location')).toBeNull();
      expect(((await res.json()) as { resourceType: string }).resourceType).toBe('Patient');
    },
  },
  'interaction-status-200-while-running': {
    shows: 'status 200 (informational OperationOutcome) while the job runs',
    async run(baseUrl) {
      const res = await get(await startAsync(baseUrl, READ));
      const body = await expectOutcome(res, 200);
      expect(body.issue[0]?.severity).toBe('information');
    },
  },
  'interaction-cancel-200': {
    shows: 'DELETE of an interaction job answers 200 (job still cancelled)',
    async run(baseUrl) {
      const statusUrl = await startAsync(baseUrl, READ);
      expect((await del(statusUrl)).status).toBe(200);
      await expectOutcome(await get(statusUrl), 404);
    },
  },
  'interaction-status-after-cancel': {
    shows: 'the status URL keeps answering after DELETE',
    async run(baseUrl, clock) {
      const statusUrl = await startAsync(baseUrl, READ);
      expect((await del(statusUrl)).status).toBe(202);
      expect((await get(statusUrl)).status).toBe(202);
      expect((await finish(statusUrl, clock)).status).toBe(200);
      expect((await del(statusUrl)).status).toBe(202);
    },
  },
  'bundle-wrong-type': {
    shows: 'completion Bundle.type is "batch"',
    async run(baseUrl, clock) {
      expect((await completeBundle(baseUrl, clock, READ)).type).toBe('batch');
    },
  },
  'bundle-outcome-not-first': {
    shows: 'entry[0] has no response; the outcome is entry[1]',
    async run(baseUrl, clock) {
      const bundle = await completeBundle(baseUrl, clock, READ);
      expect(bundle.entry[0]?.response).toBeUndefined();
      expect(bundle.entry[0]?.resource?.resourceType).toBe('OperationOutcome');
      expect(bundle.entry[1]?.response?.status).toBe('200 OK');
    },
  },
  'bundle-failure-as-http-error': {
    shows: 'a failed read completes as 404 on the status URL',
    async run(baseUrl, clock) {
      await expectOutcome(await finish(await startAsync(baseUrl, MISSING), clock), 404);
    },
  },
  'bundle-created-without-location': {
    shows: 'entry[0].response of a create has no location',
    async run(baseUrl, clock) {
      const bundle = await completeBundle(baseUrl, clock, { path: '/Patient', body: NEW_PATIENT });
      expect(bundle.entry[0]?.response?.status).toBe('201 Created');
      expect(bundle.entry[0]?.response?.location).toBeUndefined();
    },
  },
  'bundle-representation-missing': {
    shows: 'entry[0] of a read has no resource',
    async run(baseUrl, clock) {
      const bundle = await completeBundle(baseUrl, clock, READ);
      expect(bundle.entry[0]?.response?.status).toBe('200 OK');
      expect(bundle.entry[0]?.resource).toBeUndefined();
    },
  },
  'bundle-wrong-content-type': {
    shows: 'the completion Bundle is served as application/json',
    async run(baseUrl, clock) {
      const res = await finish(await startAsync(baseUrl, READ), clock);
      expect(res.status).toBe(200);
      expect(mediaType(res)).toBe('application/json');
      expect(((await res.json()) as CompletionBundle).type).toBe('batch-response');
    },
  },
  'bundle-search-not-searchset': {
    shows: 'entry[0].resource of a search is a collection Bundle',
    async run(baseUrl, clock) {
      const bundle = await completeBundle(baseUrl, clock, { path: '/Patient?_count=2' });
      expect(bundle.entry[0]?.resource?.resourceType).toBe('Bundle');
      expect(bundle.entry[0]?.resource?.type).toBe('collection');
    },
  },
  'search-output-format-ignored': {
    shows: 'a search with _outputFormat completes as a Bundle, not a manifest',
    async run(baseUrl, clock) {
      const res = await finish(await startAsync(baseUrl, { path: '/Patient?_outputFormat=ndjson' }), clock);
      expect(res.status).toBe(200);
      expect(mediaType(res)).toBe('application/fhir+json');
      const bundle = (await res.json()) as CompletionBundle;
      expect(bundle.type).toBe('batch-response');
      expect(bundle.entry[0]?.resource?.type).toBe('searchset');
    },
  },
  'redirect-200-instead-of-303': {
    shows: 'the finished status URL answers 200 with the Patient',
    async run(baseUrl, clock) {
      const res = await finish(await startAsync(baseUrl, { ...READ, prefer: REDIRECT }), clock);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { resourceType: string }).resourceType).toBe('Patient');
    },
  },
  'redirect-failure-status-masked': {
    shows: 'the result of a failed read is 200 + OperationOutcome (sync is 404)',
    async run(baseUrl, clock) {
      expect((await send(baseUrl, MISSING)).status).toBe(404);
      await expectOutcome(await get(await completeRedirect(baseUrl, clock, MISSING)), 200);
    },
  },
  'redirect-303-with-body': {
    shows: 'the 303 carries an OperationOutcome body',
    async run(baseUrl, clock) {
      const res = await finish(await startAsync(baseUrl, { ...READ, prefer: REDIRECT }), clock);
      expect(res.status).toBe(303);
      expect(((await res.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
    },
  },
  'redirect-relative-location': {
    shows: 'the 303 Location is relative',
    async run(baseUrl, clock) {
      const location = await completeRedirect(baseUrl, clock, READ);
      expect(location).toMatch(/^\/_result\/[0-9a-f]{32}$/);
      expect((await get(`${baseUrl}${location}`)).status).toBe(200);
    },
  },
  'redirect-result-single-use': {
    shows: 'the result URL answers 200 once, then 404',
    async run(baseUrl, clock) {
      const resultUrl = await completeRedirect(baseUrl, clock, READ);
      expect((await get(resultUrl)).status).toBe(200);
      await expectOutcome(await get(resultUrl), 404);
    },
  },
  'redirect-defers-invalid-request': {
    shows: 'an unsupported search parameter gets 202; the 400 appears on the result URL',
    async run(baseUrl, clock) {
      const call = { path: '/Patient?no-such-param=1', prefer: REDIRECT };
      await expectOutcome(await send(baseUrl, { path: call.path }), 400);
      await expectOutcome(await get(await completeRedirect(baseUrl, clock, call)), 400);
    },
  },
  'redirect-no-preference-applied': {
    shows: 'Preference-Applied lacks async-mode=redirect, though the job completes with 303',
    async run(baseUrl, clock) {
      const res = await send(baseUrl, { ...READ, prefer: REDIRECT });
      expect(res.status).toBe(202);
      expect(res.headers.get('preference-applied')).toBe('respond-async');
      expect((await finish(res.headers.get('content-location') ?? '', clock)).status).toBe(303);
    },
  },
};
