import { describe, it, expect } from 'vitest';
import type { HttpResponse } from '../../src/http/client.js';
import type { Catalogue } from '../../src/model/scenario.js';
import { trackRetryAfterKept } from '../../src/runner/retry-after-kept.js';

const CATALOGUE: Catalogue = {
  file: 'suites/requirements.yaml',
  requirements: new Map([['RETRY-03', { id: 'RETRY-03', level: 'SHOULD', summary: 'A client that polls too often gets 429 with Retry-After.', source: 'test' }]]),
};
const ctx = { catalogue: CATALOGUE, claims: { tags: new Set<never>(), capabilities: new Set<never>(), missing: new Map(), basis: [] }, strict: false };
const res429 = (retryAfter?: string): HttpResponse => ({ status: 429, headers: retryAfter ? { 'retry-after': retryAfter } : {}, body: Buffer.from('') });
const tracker = () => trackRetryAfterKept('RETRY-03', ctx, { sent: () => 'GET http://h/status', exchange: () => 4 });

describe('retryAfterKept', () => {
  it('a 429 after a kept wait is a miss (warning for the SHOULD), with requirement, sent, expected and actual', () => {
    const t = tracker();
    t.onThrottled(res429('2'), 3, { askedMs: 1000, waitedMs: 1003, retryAfter: '1' });
    const [r, ...rest] = t.results();
    expect(rest).toEqual([]);
    expect(r).toMatchObject({ requirement: 'RETRY-03', passed: false, severity: 'warning', subject: 'poll #3', exchange: 4 });
    expect(r?.message).toBe([
      'RETRY-03 (SHOULD): A client that polls too often gets 429 with Retry-After.',
      '  sent:     GET http://h/status',
      "  expected: poll #3 not answered 429 (it waited as long as the previous answer's Retry-After asked)",
      '  actual:   429 after waiting 1.0s; the previous answer said Retry-After: 1 (1.0s), this one says Retry-After: 2',
    ].join('\n'));
  });

  it('429s to polls that did not keep a wait pass, and say how many there were', () => {
    const t = tracker();
    t.onThrottled(res429('1'), 1, undefined);
    expect(t.results()).toMatchObject([{ passed: true, actual: '1 429 answer(s), none to a poll that had kept the wait' }]);
    expect(tracker().results()).toMatchObject([{ passed: true, actual: 'no 429 answer' }]);
  });
});
