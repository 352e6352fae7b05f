import { describe, it, expect } from 'vitest';
import { resolvePointer } from '../../src/assert/json-pointer.js';

const MANIFEST = {
  transactionTime: '2024-01-01T00:00:00Z',
  output: [
    { type: 'Patient', url: 'http://h/f/1.ndjson' },
    { type: 'Observation', url: 'http://h/f/2.ndjson', count: 3 },
  ],
  error: [],
  'a/b': 'slash',
  'm~n': 'tilde',
  '~1': 'literal tilde-one',
  '': 'empty key',
  nested: { x: { y: null } },
};

describe('resolvePointer: RFC 6901', () => {
  it('the empty pointer is the whole document', () => {
    expect(resolvePointer(MANIFEST, '')).toEqual([{ pointer: '', value: MANIFEST }]);
    expect(resolvePointer('text', '')).toEqual([{ pointer: '', value: 'text' }]);
  });

  it('walks members and array indexes', () => {
    expect(resolvePointer(MANIFEST, '/transactionTime')).toEqual([{ pointer: '/transactionTime', value: '2024-01-01T00:00:00Z' }]);
    expect(resolvePointer(MANIFEST, '/output/1/count')).toEqual([{ pointer: '/output/1/count', value: 3 }]);
    expect(resolvePointer(MANIFEST, '/output/0')).toEqual([{ pointer: '/output/0', value: MANIFEST.output[0] }]);
    expect(resolvePointer(MANIFEST, '/error')).toEqual([{ pointer: '/error', value: [] }]);
  });

  it('a null value is a match (present), not a miss', () => {
    expect(resolvePointer(MANIFEST, '/nested/x/y')).toEqual([{ pointer: '/nested/x/y', value: null }]);
    expect(resolvePointer(MANIFEST, '/nested/x/y/z')).toEqual([]);
  });

  it('decodes ~1 as "/" and ~0 as "~", and re-escapes the concrete pointer', () => {
    expect(resolvePointer(MANIFEST, '/a~1b')).toEqual([{ pointer: '/a~1b', value: 'slash' }]);
    expect(resolvePointer(MANIFEST, '/m~0n')).toEqual([{ pointer: '/m~0n', value: 'tilde' }]);
  });

  it('decodes ~01 as the literal "~1" (not "/")', () => {
    expect(resolvePointer(MANIFEST, '/~01')).toEqual([{ pointer: '/~01', value: 'literal tilde-one' }]);
    expect(resolvePointer({ '/': 1 }, '/~01')).toEqual([]);
  });

  it('"/" addresses the empty-string key', () => {
    expect(resolvePointer(MANIFEST, '/')).toEqual([{ pointer: '/', value: 'empty key' }]);
  });

  it.each([
    ['missing member', '/nope'],
    ['index out of range', '/output/2'],
    ['leading zero index', '/output/01'],
    ['"-" (past the end)', '/output/-'],
    ['negative index', '/output/-1'],
    ['non-numeric index', '/output/first'],
    ['descent into a string', '/transactionTime/0'],
    ['array length', '/output/length'],
    ['inherited member', '/constructor'],
    ['inherited member of an array item', '/output/0/toString'],
  ])('gives no match for a %s', (_what, pointer) => {
    expect(resolvePointer(MANIFEST, pointer)).toEqual([]);
  });
});

describe('resolvePointer: * wildcard', () => {
  it('expands over array elements, giving each concrete pointer', () => {
    expect(resolvePointer(MANIFEST, '/output/*/url')).toEqual([
      { pointer: '/output/0/url', value: 'http://h/f/1.ndjson' },
      { pointer: '/output/1/url', value: 'http://h/f/2.ndjson' },
    ]);
  });

  it('reports elements that lack the member as absent (undefined), so checks can see them', () => {
    expect(resolvePointer(MANIFEST, '/output/*/count')).toEqual([
      { pointer: '/output/0/count', value: undefined },
      { pointer: '/output/1/count', value: 3 },
    ]);
  });

  it('expands over object members, escaping keys in the concrete pointer', () => {
    const doc = { m: { 'a/b': 1, 'c~d': 2, plain: 3 } };
    expect(resolvePointer(doc, '/m/*')).toEqual([
      { pointer: '/m/a~1b', value: 1 },
      { pointer: '/m/c~0d', value: 2 },
      { pointer: '/m/plain', value: 3 },
    ]);
  });

  it('nests', () => {
    const doc = { a: [{ b: [1, 2] }, { b: [] }, { b: [3] }] };
    expect(resolvePointer(doc, '/a/*/b/*').map((m) => [m.pointer, m.value])).toEqual([
      ['/a/0/b/0', 1],
      ['/a/0/b/1', 2],
      ['/a/2/b/0', 3],
    ]);
  });

  it('gives no match over an empty array, a scalar or null', () => {
    expect(resolvePointer(MANIFEST, '/error/*')).toEqual([]);
    expect(resolvePointer(MANIFEST, '/transactionTime/*')).toEqual([]);
    expect(resolvePointer({ x: null }, '/x/*')).toEqual([]);
  });

  it('"*" is always the wildcard, also where a member is literally named "*"', () => {
    expect(resolvePointer({ '*': 'star', other: 1 }, '/*')).toHaveLength(2);
    // "*" has no escape in RFC 6901, so a literal "*" member can only be reached via the wildcard.
    expect(resolvePointer({ '*': 'star', other: 1 }, '/*').map((m) => m.pointer)).toEqual(['/*', '/other']);
  });
});
