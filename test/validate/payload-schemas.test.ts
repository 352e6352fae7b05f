import { describe, expect, it } from 'vitest';
import { applyMatchers } from '../../src/assert/matchers.js';
import { parseSchemaName, resolveSchemaName, validatePayload } from '../../src/validate/payload-schemas.js';

const URL_BASE = 'https://files.example.org/x';
const v2 = {
  transactionTime: '2025-03-01T12:00:00Z',
  request: 'https://fhir.example.org/$export',
  requiresAccessToken: true,
  output: [{ type: 'Patient', url: `${URL_BASE}/1.ndjson`, count: 3 }],
  error: [],
  extension: { 'https://example.org/x': true },
};
const v4 = {
  transactionTime: '2025-03-01T12:00:00+01:00',
  requiresAccessToken: false,
  output: [{ type: 'Patient', url: `${URL_BASE}/1.ndjson`, count: 3, fileSize: 900 }],
  outcome: [],
  extension: [{ url: 'https://example.org/x', valueBoolean: true }],
};
const problems = (name: string, value: unknown): string[] => {
  const v = validatePayload(name, value);
  return v.ok ? [] : v.problems;
};

describe('Bulk Data manifest schemas', () => {
  it('accept a conforming manifest of each version', () => {
    expect(problems('bulk-manifest-v2', v2)).toEqual([]);
    expect(problems('bulk-manifest-v1', { ...v2, extension: undefined })).toEqual([]);
    expect(problems('bulk-manifest-v3', { ...v2, link: [{ relation: 'next', url: `${URL_BASE}/page2` }] })).toEqual([]);
    expect(problems('bulk-manifest-v4', v4)).toEqual([]);
  });

  it('name the JSON path and the requirement of what is wrong', () => {
    const { request: _drop, ...noRequest } = v2;
    expect(problems('bulk-manifest-v2', noRequest)).toEqual(['/request: is required but absent [MAN-02]']);
    expect(problems('bulk-manifest-v2', { ...v2, output: [{ type: 'Patient', url: `${URL_BASE}/1.ndjson`, count: '3' }] })).toEqual([
      '/output/0/count: must be integer (got "3") [MAN-04]',
    ]);
    expect(problems('bulk-manifest-v2', { ...v2, transactionTime: '2025-03-01 12:00:00' })[0]).toMatch(/^\/transactionTime: must match pattern .* \[MAN-01\]$/);
    expect(problems('bulk-manifest-v3', { ...v2, link: [{ relation: 'previous', url: URL_BASE }] })).toEqual(['/link/0/relation: must be "next" (got "previous") [MAN-09]']);
  });

  it('follow the version: extension is an object in v1-v3 and an array in v4; v4 needs no request or error', () => {
    expect(problems('bulk-manifest-v2/extension', v4.extension)[0]).toMatch(/^must be object/);
    expect(problems('bulk-manifest-v4/extension', v4.extension)).toEqual([]);
    expect(problems('bulk-manifest-v4/extension', v2.extension)[0]).toMatch(/^must be array/);
    expect(problems('bulk-manifest-v2', v4).length).toBeGreaterThan(0);
    expect(problems('bulk-manifest-v4/request', 'x')).toEqual([]);
    expect(problems('bulk-manifest-v1/link', [])).toEqual(['the Bulk Data v1 manifest has no field link']);
  });

  it('resolve bulk-manifest to the claimed version (default v2) and reject unknown names', () => {
    expect(resolveSchemaName('bulk-manifest', new Set(['bulk-v4', 'bundle']))).toBe('bulk-manifest-v4');
    expect(resolveSchemaName('bulk-manifest/output', new Set())).toBe('bulk-manifest-v2/output');
    expect(resolveSchemaName('bulk-manifest-v1', new Set(['bulk-v4']))).toBe('bulk-manifest-v1');
    expect(parseSchemaName('bulk-manifest/nope')).toBeUndefined();
    expect(problems('no-such-schema', {})).toEqual(['no schema named "no-such-schema"']);
  });
});

describe('FHIR payload schemas', () => {
  const outcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'processing', diagnostics: 'boom' }] };

  it('operation-outcome: a valid OperationOutcome with an issue', () => {
    expect(problems('operation-outcome', outcome)).toEqual([]);
    expect(problems('operation-outcome', { resourceType: 'OperationOutcome', issue: [] }).length).toBe(1);
    expect(problems('operation-outcome', { ...outcome, issue: [{ severity: 'fatalish', code: 'processing' }] })[0]).toMatch(/^\/issue\/0\/severity: must be one of/);
  });

  it('batch-response-bundle: type batch-response and a response status on every entry', () => {
    const bundle = { resourceType: 'Bundle', type: 'batch-response', entry: [{ response: { status: '200 OK' }, resource: { resourceType: 'Patient', id: 'p1' } }] };
    expect(problems('batch-response-bundle', bundle)).toEqual([]);
    expect(problems('batch-response-bundle', { ...bundle, type: 'batch' })[0]).toMatch(/^\/type: must be "batch-response"/);
    expect(problems('batch-response-bundle', { ...bundle, entry: [{ resource: { resourceType: 'Patient', id: 'p1' } }] })).toEqual(['/entry/0/response: is required but absent']);
  });

  it('callback-parameters: status code, resultUrl, and an OperationOutcome as outcome', () => {
    const params = { resourceType: 'Parameters', parameter: [{ name: 'status', valueCode: 'completed' }, { name: 'resultUrl', valueUrl: 'http://127.0.0.1:1/_async/x' }] };
    expect(problems('callback-parameters', params)).toEqual([]);
    expect(problems('callback-parameters', { ...params, parameter: [{ name: 'status', valueCode: 'done' }, params.parameter[1]] }).length).toBeGreaterThan(0);
    const failed = { ...params, parameter: [...params.parameter, { name: 'outcome', resource: { resourceType: 'Patient', id: 'p1' } }] };
    expect(problems('callback-parameters', failed).length).toBeGreaterThan(0);
  });

  it('the schema matcher fails with the problems as the actual value', () => {
    const miss = applyMatchers({ resourceType: 'OperationOutcome', issue: [{ severity: 'bad', code: 'processing' }] }, { schema: 'operation-outcome' }, false);
    expect(miss.passed).toBe(false);
    expect(miss.expected).toBe('valid against the operation-outcome schema');
    expect(miss.actual).toMatch(/^\/issue\/0\/severity: must be one of "fatal", "error", "warning", "information" \(got "bad"\)/);
    expect(applyMatchers(outcome, { schema: 'operation-outcome' }, false).passed).toBe(true);
  });
});
