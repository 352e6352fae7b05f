import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redactor } from '../../src/http/redact.js';
import type { FileCheckKind } from '../../src/model/scenario.js';
import { sharedFhirValidator } from '../../src/validate/fhir-r4-schema.js';
import { ElementRule } from '../../src/validate/line-checks.js';
import { ResourceKeySet } from '../../src/validate/resource-key-set.js';
import { validateFile, type FileRunOptions, type FileTarget } from '../../src/validate/validate-file.js';
import { serveFiles, type FileServer } from './file-server.js';

const TX = Date.parse('2025-03-01T12:00:00Z');
const patient = (n: number, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ resourceType: 'Patient', id: `p${n}`, meta: { lastUpdated: '2025-03-01T11:00:00Z' }, gender: 'male', ...extra });
const lines = (n: number, make = patient): string => Array.from({ length: n }, (_, i) => make(i + 1)).join('\n') + '\n';
const ALL: FileCheckKind[] = ['status', 'contentType', 'encoding', 'ndjson', 'resource', 'type', 'count', 'unique', 'lastUpdated', 'elements'];

let server: FileServer;
beforeAll(async () => {
  const mixed = lines(3) + JSON.stringify({ resourceType: 'Observation', id: 'o1', status: 'final', code: { text: 'x' } }) + '\n';
  const broken = ['{"resourceType":"Patient","id":"a"}', '{"resourceType":"Patient","id":', '', '[1,2]', '{"id":"x"}', '{"resourceType":"Patient","id":"b","gender":42}'].join('\n');
  server = await serveFiles({
    clean: { body: lines(5), headers: { 'content-type': 'application/fhir+ndjson; charset=utf-8' } },
    mixed: { body: mixed },
    broken: { body: broken },
    many: { body: Array.from({ length: 9 }, () => 'not json').join('\n') },
    plainType: { body: lines(2), headers: { 'content-type': 'application/json' } },
    gzipped: { body: gzipSync(lines(4)), headers: { 'content-encoding': 'gzip' } },
    gzipUnlabelled: { body: gzipSync(lines(4)) },
    gzipLie: { body: lines(4), headers: { 'content-encoding': 'gzip' } },
    late: { body: lines(1, (n) => patient(n, { meta: { lastUpdated: '2025-03-01T13:00:00Z' } })) },
    dupA: { body: lines(3) },
    dupB: { body: lines(1, () => patient(2)) },
    subset: { body: lines(1, () => patient(1, { name: [{ family: 'Chen' }], managingOrganization: { reference: 'Organization/o1' } })) },
    missing: { status: 404, body: '{}' },
    longLine: { body: `${lines(2)}{"resourceType":"Patient","id":"${'x'.repeat(5000)}` },
    big: { body: lines(5000, (n) => (n === 2500 ? '{broken' : n === 5000 ? patient(n, { gender: 'x' }) : patient(n))) },
  });
});
afterAll(() => server.close());

/**
 * Every case runs three ways, with the same expectations: line by line on this thread; in
 * batches of about 64 bytes on one validation worker (so a file spans many batches, and this
 * thread checks some itself when the worker is busy); and on two workers.
 */
const MODES: { name: string; run: Partial<FileRunOptions> }[] = [
  { name: 'on this thread', run: { threads: 0 } },
  { name: 'in small batches on one validation worker', run: { threads: 1, parallelFromBytes: 0, batchBytes: 64 } },
  { name: 'in batches on two validation workers', run: { threads: 2, parallelFromBytes: 0, batchBytes: 300 } },
];
let mode: Partial<FileRunOptions> = {};

function options(over: Partial<FileRunOptions['lineContext']> = {}, run: Partial<FileRunOptions> = {}): FileRunOptions {
  return {
    headers: { accept: 'application/fhir+ndjson' },
    signal: AbortSignal.timeout(10_000),
    stallTimeoutMs: 5_000,
    redactor: new Redactor(),
    label: 'files[0]',
    maxProblems: 3,
    sample: undefined,
    lineContext: { kinds: new Set(ALL), transactionTime: TX, keys: new ResourceKeySet(), ordinalBase: 0, locate: (n) => `ordinal ${n}`, fhir: sharedFhirValidator(), elements: undefined, ...over },
    ...mode,
    ...run,
  };
}
const target = (name: string, type: string | undefined = 'Patient', count?: unknown): FileTarget => ({ list: 'output', index: 0, url: server.url(name), type, count });

