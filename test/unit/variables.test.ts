import { describe, it, expect } from 'vitest';
import { BUILTIN_VARIABLES, UnknownVariableError, interpolate, interpolateJson, referencedVariables, stringsIn, type Variables } from '../../src/runner/variables.js';

const vars: Variables = new Map<string, string | string[]>([
  ['statusUrl', 'http://h/status/1'],
  ['exportPath', '/$export'],
  ['id_2', 'abc'],
  ['fileUrls', ['http://h/1', 'http://h/2']],
  ['empty', ''],
]);

describe('referencedVariables', () => {
  it('lists every ${name} in order, including repeats', () => {
    expect(referencedVariables('${a}/x/${b_1}?q=${a}')).toEqual(['a', 'b_1', 'a']);
  });

  it('skips $${escaped} references and things that are not names', () => {
    expect(referencedVariables('$${literal} ${ok}')).toEqual(['ok']);
    expect(referencedVariables('${1abc} ${a-b} ${} $name {x} ${ spaced }')).toEqual([]);
  });

  it('finds none in plain text', () => {
    expect(referencedVariables('http://h/fhir/$export')).toEqual([]);
  });
});

describe('interpolate', () => {
  it('replaces each reference with its value', () => {
    expect(interpolate('${statusUrl}?x=${id_2}', vars)).toBe('http://h/status/1?x=abc');
    expect(interpolate('${exportPath}', vars)).toBe('/$export');
    expect(interpolate('a${empty}b', vars)).toBe('ab');
  });

  it('keeps $${name} as a literal ${name}', () => {
    expect(interpolate('$${statusUrl} and ${id_2}', vars)).toBe('${statusUrl} and abc');
    expect(interpolate('$${undefinedName}', vars)).toBe('${undefinedName}');
  });

  it('does not re-interpolate substituted values', () => {
    const v: Variables = new Map([['a', '${b}'], ['b', 'B']]);
    expect(interpolate('${a}', v)).toBe('${b}');
  });

  it('leaves text without references alone, including a lone $', () => {
    expect(interpolate('GET /$export?_type=Patient', vars)).toBe('GET /$export?_type=Patient');
  });

  it('throws UnknownVariableError naming an undefined variable', () => {
    expect(() => interpolate('${nope}', vars)).toThrow(UnknownVariableError);
    expect(() => interpolate('x ${nope}', vars)).toThrow("variable 'nope' is not defined");
  });

  it('refuses a list variable, pointing at forEach', () => {
    expect(() => interpolate('${fileUrls}', vars)).toThrow("variable 'fileUrls' holds a list; use forEach to iterate it");
  });
});

describe('interpolateJson', () => {
  it('interpolates strings at any depth and leaves other values alone', () => {
    const input = { resourceType: 'Parameters', parameter: [{ name: 'u', valueString: '${statusUrl}' }, { name: 'n', valueInteger: 3 }], flag: true, none: null };
    expect(interpolateJson(input, vars)).toEqual({
      resourceType: 'Parameters',
      parameter: [{ name: 'u', valueString: 'http://h/status/1' }, { name: 'n', valueInteger: 3 }],
      flag: true,
      none: null,
    });
  });

  it('does not interpolate keys', () => {
    expect(interpolateJson({ '${id_2}': '${id_2}' }, vars)).toEqual({ '${id_2}': 'abc' });
  });

  it('does not mutate its input', () => {
    const input = { a: ['${id_2}'] };
    interpolateJson(input, vars);
    expect(input).toEqual({ a: ['${id_2}'] });
  });
});

describe('stringsIn', () => {
  it('lists every string with its path', () => {
    expect(stringsIn({ url: 'u', headers: { A: 'x' }, list: ['p', 1, { q: 'r' }], n: 2 })).toEqual([
      { path: ['url'], text: 'u' },
      { path: ['headers', 'A'], text: 'x' },
      { path: ['list', 0], text: 'p' },
      { path: ['list', 2, 'q'], text: 'r' },
    ]);
    expect(stringsIn('top')).toEqual([{ path: [], text: 'top' }]);
    expect(stringsIn(null)).toEqual([]);
  });
});

describe('BUILTIN_VARIABLES', () => {
  it('include baseUrl and exportPath', () => {
    expect(BUILTIN_VARIABLES).toContain('baseUrl');
    expect(BUILTIN_VARIABLES).toContain('exportPath');
  });
});
