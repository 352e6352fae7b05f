import { describe, it, expect } from 'vitest';
import { conditionHolds, describeStatus, evaluateCheck, parseBody, statusMatches, type CheckContext } from '../../src/assert/evaluate-check.js';
import type { HttpResponse } from '../../src/http/client.js';
import type { Catalogue, Check, Requirement } from '../../src/model/scenario.js';

const req = (id: string, level: Requirement['level'], summary: string): [string, Requirement] => [id, { id, level, summary, source: 'test' }];
const CATALOGUE: Catalogue = {
  file: 'suites/requirements.yaml',
  requirements: new Map([
    req('KICKOFF-02', 'SHALL', 'A successful kick-off is 202 Accepted.'),
    req('RETRY-01', 'SHOULD', 'In-progress responses should carry Retry-After.'),
    req('PROGRESS-01', 'MAY', 'X-Progress under 100 characters.'),
    req('MAN-04', 'SHALL', 'Each output item carries an absolute url.'),
  ]),
};
const SENT = 'GET http://h/fhir/$export (Prefer: respond-async)';
const NO_CLAIMS: CheckContext['claims'] = { tags: new Set(), capabilities: new Set(), missing: new Map(), basis: [] };
const ctx: CheckContext = { catalogue: CATALOGUE, claims: NO_CLAIMS, strict: false, sent: SENT, exchange: 3 };

const response = (status: number, headers: Record<string, string> = {}, body = ''): HttpResponse => ({ status, headers, body: Buffer.from(body) });
const json = (value: unknown, status = 200): HttpResponse => response(status, { 'content-type': 'application/json' }, JSON.stringify(value));
const run = (check: Check, res: HttpResponse, c: CheckContext = ctx) => evaluateCheck(check, res, () => parseBody(res), c);

describe('evaluateCheck: status', () => {
  it('a failing check message holds requirement id, level, summary, what was sent, expected and actual', () => {
    const r = run({ requirement: 'KICKOFF-02', status: 202 }, response(200));
    expect(r).toMatchObject({ requirement: 'KICKOFF-02', level: 'SHALL', severity: 'failure', passed: false, subject: 'status', expected: '202', actual: '200', exchange: 3 });
    expect(r.message).toBe(
      [
        'KICKOFF-02 (SHALL): A successful kick-off is 202 Accepted.',
        `  sent:     ${SENT}`,
        '  expected: status 202',
        '  actual:   200',
      ].join('\n'),
    );
  });

  it('a passing check gets a one-line message', () => {
    const r = run({ requirement: 'KICKOFF-02', status: [200, 202] }, response(202));
    expect(r.passed).toBe(true);
    expect(r.message).toBe('KICKOFF-02: status is one of 200, 202');
  });

  it('appends "because" to the expectation', () => {
    const r = run({ requirement: 'KICKOFF-02', status: 202, because: 'the job is still running' }, response(200));
    expect(r.message).toContain('  expected: status 202 (the job is still running)');
  });

  it('describes and tests each status matcher form', () => {
    expect(describeStatus(202)).toBe('202');
    expect(describeStatus([202])).toBe('202');
    expect(describeStatus([200, 202])).toBe('one of 200, 202');
    expect(describeStatus({ between: [400, 599] })).toBe('between 400 and 599');
    expect(statusMatches(400, { between: [400, 599] })).toBe(true);
    expect(statusMatches(599, { between: [400, 599] })).toBe(true);
    expect(statusMatches(399, { between: [400, 599] })).toBe(false);
    expect(statusMatches(600, { between: [400, 599] })).toBe(false);
    expect(statusMatches(201, [200, 202])).toBe(false);
  });
});

describe('evaluateCheck: levels and severity', () => {
  it('a SHOULD miss is a warning, and a failure under strict', () => {
    const check: Check = { requirement: 'RETRY-01', header: 'retry-after', retryAfter: true };
    expect(run(check, response(202))).toMatchObject({ level: 'SHOULD', severity: 'warning', passed: false });
    expect(run(check, response(202), { ...ctx, strict: true })).toMatchObject({ severity: 'failure' });
    expect(run(check, response(202)).message.split('\n')[0]).toBe('RETRY-01 (SHOULD): In-progress responses should carry Retry-After.');
  });

  it('a MAY miss is information', () => {
    const r = run({ requirement: 'PROGRESS-01', header: 'x-progress', maxLengthBelow: 100 }, response(202, { 'x-progress': 'x'.repeat(100) }));
    expect(r).toMatchObject({ level: 'MAY', severity: 'information', passed: false });
  });

  it('a level given for a claimed spec tag overrides the catalogue level', () => {
    const catalogue: Catalogue = { file: 'c', requirements: new Map([['MAN-02', { id: 'MAN-02', level: 'SHALL', levels: { 'bulk-v4': 'MAY' }, summary: 'request URL', source: 't' }]]) };
    const check: Check = { requirement: 'MAN-02', json: '/request', type: 'string' };
    const v4: CheckContext = { ...ctx, catalogue, claims: { ...NO_CLAIMS, tags: new Set(['bulk-v4']) } };
    expect(run(check, json({}), v4)).toMatchObject({ level: 'MAY', severity: 'information', passed: false });
    expect(run(check, json({}), { ...ctx, catalogue })).toMatchObject({ level: 'SHALL', severity: 'failure' });
  });

  it('an id missing from the catalogue is judged as SHALL with no summary', () => {
    const r = run({ requirement: 'NOPE-01', status: 200 }, response(500));
    expect(r).toMatchObject({ level: 'SHALL', severity: 'failure' });
    expect(r.message.split('\n')[0]).toBe('NOPE-01 (SHALL):');
  });
});