describe.each(MODES)('validateFile (streaming over loopback HTTP), lines checked $name', ({ run }) => {
  beforeAll(() => {
    mode = run;
  });

  it('stops at a line longer than the limit, as an error naming the line, after judging the lines before it', async () => {
    const report = await validateFile(target('longLine', 'Patient', 3), options({}, { maxLineBytes: 1000 }));
    expect(report.error).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/longLine: line 3 is longer than 1000 bytes without a newline: stopped reading the file/);
    expect(report).toMatchObject({ lines: 2, resources: 2, checked: 2 });
    // No verdict on what could not be read: the count is not judged.
    expect(ALL.map((k) => report.log.describe(k)).filter(Boolean)).toEqual([]);
  });

  it('passes a conforming file and records the exchange', async () => {
    const report = await validateFile(target('clean', 'Patient', 5), options());
    expect(ALL.map((k) => report.log.describe(k)).filter(Boolean)).toEqual([]);
    expect(report).toMatchObject({ status: 200, lines: 5, resources: 5, checked: 5, sampled: false, error: undefined });
    expect(report.exchange.response?.status).toBe(200);
    expect(report.exchange.response?.bodyExcerpt).toContain('"resourceType":"Patient"');
  });

  it("reports a resource of another type than the item's, and a count that disagrees", async () => {
    const report = await validateFile(target('mixed', 'Patient', 3), options());
    expect(report.log.describe('type')).toBe('line 4: Observation/o1 in a file whose manifest type is Patient');
    expect(report.log.describe('count')).toBe('the manifest says count 3, the file holds 4 resource line(s)');
  });

  it('reports lines that are not one JSON resource, and invalid resources, with line numbers', async () => {
    const report = await validateFile(target('broken', 'Patient'), options());
    expect(report.log.get('ndjson')?.shown).toEqual([
      expect.stringMatching(/^line 2: not JSON \(/),
      'line 4: a JSON array, not one resource object',
      'line 5: an object without a string resourceType',
    ]);
    expect(report.log.describe('resource')).toMatch(/^line 6: Patient\/b is not a valid FHIR R4 Patient: \/gender: must be one of/);
    expect(report.resources).toBe(5);
  });

  it('lists the first N problems of a file and counts the rest', async () => {
    const report = await validateFile(target('many'), options());
    expect(report.log.get('ndjson')?.shown).toHaveLength(3);
    expect(report.log.describe('ndjson')).toMatch(/; and 6 more$/);
  });

  it('checks the media type, and Content-Encoding against the body', async () => {
    expect((await validateFile(target('plainType'), options())).log.describe('contentType')).toBe('Content-Type is "application/json", not application/fhir+ndjson');
    const gz = await validateFile(target('gzipped', 'Patient', 4), options());
    expect(gz.log.describe('encoding')).toBeUndefined();
    expect(gz.resources).toBe(4);
    const unlabelled = await validateFile(target('gzipUnlabelled', 'Patient', 4), options());
    expect(unlabelled.log.describe('encoding')).toMatch(/gzip-compressed .* no Content-Encoding/);
    expect(unlabelled.log.describe('ndjson')).toBeUndefined();
    expect(unlabelled.resources).toBe(4);
    expect((await validateFile(target('gzipLie'), options())).log.describe('encoding')).toMatch(/does not decode as gzip/);
  });

  it('reports resources updated after transactionTime, a non-200 status, and duplicates across files', async () => {
    expect((await validateFile(target('late'), options())).log.describe('lastUpdated')).toBe('line 1: Patient/p1 has meta.lastUpdated 2025-03-01T13:00:00Z, after transactionTime');
    const missing = await validateFile(target('missing'), options());
    expect(missing.log.describe('status')).toBe('answered 404, not 200');
    const keys = new ResourceKeySet();
    const first = await validateFile(target('dupA'), options({ keys }));
    expect(first.log.describe('unique')).toBeUndefined();
    const second = await validateFile(target('dupB'), options({ keys, ordinalBase: first.lines }));
    expect(second.log.describe('unique')).toBe('line 1: Patient/p2 already appeared (ordinal 2)');
  });

  it('judges _elements: an unlisted complex element fails, listed and mandatory ones pass', async () => {
    const listed = await validateFile(target('subset'), options({ elements: new ElementRule(['Patient.name', 'gender']) }));
    expect(listed.log.describe('elements')).toBe('line 1: Patient/p1 has managingOrganization, not among the requested _elements');
    const all = await validateFile(target('subset'), options({ elements: new ElementRule(['name', 'managingOrganization']) }));
    expect(all.log.describe('elements')).toBeUndefined();
  });

  it('reports a transport error (nothing listening) as the file error, not a problem of the file', async () => {
    const report = await validateFile({ ...target('clean'), url: 'http://127.0.0.1:1/gone' }, options());
    expect(report.error).toMatch(/connection refused/);
    expect(report.exchange.error).toBe(report.error);
  });

  it('in a quick run, samples a large file (first, last, random lines) but still counts every line', async () => {
    const full = await validateFile(target('big', 'Patient', 5000), options());
    expect(full.log.describe('ndjson')).toMatch(/^line 2500: not JSON/);
    expect(full.log.describe('resource')).toMatch(/^line 5000: /);
    const quick = await validateFile(target('big', 'Patient', 5000), options({}, { sample: { first: 100, last: 10, random: 20, overBytes: 1000 } }));
    expect(quick.sampled).toBe(true);
    expect(quick.resources).toBe(5000);
    expect(quick.checked).toBeLessThanOrEqual(130);
    expect(quick.log.describe('count')).toBeUndefined();
    expect(quick.log.describe('resource')).toMatch(/^line 5000: /);
  });
});
