import { describe, it, expect } from 'vitest';
import { buildRequest, describeSent, joinPath } from '../../src/runner/build-request.js';
import { UnknownVariableError, type Variables } from '../../src/runner/variables.js';
import { Redactor } from '../../src/http/redact.js';

const vars: Variables = new Map([
  ['exportPath', '/$export'],
  ['statusUrl', 'http://other/status/9'],
  ['type', 'Patient'],
]);
const BASE = 'http://h/fhir';

describe('joinPath', () => {
  it('keeps the base path and joins with exactly one slash', () => {
    expect(joinPath('http://h/fhir', '/$export')).toBe('http://h/fhir/$export');
    expect(joinPath('http://h/fhir/', '/$export')).toBe('http://h/fhir/$export');
    expect(joinPath('http://h/fhir//', 'metadata')).toBe('http://h/fhir/metadata');
    expect(joinPath('http://h', '/$export')).toBe('http://h/$export');
  });
});

describe('buildRequest: URL', () => {
  it('joins path onto the base URL without dropping the base path', () => {
    expect(buildRequest({ method: 'GET', path: '${exportPath}' }, vars, BASE, {}).url).toBe('http://h/fhir/$export');
    expect(buildRequest({ method: 'GET', path: 'Patient/$export' }, vars, `${BASE}/`, {}).url).toBe('http://h/fhir/Patient/$export');
  });

  it('uses the base URL itself when neither path nor url is given', () => {
    expect(buildRequest({ method: 'GET' }, vars, BASE, {}).url).toBe('http://h/fhir/');
  });

  it('uses an absolute url as is, ignoring the base', () => {
    expect(buildRequest({ method: 'DELETE', url: '${statusUrl}' }, vars, BASE, {})).toMatchObject({ method: 'DELETE', url: 'http://other/status/9' });
  });

  it('appends query parameters, repeating list values, encoded', () => {
    const r = buildRequest({ method: 'GET', path: '/$export', query: { _type: ['${type}', 'Observation'], _outputFormat: 'application/fhir+ndjson' } }, vars, BASE, {});
    const url = new URL(r.url);
    expect(url.searchParams.getAll('_type')).toEqual(['Patient', 'Observation']);
    expect(url.searchParams.get('_outputFormat')).toBe('application/fhir+ndjson');
    expect(r.url).toBe('http://h/fhir/$export?_type=Patient&_type=Observation&_outputFormat=application%2Ffhir%2Bndjson');
  });

  it('keeps query parameters already in the url', () => {
    const r = buildRequest({ method: 'GET', url: 'http://h/s?job=1', query: { x: 'y' } }, vars, BASE, {});
    expect(r.url).toBe('http://h/s?job=1&x=y');
  });

  it('fails clearly when the result is not an absolute URL', () => {
    expect(() => buildRequest({ method: 'GET', url: '/relative' }, vars, BASE, {})).toThrow("'/relative' is not an absolute URL");
  });

  it('throws UnknownVariableError for an undefined variable', () => {
    expect(() => buildRequest({ method: 'GET', url: '${missing}' }, vars, BASE, {})).toThrow(UnknownVariableError);
  });
});

describe('buildRequest: headers and body', () => {
  it('step headers override profile headers case-insensitively, with the step spelling', () => {
    const defaults = { accept: 'application/fhir+json', Authorization: 'Bearer t0k3n', 'X-Keep': '1' };
    const r = buildRequest({ method: 'GET', path: '/', headers: { Accept: 'application/json', prefer: 'respond-async' } }, vars, BASE, defaults);
    expect(r.headers).toEqual({ Authorization: 'Bearer t0k3n', 'X-Keep': '1', Accept: 'application/json', prefer: 'respond-async' });
  });

  it('interpolates header values', () => {
    expect(buildRequest({ method: 'GET', path: '/', headers: { 'X-Type': '${type}' } }, vars, BASE, {}).headers).toEqual({ 'X-Type': 'Patient' });
  });

  it('a list value stays a list (separate header lines), each line interpolated, and overrides a profile header', () => {
    const r = buildRequest({ method: 'GET', path: '/', headers: { Prefer: ['respond-async', 'x=${type}'] } }, vars, BASE, { prefer: 'wait=1' });
    expect(r.headers).toEqual({ Prefer: ['respond-async', 'x=Patient'] });
  });

  it('sends no body and sets no content-type without json or text', () => {
    const r = buildRequest({ method: 'GET', path: '/' }, vars, BASE, {});
    expect(r.body).toBeUndefined();
    expect('body' in r).toBe(false);
    expect(r.headers).toEqual({});
  });

  it('a json body is interpolated, serialised and sets Content-Type application/fhir+json', () => {
    const r = buildRequest({ method: 'POST', path: '/$export', json: { resourceType: 'Parameters', parameter: [{ name: '_type', valueString: '${type}' }] } }, vars, BASE, {});
    expect(r.body).toBe('{"resourceType":"Parameters","parameter":[{"name":"_type","valueString":"Patient"}]}');
    expect(r.headers).toEqual({ 'Content-Type': 'application/fhir+json' });
  });

  it('keeps a content-type given by the step or the profile, whatever its case', () => {
    const step = buildRequest({ method: 'POST', path: '/', json: {}, headers: { 'content-type': 'application/json' } }, vars, BASE, {});
    expect(step.headers).toEqual({ 'content-type': 'application/json' });
    const profile = buildRequest({ method: 'POST', path: '/', json: {} }, vars, BASE, { 'CONTENT-TYPE': 'application/json' });
    expect(profile.headers).toEqual({ 'CONTENT-TYPE': 'application/json' });
  });

  it('a text body is interpolated and defaults to text/plain', () => {
    const r = buildRequest({ method: 'POST', path: '/', text: 'type=${type}' }, vars, BASE, {});
    expect(r).toMatchObject({ body: 'type=Patient', headers: { 'Content-Type': 'text/plain' } });
  });
});

describe('describeSent', () => {
  it('is one line with method, URL and headers (redacted), hiding user-agent and content-length', () => {
    const redactor = new Redactor();
    const req = { method: 'POST', url: 'http://h/fhir/$export', headers: { Authorization: 'Bearer secret-token', 'User-Agent': 'x', 'content-length': '2', Prefer: 'respond-async' }, body: '{}' };
    expect(describeSent(req, redactor)).toBe('POST http://h/fhir/$export (Authorization: Bearer <redacted>; Prefer: respond-async) with a 2-byte body');
  });

  it('shows each line of a list value, as sent', () => {
    const req = { method: 'GET', url: 'http://h/Patient', headers: { Prefer: ['handling=lenient', 'respond-async'], 'X-Api-Key': ['k1-secret', 'k2-secret'] } };
    expect(describeSent(req, new Redactor())).toBe('GET http://h/Patient (Prefer: handling=lenient; Prefer: respond-async; X-Api-Key: <redacted>; X-Api-Key: <redacted>)');
  });

  it('omits the parentheses without headers', () => {
    expect(describeSent({ method: 'GET', url: 'http://h/', headers: {} }, new Redactor())).toBe('GET http://h/');
  });
});

it('describeSent masks registered secrets in the URL, as the exchange record does', () => {
  const redactor = new Redactor();
  redactor.addSecret('query-secret-123');
  expect(describeSent({ method: 'GET', url: 'http://h/x?token=query-secret-123', headers: {} }, redactor)).toBe('GET http://h/x?token=<redacted>');
});
