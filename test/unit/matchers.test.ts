import { describe, it, expect } from 'vitest';
import { applyMatchers, isAbsoluteHttpUrl, isOperationOutcome, jsonType, mediaTypeOf, ndjsonProblem, showValue } from '../../src/assert/matchers.js';
import type { ValueMatchers } from '../../src/model/scenario.js';

const passes = (value: unknown, m: ValueMatchers): boolean => applyMatchers(value, m, false).passed;
const OUTCOME = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'processing' }] };

describe('equals / oneOf', () => {
  it('compares scalars exactly', () => {
    expect(passes('abc', { equals: 'abc' })).toBe(true);
    expect(passes('abd', { equals: 'abc' })).toBe(false);
    expect(passes(null, { equals: null })).toBe(true);
    expect(passes(false, { equals: false })).toBe(true);
    expect(passes('true', { equals: true })).toBe(false);
    expect(passes(5, { equals: 5 })).toBe(true);
  });

  it('lets a header string equal a number (e.g. a count in a header)', () => {
    expect(passes('200', { equals: 200 })).toBe(true);
    expect(passes(' 200 ', { equals: 200 })).toBe(true);
    expect(passes('2000', { equals: 200 })).toBe(false);
  });

  it('oneOf passes when any alternative matches, and says which were allowed', () => {
    expect(passes('b', { oneOf: ['a', 'b'] })).toBe(true);
    expect(passes('c', { oneOf: ['a', 'b'] })).toBe(false);
    expect(passes('202', { oneOf: [200, 202] })).toBe(true);
    expect(applyMatchers('c', { oneOf: ['a', 1, null] }, false).expected).toBe('one of "a", 1, null');
  });
});

describe('matches', () => {
  it('tests the regex (unanchored unless written so) against strings only', () => {
    expect(passes('abcdef', { matches: '^abc' })).toBe(true);
    expect(passes('xabc', { matches: '^abc' })).toBe(false);
    expect(passes('xabcx', { matches: 'abc' })).toBe(true);
    expect(passes(123, { matches: '1' })).toBe(false);
    expect(applyMatchers('x', { matches: '^a+$' }, false)).toEqual({ passed: false, expected: 'matching /^a+$/', actual: '"x"' });
  });
});

describe('exists', () => {
  it('checks presence and absence', () => {
    expect(applyMatchers('x', { exists: true }, false)).toEqual({ passed: true, expected: 'present', actual: '"x"' });
    expect(applyMatchers(undefined, { exists: true }, false)).toEqual({ passed: false, expected: 'present', actual: '(absent)' });
    expect(applyMatchers(undefined, { exists: false }, false)).toEqual({ passed: true, expected: 'absent', actual: '(absent)' });
    expect(applyMatchers('x', { exists: false }, false).passed).toBe(false);
    expect(passes(null, { exists: true })).toBe(true);
  });

  it('exists: true is not satisfied by optional', () => {
    expect(applyMatchers(undefined, { exists: true }, true).passed).toBe(false);
  });

  it('combined with another matcher, a present value must also satisfy it', () => {
    expect(passes('x', { exists: true, type: 'string' })).toBe(true);
    expect(passes(1, { exists: true, type: 'string' })).toBe(false);
  });
});

describe('absoluteUrl', () => {
  it.each(['http://example.org', 'https://example.org/fhir/$export?x=1', 'HTTPS://EXAMPLE.ORG/a', 'http://127.0.0.1:8080/s'])('accepts %s', (url) => {
    expect(passes(url, { absoluteUrl: true })).toBe(true);
    expect(isAbsoluteHttpUrl(url)).toBe(true);
  });

  it.each(['/status/1', 'status/1', '//example.org/a', 'mailto:a@example.org', 'ftp://example.org/f', 'urn:uuid:1234', 'http://', '', 'https:'])('rejects %j', (url) => {
    expect(passes(url, { absoluteUrl: true })).toBe(false);
    expect(isAbsoluteHttpUrl(url)).toBe(false);
  });

  it('rejects non-strings', () => {
    expect(passes(42, { absoluteUrl: true })).toBe(false);
  });

  it("rejects 'http:/x' and 'http:x', which the URL parser would repair", () => {
    expect(passes('http:/x', { absoluteUrl: true })).toBe(false);
    expect(passes('http:x', { absoluteUrl: true })).toBe(false);
  });
});