describe('evaluateCheck: headers', () => {
  it('looks the header up case-insensitively and shows the actual value', () => {
    const r = run({ requirement: 'KICKOFF-02', header: 'Content-Location', absoluteUrl: true }, response(202, { 'content-location': '/status/1' }));
    expect(r).toMatchObject({ passed: false, subject: 'header Content-Location', expected: 'an absolute http(s) URL', actual: '"/status/1"' });
    expect(r.message).toContain('  expected: header Content-Location an absolute http(s) URL');
  });

  it('an absent header fails with "(absent)", unless optional', () => {
    expect(run({ requirement: 'RETRY-01', header: 'retry-after', retryAfter: true }, response(202))).toMatchObject({ passed: false, actual: '(absent)' });
    expect(run({ requirement: 'RETRY-01', header: 'retry-after', retryAfter: true, optional: true }, response(202))).toMatchObject({
      passed: true,
      expected: 'delay-seconds (e.g. 120) or an HTTP-date (when present)',
    });
  });
});

describe('evaluateCheck: JSON', () => {
  it('checks one pointer', () => {
    const r = run({ requirement: 'MAN-04', json: '/output', type: 'array' }, json({ output: {} }));
    expect(r).toMatchObject({ passed: false, subject: 'JSON /output', expected: 'a JSON array', actual: '{}' });
  });

  it('names the whole body when the pointer is empty', () => {
    const r = run({ requirement: 'KICKOFF-02', json: '', operationOutcome: true }, json({ resourceType: 'Patient' }, 400));
    expect(r).toMatchObject({ passed: false, subject: 'JSON (whole body)', actual: '{"resourceType":"Patient"}' });
  });

  it('aggregates a wildcard: expected says "each", actual lists every failing pointer', () => {
    const body = { output: [{ url: 'http://h/1' }, { url: 'files/2' }, { url: 'http://h/3' }, { url: 'mailto:x@y' }] };
    const r = run({ requirement: 'MAN-04', json: '/output/*/url', absoluteUrl: true }, json(body));
    expect(r.passed).toBe(false);
    expect(r.expected).toBe('each an absolute http(s) URL');
    expect(r.actual).toBe('/output/1/url = "files/2"; /output/3/url = "mailto:x@y"');
    expect(r.message).toContain('  actual:   /output/1/url = "files/2"; /output/3/url = "mailto:x@y"');
  });

  it('a passing wildcard says how many matched', () => {
    const r = run({ requirement: 'MAN-04', json: '/output/*/url', absoluteUrl: true }, json({ output: [{ url: 'http://h/1' }, { url: 'https://h/2' }] }));
    expect(r).toMatchObject({ passed: true, actual: 'all 2 match' });
  });

  it('lists at most five failing pointers, then how many more', () => {
    const body = { output: Array.from({ length: 8 }, (_, i) => ({ url: `rel/${i}` })) };
    const r = run({ requirement: 'MAN-04', json: '/output/*/url', absoluteUrl: true }, json(body));
    expect(r.actual.split('; ')).toHaveLength(6);
    expect(r.actual).toMatch(/^\/output\/0\/url = "rel\/0";.*\/output\/4\/url = "rel\/4"; and 3 more$/);
  });

  it('a wildcard over an empty array holds (no element breaks it); over a missing array it fails unless optional', () => {
    expect(run({ requirement: 'MAN-04', json: '/output/*/url', absoluteUrl: true }, json({ output: [] }))).toMatchObject({ passed: true, actual: 'no elements' });
    expect(run({ requirement: 'MAN-04', json: '/output/*/url', absoluteUrl: true }, json({}))).toMatchObject({ passed: false, actual: '(absent)' });
    expect(run({ requirement: 'MAN-04', json: '/output/*/url', absoluteUrl: true, optional: true }, json({})).passed).toBe(true);
    expect(run({ requirement: 'MAN-04', json: '/output/*/count', type: 'integer', optional: true }, json({ output: [{}] })).passed).toBe(true);
  });

  it('a non-optional wildcard check fails for an element that lacks the member', () => {
    const r = run({ requirement: 'MAN-04', json: '/output/*/type', type: 'string' }, json({ output: [{ type: 'Patient', url: 'http://h/1' }, { url: 'http://h/2' }] }));
    expect(r.passed).toBe(false);
    expect(r.actual).toBe('/output/1/type = (absent)');
  });

  it('a non-JSON body gives a clear actual', () => {
    const r = run({ requirement: 'MAN-04', json: '/output', type: 'array' }, response(200, { 'content-type': 'text/html' }, '<html>oops</html>'));
    expect(r.passed).toBe(false);
    expect(r.actual).toMatch(/^the body is not JSON \(.+\)$/);
    expect(r.message).toContain('  actual:   the body is not JSON (');
  });

  it('an empty body says so', () => {
    expect(run({ requirement: 'MAN-04', json: '/output', type: 'array' }, response(200))).toMatchObject({ passed: false, actual: 'the body is empty' });
    expect(parseBody(response(200, {}, '  \n'))).toEqual({ ok: false, empty: true, reason: 'the body is empty' });
  });

  it('an optional JSON check passes on an empty body', () => {
    expect(run({ requirement: 'KICKOFF-02', json: '', operationOutcome: true, optional: true }, response(202)).passed).toBe(true);
  });

  it('an optional JSON check fails on a non-empty body that is not JSON (a 202 with <html>)', () => {
    const r = run({ requirement: 'KICKOFF-02', json: '', operationOutcome: true, optional: true }, response(202, { 'content-type': 'text/html' }, '<html>hi</html>'));
    expect(r.passed).toBe(false);
    expect(r.actual).toMatch(/^the body is not JSON/);
  });

  it('parses the body only once across checks sharing the parser', () => {
    let calls = 0;
    const res = json({ a: 1 });
    const cached = parseBody(res);
    const body = () => {
      calls++;
      return cached;
    };
    evaluateCheck({ requirement: 'MAN-04', json: '/a', equals: 1 }, res, body, ctx);
    evaluateCheck({ requirement: 'KICKOFF-02', status: 200 }, res, body, ctx);
    expect(calls).toBe(1);
  });
});

