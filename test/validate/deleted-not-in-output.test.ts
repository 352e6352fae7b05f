import { describe, expect, it } from 'vitest';
import { checkLine, deletedResourceKey, type LineCheckContext } from '../../src/validate/line-checks.js';
import { ProblemLog } from '../../src/validate/problem-log.js';
import { ResourceKeySet } from '../../src/validate/resource-key-set.js';
import { checkFilesStep } from '../../src/validate/files-step-semantics.js';

describe('deletedResourceKey', () => {
  it.each([
    ['Patient/123', { type: 'Patient', id: '123' }],
    ['Observation/p1-obs0', { type: 'Observation', id: 'p1-obs0' }],
    ['https://fhir.example.org/r4/Patient/123', { type: 'Patient', id: '123' }],
    ['Patient/123/_history/4', { type: 'Patient', id: '123' }],
    ['Patient/123?_format=json', { type: 'Patient', id: '123' }],
  ])('%s', (url, key) => {
    expect(deletedResourceKey(url)).toEqual(key);
  });

  it.each(['', 'Patient', '123', 'patient/123'])('%s names no resource', (url) => {
    expect(deletedResourceKey(url)).toBeUndefined();
  });
});

describe('the deletedNotInOutput line check', () => {
  const bundle = (...urls: string[]): string =>
    JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry: urls.map((url) => ({ request: { method: 'DELETE', url } })) });

  function context(output: ResourceKeySet): LineCheckContext {
    return {
      kinds: new Set(['deletedNotInOutput']), itemType: 'Bundle', transactionTime: undefined, keys: undefined, ordinalBase: 0,
      locate: (n) => `ordinal ${n}`, fhir: undefined, elements: undefined, deletedAgainst: output, log: new ProblemLog(5),
    };
  }

  it('flags a DELETE entry whose resource the output holds, with where it is', () => {
    const output = new ResourceKeySet();
    output.addResource('Observation', 'p1-obs0', 31);
    output.addResource('Patient', 'p1', 1);
    const ctx = context(output);
    checkLine(ctx, bundle('Observation/p2-obs0', 'Observation/p1-obs0'), 1);
    checkLine(ctx, bundle('Patient/p9'), 2);
    expect(ctx.log.describe('deletedNotInOutput')).toMatch(/line 1: Observation\/p1-obs0 is listed as deleted, but the output holds it \(ordinal 31\)/);
    expect(ctx.log.describe('deletedNotInOutput')).not.toMatch(/line 2/);
  });

  it('ignores entries that are not DELETEs and resources the output does not hold', () => {
    const output = new ResourceKeySet();
    output.addResource('Patient', 'p1', 1);
    const ctx = context(output);
    checkLine(ctx, JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry: [{ request: { method: 'PUT', url: 'Patient/p1' } }] }), 1);
    checkLine(ctx, bundle('Patient/p2'), 2);
    expect(ctx.log.describe('deletedNotInOutput')).toBeUndefined();
  });
});

describe('validateFiles load-time check of deletedNotInOutput', () => {
  it('needs both the output and the deleted list', () => {
    const problems: string[] = [];
    const step = { id: 's', validateFiles: { manifest: 'm', lists: ['deleted'], checks: { deletedNotInOutput: 'MAN-05' } } };
    checkFilesStep(step, ['steps', 0], new Set(['m']), (_p, message) => problems.push(message));
    expect(problems).toEqual([expect.stringMatching(/needs both output and deleted/)]);
    const ok: string[] = [];
    checkFilesStep({ ...step, validateFiles: { ...step.validateFiles, lists: ['output', 'deleted'] } }, ['steps', 0], new Set(['m']), (_p, m) => ok.push(m));
    expect(ok).toEqual([]);
  });
});