describe('mediaType', () => {
  it('ignores parameters and compares case-insensitively on both sides', () => {
    expect(passes('application/fhir+ndjson; charset=utf-8', { mediaType: 'application/fhir+ndjson' })).toBe(true);
    expect(passes('Application/FHIR+NDJSON', { mediaType: 'application/fhir+ndjson' })).toBe(true);
    expect(passes('application/json', { mediaType: 'Application/JSON' })).toBe(true);
    expect(passes(' application/json ;charset=UTF-8', { mediaType: 'application/json' })).toBe(true);
  });

  it('needs the whole type/subtype to match', () => {
    expect(passes('application/fhir+json', { mediaType: 'application/json' })).toBe(false);
    expect(passes('application/jsonx', { mediaType: 'application/json' })).toBe(false);
    expect(passes('text/plain; x=application/json', { mediaType: 'application/json' })).toBe(false);
    expect(passes(undefined, { mediaType: 'application/json' })).toBe(false);
  });

  it('accepts any of a list, and says so', () => {
    const m: ValueMatchers = { mediaType: ['application/json', 'application/fhir+json'] };
    expect(passes('application/fhir+json; fhirVersion=4.0', m)).toBe(true);
    expect(passes('text/html', m)).toBe(false);
    expect(applyMatchers('text/html', m, false).expected).toBe('media type application/json or application/fhir+json (parameters such as charset allowed)');
  });

  it('mediaTypeOf strips parameters and lower-cases', () => {
    expect(mediaTypeOf('Application/Fhir+Json; charset=utf-8')).toBe('application/fhir+json');
    expect(mediaTypeOf('')).toBe('');
  });
});

describe('type / jsonType', () => {
  it.each([
    [1, 'integer'], [1.5, 'number'], ['1', 'string'], [true, 'boolean'], [null, 'null'], [[], 'array'], [{}, 'object'],
  ] as const)('jsonType(%j) is %s', (v, t) => {
    expect(jsonType(v)).toBe(t);
  });

  it('an integer is also a number, but not the reverse', () => {
    expect(passes(3, { type: 'number' })).toBe(true);
    expect(passes(3.5, { type: 'integer' })).toBe(false);
    expect(passes([], { type: 'object' })).toBe(false);
    expect(passes(null, { type: 'object' })).toBe(false);
    expect(passes('true', { type: 'boolean' })).toBe(false);
  });
});

describe('maxLengthBelow', () => {
  it('is a strict upper bound on string length', () => {
    expect(passes('abc', { maxLengthBelow: 4 })).toBe(true);
    expect(passes('abcd', { maxLengthBelow: 4 })).toBe(false);
    expect(passes('x'.repeat(99), { maxLengthBelow: 100 })).toBe(true);
    expect(passes('x'.repeat(100), { maxLengthBelow: 100 })).toBe(false);
  });
});

describe('httpDate / retryAfter / fhirInstant', () => {
  it('httpDate accepts an HTTP-date and rejects other text', () => {
    expect(passes('Sun, 06 Nov 1994 08:49:37 GMT', { httpDate: true })).toBe(true);
    expect(passes('Sunday, 06-Nov-94 08:49:37 GMT', { httpDate: true })).toBe(true);
    expect(passes('2024-01-01T00:00:00Z', { httpDate: true })).toBe(false);
    expect(passes('Wed, 31 Feb 2024 00:00:00 GMT', { httpDate: true })).toBe(false);
    expect(passes(0, { httpDate: true })).toBe(false);
  });

  it('retryAfter accepts delay-seconds or an HTTP-date', () => {
    expect(passes('120', { retryAfter: true })).toBe(true);
    expect(passes('Sun, 06 Nov 1994 08:49:37 GMT', { retryAfter: true })).toBe(true);
    expect(passes('-1', { retryAfter: true })).toBe(false);
    expect(passes('1.5', { retryAfter: true })).toBe(false);
    expect(passes('soon', { retryAfter: true })).toBe(false);
  });

  it.each(['2024-01-01T00:00:00Z', '2024-02-29T23:59:60.123+14:00', '1999-12-31T10:00:00.5-05:30'])('fhirInstant accepts %s', (v) => {
    expect(passes(v, { fhirInstant: true })).toBe(true);
  });

  it.each(['2024-01-01', '2024-01-01T00:00Z', '2024-01-01T00:00:00', '2024-13-01T00:00:00Z', '2024-01-01T24:00:00Z', '0000-01-01T00:00:00Z', '2024-01-01T00:00:00+15:00'])(
    'fhirInstant rejects %s',
    (v) => {
      expect(passes(v, { fhirInstant: true })).toBe(false);
    },
  );
});