describe('evaluateCheck: body', () => {
  it('checks raw body text, e.g. NDJSON, naming the bad line', () => {
    const good = response(200, {}, '{"resourceType":"Patient"}\n');
    const bad = response(200, {}, '{"resourceType":"Patient"}\n{oops}\n');
    expect(run({ requirement: 'MAN-04', body: true, ndjson: true }, good)).toMatchObject({ passed: true, subject: 'body' });
    expect(run({ requirement: 'MAN-04', body: true, ndjson: true }, bad)).toMatchObject({ passed: false, actual: 'line 2 is not JSON: "{oops}"' });
  });

  it('an empty body is absent', () => {
    expect(run({ requirement: 'MAN-04', body: true, ndjson: true }, response(200))).toMatchObject({ passed: false, actual: '(absent)' });
  });

  it('parses the body as JSON for operationOutcome', () => {
    const oo = JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error' }] });
    expect(run({ requirement: 'KICKOFF-02', body: true, operationOutcome: true }, response(400, {}, oo)).passed).toBe(true);
    expect(run({ requirement: 'KICKOFF-02', body: true, operationOutcome: true }, response(400, {}, 'Bad Request')).passed).toBe(false);
  });
});

describe('evaluateCheck: a check-level level and when conditions', () => {
  it('a check may judge a SHOULD part of a SHALL requirement as SHOULD (warning), never raise a level', () => {
    const weaker = run({ requirement: 'MAN-04', json: '/output/*/count', minimum: 1, level: 'SHOULD NOT' }, json({ output: [{ count: 0 }] }));
    expect(weaker).toMatchObject({ passed: false, level: 'SHOULD NOT', severity: 'warning' });
    const notRaised = run({ requirement: 'PROGRESS-01', header: 'x-progress', exists: true, level: 'SHOULD' }, response(202));
    expect(notRaised).toMatchObject({ level: 'MAY', severity: 'information' });
  });

  it('when holds if the status matches and the subject satisfies its matchers', () => {
    const outcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'processing' }] };
    const when = { status: { between: [400, 599] as [number, number] }, json: '', operationOutcome: true as const };
    const holds = (res: HttpResponse): boolean => conditionHolds(when, res, () => parseBody(res));
    expect(holds(json(outcome, 500))).toBe(true);
    expect(holds(json({ error: 'x' }, 500))).toBe(false);
    expect(holds(json(outcome, 200))).toBe(false);
    expect(holds(response(500, {}, 'not json'))).toBe(false);
    expect(conditionHolds({ header: 'expires', exists: true }, response(200, { expires: 'x' }), () => parseBody(response(200)))).toBe(true);
    expect(conditionHolds({ status: 200 }, response(200), () => parseBody(response(200)))).toBe(true);
  });

  it('notPast judges against the Date header of the response it checks', () => {
    const date = 'Sat, 01 Mar 2025 12:00:00 GMT';
    const r = run({ requirement: 'KICKOFF-02', header: 'expires', notPast: '5m' }, response(200, { date, expires: 'Sat, 01 Mar 2025 11:00:00 GMT' }));
    expect(r.passed).toBe(false);
    expect(r.actual).toContain("60m0s before the response's Date header");
  });
});
