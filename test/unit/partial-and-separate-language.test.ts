/**
 * Language pieces added for separate-export-status and partial manifests: onlyIf matches /
 * notMatches, sameJsonAs, follow's next link, poll.while.header and poll.capture, scenario appliesTo.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalJson, isSameJson } from '../../src/assert/same-json.js';
import { applyMatchers } from '../../src/assert/matchers.js';
import type { HttpResponse } from '../../src/http/client.js';
import { findNextLink } from '../../src/runner/follow-links.js';
import { onlyIfSkipReason } from '../../src/runner/only-if.js';
import { VALID, diagnosticsOf, removeSuites, writeSuite } from './scenario-fixtures.js';

afterEach(removeSuites);

function jsonResponse(body: unknown): HttpResponse {
  return { status: 200, headers: { 'content-type': 'application/json' }, rawHeaders: [], body: Buffer.from(JSON.stringify(body)) } as unknown as HttpResponse;
}

describe('sameJsonAs', () => {
  it('ignores key order, array order and the named keys at any depth', () => {
    const captured = JSON.stringify([{ type: 'Patient', url: 'http://a/1', count: 3 }, { type: 'Observation', url: 'http://a/2', count: 9 }]);
    const later = [{ count: 9, url: 'http://b/2', type: 'Observation' }, { url: 'http://b/1', type: 'Patient', count: 3 }];
    expect(isSameJson(later, captured, ['url'])).toBe(true);
    expect(isSameJson(later, captured)).toBe(false);
    expect(isSameJson([...later, { type: 'Encounter', url: 'http://b/3', count: 1 }], captured, ['url'])).toBe(false);
    expect(isSameJson([{ type: 'Patient', url: 'x', count: 4 }, later[0]], captured, ['url'])).toBe(false);
  });

  it('compares a manifest page with the first page apart from output, deleted, link and outcome', () => {
    const first = { transactionTime: '2025-01-01T00:00:00Z', requiresAccessToken: false, output: [{ url: 'a' }], link: [{ relation: 'next', url: 'p2' }], outcome: [] };
    const page = { transactionTime: '2025-01-01T00:00:00Z', requiresAccessToken: false, output: [{ url: 'b' }], deleted: [] };
    const ignore = ['output', 'deleted', 'link', 'outcome'];
    expect(isSameJson(page, JSON.stringify(first), ignore)).toBe(true);
    const { transactionTime: _t, ...withoutTime } = page;
    expect(isSameJson(withoutTime, JSON.stringify(first), ignore)).toBe(false);
  });

  it('treats a captured plain string as itself, and canonicalises deterministically', () => {
    expect(isSameJson('abc', 'abc')).toBe(true);
    expect(canonicalJson({ b: 1, a: [2, 1] })).toBe(canonicalJson({ a: [1, 2], b: 1 }));
  });

  it('is a matcher whose message names the variable and the ignored keys', () => {
    const outcome = applyMatchers([1], { sameJsonAs: { variable: 'partialOutput', ignoreKeys: ['url'], reference: '[2]' } }, false);
    expect(outcome.passed).toBe(false);
    expect(outcome.expected).toContain('captured as partialOutput apart from url');
  });
});

describe('onlyIf matches / notMatches', () => {
  const step = (onlyIf: { variable: string; matches?: string; notMatches?: string }) => ({ onlyIf });
  it('runs a matches step only when the capture matches; an uncaptured variable is the empty string', () => {
    const vars = new Map([['applied', 'respond-async, separate-export-status']]);
    expect(onlyIfSkipReason(step({ variable: 'applied', matches: 'separate-export-status' }), vars)).toBeUndefined();
    expect(onlyIfSkipReason(step({ variable: 'applied', notMatches: 'separate-export-status' }), vars)).toMatch(/does not match/);
    expect(onlyIfSkipReason(step({ variable: 'other', matches: 'x' }), vars)).toMatch(/it was not captured/);
    expect(onlyIfSkipReason(step({ variable: 'other', notMatches: 'x' }), vars)).toBeUndefined();
  });
});

describe('follow: the next link', () => {
  it('finds an absolute URL at the pointer, and refuses relative URLs and loops', () => {
    const res = jsonResponse({ link: [{ relation: 'next', url: 'http://127.0.0.1:1/_manifest/k/1' }] });
    expect(findNextLink(res, '/link/0/url', new Set())).toEqual({ kind: 'next', url: 'http://127.0.0.1:1/_manifest/k/1' });
    expect(findNextLink(res, '/link/0/url', new Set(['http://127.0.0.1:1/_manifest/k/1'])).kind).toBe('unusable');
    expect(findNextLink(jsonResponse({ link: [{ url: '/relative' }] }), '/link/0/url', new Set()).kind).toBe('unusable');
    expect(findNextLink(jsonResponse({ output: [] }), '/link/0/url', new Set())).toEqual({ kind: 'none' });
  });
});

describe('scenario files using them', () => {
  const POLL_STEP = `  - id: poll
    request: { method: GET, url: "\${statusUrl}" }
    onlyIf: { variable: statusUrl, matches: '^http' }
    poll:
      while: { status: [202], header: { name: x-export-status, matches: '^202' } }
      capture: { partial: { json: /output } }
    expect:
      - { requirement: STATUS-02, json: /output, sameJsonAs: { variable: partial, ignoreKeys: [url] } }
    capture: { first: { body: true } }
    follow:
      next: /link/0/url
      max: 5
      expect:
        - { requirement: STATUS-02, json: "", sameJsonAs: { variable: first, ignoreKeys: [output] } }
`;
  const withPoll = (poll: string, extra = ''): string => VALID.replace(/  - id: poll[\s\S]*$/, poll).replace('steps:', `${extra}steps:`);

  it('load without diagnostics', () => {
    expect(diagnosticsOf(writeSuite({ 'demo/ok.yaml': withPoll(POLL_STEP, 'appliesTo: [bulk-v3, bulk-v4]\n') }))).toEqual([]);
  });

  it('report an onlyIf with two conditions, a bad regular expression and an undefined sameJsonAs variable', () => {
    const text = withPoll(
      POLL_STEP.replace("matches: '^http' }", "matches: '(', equals: x }").replace('variable: partial,', 'variable: nowhere,'),
    );
    const messages = diagnosticsOf(writeSuite({ 'demo/ok.yaml': text })).map((d) => d.message);
    expect(messages).toContain('onlyIf takes exactly one of equals, matches, notMatches');
    expect(messages.some((m) => m.startsWith('invalid regular expression'))).toBe(true);
    expect(messages).toContain("sameJsonAs names undefined variable 'nowhere' (capture it earlier)");
  });
});