describe('operationOutcome / minItems', () => {
  it('needs resourceType OperationOutcome and at least one issue', () => {
    expect(passes(OUTCOME, { operationOutcome: true })).toBe(true);
    expect(isOperationOutcome({ resourceType: 'OperationOutcome', issue: [] })).toBe(false);
    expect(isOperationOutcome({ resourceType: 'OperationOutcome' })).toBe(false);
    expect(isOperationOutcome({ resourceType: 'Patient', issue: [{}] })).toBe(false);
    expect(isOperationOutcome(JSON.stringify(OUTCOME))).toBe(false);
    expect(isOperationOutcome(null)).toBe(false);
  });

  it('minItems counts array items', () => {
    expect(passes([], { minItems: 0 })).toBe(true);
    expect(passes([1, 2], { minItems: 2 })).toBe(true);
    expect(passes([1, 2], { minItems: 3 })).toBe(false);
    expect(passes({ length: 5 }, { minItems: 1 })).toBe(false);
    expect(passes('abc', { minItems: 1 })).toBe(false);
  });
});

describe('ndjson', () => {
  it('accepts one resource per line, with or without a final newline, LF or CRLF', () => {
    expect(passes('{"resourceType":"Patient"}\n{"resourceType":"Patient","id":"2"}\n', { ndjson: true })).toBe(true);
    expect(passes('{"resourceType":"Patient"}', { ndjson: true })).toBe(true);
    expect(passes('{"resourceType":"Patient"}\r\n{"resourceType":"Observation"}\r\n', { ndjson: true })).toBe(true);
    expect(ndjsonProblem('')).toBeUndefined();
  });

  it('names the first bad line as the actual value', () => {
    const text = '{"resourceType":"Patient"}\n\n{"resourceType":"Patient"}\n';
    expect(applyMatchers(text, { ndjson: true }, false)).toMatchObject({ passed: false, actual: 'line 2 is not JSON: ""' });
    expect(ndjsonProblem('{"resourceType":"Patient"}\n[1,2]\n')).toBe('line 2 is not a resource (no resourceType)');
    expect(ndjsonProblem('{"id":"1"}')).toBe('line 1 is not a resource (no resourceType)');
    expect(ndjsonProblem('{"resourceType":7}')).toBe('line 1 is not a resource (no resourceType)');
    expect(ndjsonProblem('[{"resourceType":"Patient"}]')).toBe('line 1 is not a resource (no resourceType)');
    expect(ndjsonProblem('not json')).toBe('line 1 is not JSON: "not json"');
  });
});

describe('applyMatchers: combining and optional', () => {
  it('joins several matchers with "and"; all must hold', () => {
    const m: ValueMatchers = { type: 'string', matches: '^h' };
    expect(applyMatchers('hi', m, false)).toEqual({ passed: true, expected: 'matching /^h/ and a JSON string', actual: '"hi"' });
    expect(applyMatchers('yo', m, false).passed).toBe(false);
  });

  it('an absent optional value passes and says "(when present)"', () => {
    expect(applyMatchers(undefined, { type: 'string' }, true)).toEqual({ passed: true, expected: 'a JSON string (when present)', actual: '(absent)' });
  });

  it('an absent required value fails', () => {
    expect(applyMatchers(undefined, { type: 'string' }, false)).toEqual({ passed: false, expected: 'a JSON string', actual: '(absent)' });
  });

  it('a present optional value must still match', () => {
    expect(applyMatchers(5, { type: 'string' }, true)).toEqual({ passed: false, expected: 'a JSON string (when present)', actual: '5' });
  });
});

