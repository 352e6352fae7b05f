import { afterEach, describe, it, expect } from 'vitest';
import path from 'node:path';
import { InputError, displayPath, formatDiagnostic, sortDiagnostics, type Diagnostic } from '../../src/scenario/diagnostics.js';
import { parseYamlSource } from '../../src/scenario/yaml-source.js';
import { VALID, diagnosticsOf, variant, removeSuites, writeSuite, type TempSuite } from './scenario-fixtures.js';

let suite: TempSuite | undefined;
afterEach(() => {
  removeSuites();
  suite = undefined;
});

/** Column (1-based) of the caret on the third line of a formatted diagnostic, relative to the source text. */
function caretColumn(formatted: string, line: number): number {
  const [, source = '', caret = ''] = formatted.split('\n');
  const prefix = `  ${line} | `;
  expect(source.startsWith(prefix)).toBe(true);
  return caret.indexOf('^') - prefix.length + 1;
}

describe('formatDiagnostic', () => {
  it('prints file:line:column: message, the source line and a caret under the column', () => {
    const d: Diagnostic = { file: 'suites/a/b.yaml', line: 7, column: 5, message: "unknown key 'x'", sourceLine: '    x: 1' };
    expect(formatDiagnostic(d)).toBe(["suites/a/b.yaml:7:5: unknown key 'x'", '  7 |     x: 1', '          ^'].join('\n'));
  });

  it('lines the caret up past a wider gutter', () => {
    const d: Diagnostic = { file: 'f.yaml', line: 120, column: 3, message: 'm', sourceLine: 'abcdef' };
    const out = formatDiagnostic(d);
    expect(out.split('\n')[2]).toBe(`  ${' '.repeat('120 | '.length + 2)}^`);
    expect(caretColumn(out, 120)).toBe(3);
  });

  it('puts a column-1 caret under the first character', () => {
    const out = formatDiagnostic({ file: 'f', line: 1, column: 1, message: 'm', sourceLine: 'id: x' });
    expect(out.split('\n')[2]).toBe('      ^');
    expect(caretColumn(out, 1)).toBe(1);
  });

  it('is one line without a source line', () => {
    expect(formatDiagnostic({ file: 'f.yaml', line: 1, column: 1, message: 'cannot read scenario file: ENOENT' })).toBe('f.yaml:1:1: cannot read scenario file: ENOENT');
  });

  it('points the caret at the offending key of a real loader diagnostic', () => {
    const text = variant('status: 202 }', 'status: 202, severity: high }');
    suite = writeSuite({ 'demo/ok.yaml': text });
    const [d] = diagnosticsOf(suite);
    expect(d).toBeDefined();
    if (!d) return;
    const out = formatDiagnostic(d);
    const [, source = '', caret = ''] = out.split('\n');
    expect(source.slice(caret.indexOf('^'))).toMatch(/^severity: high/);
    expect(out.split('\n')[0]).toBe(`${d.file}:${d.line}:${d.column}: ${d.message}`);
  });
});

describe('parseYamlSource.at', () => {
  const text = 'id: demo.ok\nsteps:\n  - id: a\n    request: { method: GET }\n';
  const source = parseYamlSource('f.yaml', text);

  it('points at a value, a key, or the deepest existing node', () => {
    expect(source.at(['id'], 'm')).toMatchObject({ line: 1, column: 5, sourceLine: 'id: demo.ok' });
    expect(source.at(['steps', 0, 'request'], 'm', 'method')).toMatchObject({ line: 4, column: 16 });
    expect(source.at(['steps', 0, 'request', 'method'], 'm')).toMatchObject({ line: 4, column: 24 });
    expect(source.at(['steps', 0, 'nothing', 'deeper'], 'm')).toMatchObject({ line: 3, column: 5 });
    expect(source.at([], 'm')).toMatchObject({ line: 1, column: 1 });
  });

  it('gives no value and syntax errors for broken YAML', () => {
    const broken = parseYamlSource('g.yaml', 'a: 1\na: 2\n');
    expect(broken.value).toBeUndefined();
    expect(broken.syntaxErrors).toEqual([{ file: 'g.yaml', line: 2, column: 1, message: 'Map keys must be unique', sourceLine: 'a: 2' }]);
  });
});

describe('sortDiagnostics', () => {
  it('orders by file, then line, then column, without changing its input', () => {
    const d = (file: string, line: number, column: number): Diagnostic => ({ file, line, column, message: `${file}:${line}:${column}` });
    const input = [d('b', 1, 1), d('a', 2, 1), d('a', 1, 9), d('a', 1, 2)];
    expect(sortDiagnostics(input).map((x) => x.message)).toEqual(['a:1:2', 'a:1:9', 'a:2:1', 'b:1:1']);
    expect(input.map((x) => x.message)).toEqual(['b:1:1', 'a:2:1', 'a:1:9', 'a:1:2']);
  });
});

describe('displayPath', () => {
  it('is relative inside the working directory and absolute outside it', () => {
    expect(displayPath(path.join(process.cwd(), 'suites', 'x.yaml'))).toBe(path.join('suites', 'x.yaml'));
    expect(displayPath('suites/x.yaml')).toBe(path.join('suites', 'x.yaml'));
    const outside = path.resolve(process.cwd(), '..', 'elsewhere', 'x.yaml');
    expect(displayPath(outside)).toBe(outside);
  });
});

describe('InputError', () => {
  it('carries every diagnostic and counts them', () => {
    const ds: Diagnostic[] = [{ file: 'a', line: 1, column: 1, message: 'x' }, { file: 'b', line: 2, column: 3, message: 'y' }];
    const e = new InputError(ds);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('InputError');
    expect(e.message).toBe('2 problem(s) in input files');
    expect(e.diagnostics).toBe(ds);
  });
});

describe('VALID fixture', () => {
  it('is itself free of problems (so each variant isolates one problem)', () => {
    suite = writeSuite({ 'demo/ok.yaml': VALID });
    expect(diagnosticsOf(suite)).toEqual([]);
  });
});
