/** Demonstrations of the RFC 7240 negotiation faults, run by faults.test.ts (see interaction-fault-cases.ts). */
import { expect } from 'vitest';
import { expectOutcome } from './helpers.js';
import { NEW_PATIENT, rawRequest, send, type FaultDemo } from './interaction-helpers.js';

const READ = { path: '/Patient/p1' };

export const PREFER_FAULT_CASES: Record<string, FaultDemo> = {
  'prefer-unknown-token-rejected': {
    shows: 'Prefer: respond-async, x-foo=bar gets 400',
    async run(baseUrl) {
      await expectOutcome(await send(baseUrl, { ...READ, prefer: 'respond-async, x-foo=bar' }), 400);
    },
  },
  'prefer-names-case-sensitive': {
    shows: 'Prefer: RESPOND-ASYNC is answered synchronously',
    async run(baseUrl) {
      const res = await send(baseUrl, { ...READ, prefer: 'RESPOND-ASYNC' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-location')).toBeNull();
    },
  },
  'prefer-second-line-ignored': {
    shows: 'respond-async on a second Prefer line is ignored',
    async run(baseUrl) {
      const res = await rawRequest(`${baseUrl}/Patient/p1`, 'GET', { Prefer: ['handling=lenient', 'respond-async'] });
      expect(res.status).toBe(200);
      expect(res.headers['content-location']).toBeUndefined();
    },
  },
  'prefer-last-repeat-wins': {
    shows: 'return=minimal, return=representation returns the body',
    async run(baseUrl) {
      const res = await send(baseUrl, { path: '/Patient', body: NEW_PATIENT, prefer: 'return=minimal, return=representation' });
      expect(res.status).toBe(201);
      expect(res.headers.get('preference-applied')).toBe('return=representation');
      expect(((await res.json()) as { resourceType: string }).resourceType).toBe('Patient');
    },
  },
  'prefer-empty-value-unrecognised': {
    shows: 'Prefer: respond-async="" is answered synchronously',
    async run(baseUrl) {
      expect((await send(baseUrl, { ...READ, prefer: 'respond-async=""' })).status).toBe(200);
    },
  },
  'preference-applied-with-parameters': {
    shows: 'Preference-Applied: respond-async; foo=1',
    async run(baseUrl) {
      const res = await send(baseUrl, { ...READ, prefer: 'respond-async; foo=1' });
      expect(res.status).toBe(202);
      expect(res.headers.get('preference-applied')).toBe('respond-async; foo=1');
    },
  },
  'interaction-no-vary-prefer': {
    shows: 'no Vary header on a read or a kick-off',
    async run(baseUrl) {
      expect((await send(baseUrl, READ)).headers.get('vary')).toBeNull();
      const kickoff = await send(baseUrl, { ...READ, prefer: 'respond-async' });
      expect(kickoff.status).toBe(202);
      expect(kickoff.headers.get('vary')).toBeNull();
    },
  },
  'prefer-parameters-rejected': {
    shows: 'Prefer: respond-async; foo gets 400',
    async run(baseUrl) {
      await expectOutcome(await send(baseUrl, { ...READ, prefer: 'respond-async; foo' }), 400);
    },
  },
};