describe('showValue', () => {
  it('shows JSON text, "(absent)", and truncates long values with their length', () => {
    expect(showValue(undefined)).toBe('(absent)');
    expect(showValue('a"b')).toBe('"a\\"b"');
    expect(showValue({ a: [1] })).toBe('{"a":[1]}');
    const long = showValue('x'.repeat(400));
    expect(long.startsWith(`"${'x'.repeat(299)}…`)).toBe(true);
    expect(long.endsWith('(402 chars)')).toBe(true);
  });
});

describe('contains / minimum / maximum', () => {
  it('contains: some item of an array equals the scalar (a numeric string equals a number, as in equals)', () => {
    expect(passes(['a', 'b'], { contains: 'b' })).toBe(true);
    expect(passes(['a', 'b'], { contains: 'c' })).toBe(false);
    expect(passes(['1', 2], { contains: 1 })).toBe(true);
    expect(passes('ab', { contains: 'a' })).toBe(false);
    expect(passes([], { contains: 'a' })).toBe(false);
    expect(applyMatchers(['x'], { contains: 'y' }, false)).toEqual({ passed: false, expected: 'an array containing "y"', actual: '["x"]' });
  });

  it('minimum / maximum compare numbers inclusively, and numeric strings (header values)', () => {
    expect(passes(1, { minimum: 1 })).toBe(true);
    expect(passes(0, { minimum: 1 })).toBe(false);
    expect(passes(' 7 ', { minimum: 1, maximum: 7 })).toBe(true);
    expect(passes(8, { maximum: 7 })).toBe(false);
    expect(passes('many', { minimum: 0 })).toBe(false);
    expect(passes(null, { minimum: 0 })).toBe(false);
    expect(applyMatchers(0, { minimum: 1 }, false)).toEqual({ passed: false, expected: 'a number >= 1', actual: '0' });
  });
});

describe('notPast', () => {
  const NOW = Date.parse('2025-03-01T12:00:00Z');
  const at = (iso: string): string => new Date(Date.parse(iso)).toUTCString();
  const judge = (value: unknown, dateHeader?: string) =>
    applyMatchers(value, { notPast: '5m' }, false, { now: NOW, ...(dateHeader ? { dateHeader } : {}) });

  it('a future HTTP-date passes; one further in the past than the allowance fails', () => {
    expect(judge(at('2025-03-01T13:00:00Z')).passed).toBe(true);
    expect(judge(at('2025-03-01T11:00:00Z')).passed).toBe(false);
  });

  it('never fails on seconds (or minutes within the allowance) of clock skew', () => {
    expect(judge(at('2025-03-01T11:59:57Z')).passed).toBe(true);
    expect(judge(at('2025-03-01T11:55:00Z')).passed).toBe(true);
    expect(judge(at('2025-03-01T11:54:59Z')).passed).toBe(false);
  });

  it("judges against the response's own Date header when it has one (the server's clock, so skew does not matter)", () => {
    // The server's clock runs an hour behind the harness: its Expires an hour after its own Date is fine.
    expect(judge(at('2025-03-01T11:30:00Z'), at('2025-03-01T10:30:00Z')).passed).toBe(true);
    // An Expires an hour before the server's own Date is in the past whatever the harness clock says.
    expect(judge(at('2025-03-01T12:30:00Z'), at('2025-03-01T13:30:00Z')).passed).toBe(false);
    // A Date header that is no HTTP-date is ignored: the arrival time is used.
    expect(judge(at('2025-03-01T13:00:00Z'), 'yesterday').passed).toBe(true);
  });

  it('says how far in the past, against what', () => {
    const r = judge(at('2025-03-01T11:00:00Z'), at('2025-03-01T12:00:00Z'));
    expect(r.expected).toBe("an HTTP-date not in the past (judged against the response's Date header, else the time it arrived; 5m0s of clock skew allowed)");
    expect(r.actual).toBe(`"${at('2025-03-01T11:00:00Z')}", 60m0s before the response's Date header (${at('2025-03-01T12:00:00Z')})`);
    expect(judge('soon').actual).toBe('"soon" (not an HTTP-date)');
  });
});
