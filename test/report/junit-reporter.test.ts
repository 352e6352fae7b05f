import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createJunitReporter, renderJunitXml } from '../../src/report/junit-reporter.js';
import { createCdataGuard, stripInvalidXmlChars } from '../../src/report/xml-text.js';
import { createRunResult } from './fixtures.js';
import { findAll, parseXml, type XmlElement } from './xml-check.js';

function child(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((candidate) => candidate.name === name);
}

function properties(testcase: XmlElement): Array<[string, string]> {
  return findAll(testcase, 'property').map((p) => [p.attributes.name ?? '', p.attributes.value ?? '']);
}

describe('createJunitReporter', () => {
  let dir: string;
  let raw: string;
  let root: XmlElement;
  const cases = new Map<string, XmlElement>();

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'junit-reporter-'));
    const file = path.join(dir, 'nested', 'deeper', 'junit.xml');
    await createJunitReporter({ file }).onRunEnd(createRunResult());
    raw = fs.readFileSync(file, 'utf8');
    root = parseXml(raw);
    for (const testcase of findAll(root, 'testcase')) cases.set(testcase.attributes.name ?? '', testcase);
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes well-formed XML 1.0 without illegal or raw control characters', () => {
    expect(raw.startsWith('<?xml version="1.0"')).toBe(true);
    expect(() => parseXml(raw)).not.toThrow();
    expect(raw).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/);
    expect(raw).not.toMatch(/[\ud800-\udfff]/);
    expect(raw).not.toMatch(/\ue000cdata-/);
  });

  it('has one testsuite per area with correct counts', () => {
    expect(root.name).toBe('testsuites');
    expect(root.attributes).toMatchObject({ tests: '5', failures: '1', errors: '1', skipped: '1' });
    const suites = findAll(root, 'testsuite');
    expect(suites.map((s) => s.attributes.name)).toEqual(['bulk', 'bundle']);
    expect(suites[0]?.attributes).toMatchObject({ tests: '3', failures: '1', errors: '0', skipped: '0' });
    expect(suites[1]?.attributes).toMatchObject({ tests: '2', failures: '0', errors: '1', skipped: '1' });
  });

  it('names each testcase by scenario id with the area as classname and time in seconds', () => {
    const suites = findAll(root, 'testsuite');
    const names = suites.map((suite) => findAll(suite, 'testcase').map((tc) => tc.attributes.name));
    expect(names).toEqual([
      ['bulk.kickoff-accepted', 'bulk.poll-complete', 'bulk.retry-after'],
      ['bundle.async-submit', 'bundle.cancel'],
    ]);
    for (const testcase of findAll(root, 'testcase')) {
      expect(testcase.attributes.classname).toBe(testcase.attributes.name?.split('.')[0]);
    }
    expect(cases.get('bulk.kickoff-accepted')?.attributes.time).toBe('1.234');
  });

  it('puts <failure>, <error> and <skipped> only on the matching outcome', () => {
    const marks = [...cases].map(([name, tc]) => [name, ['failure', 'error', 'skipped'].filter((n) => child(tc, n))]);
    expect(Object.fromEntries(marks)).toEqual({
      'bulk.kickoff-accepted': [],
      'bulk.poll-complete': ['failure'],
      'bulk.retry-after': [],
      'bundle.async-submit': ['error'],
      'bundle.cancel': ['skipped'],
    });
  });

  it('gives the failure the first SHALL miss as message and all failed checks as body', () => {
    const failure = child(cases.get('bulk.poll-complete') as XmlElement, 'failure');
    expect(failure?.attributes.message).toBe('KICKOFF-02 (SHALL) status: expected 202, actual 500');
    expect(failure?.text).toContain('KICKOFF-02 (SHALL): sent GET http://127.0.0.1:8080/fhir/$export; expected status 202, actual 500 <&>');
    expect(failure?.text).toContain('STATUS-04 (SHALL NOT): expected header content-location absolute URL, actual (missing) ]]>');
    expect(failure?.text).not.toContain('STATUS-09');
  });

  it('gives the error the reason, with illegal characters stripped', () => {
    const error = child(cases.get('bundle.async-submit') as XmlElement, 'error');
    expect(error?.attributes.message).toBe('connection refused <&>');
    expect(error?.text).toContain('connect ECONNREFUSED 127.0.0.1:8080');
  });

  it('puts the skip reason in system-out', () => {
    const out = child(cases.get('bundle.cancel') as XmlElement, 'system-out');
    expect(out?.text).toContain('reason: target does not support async-bundle');
  });

  it('records outcome, requirement, failed-requirement and warning properties', () => {
    expect(properties(cases.get('bulk.poll-complete') as XmlElement)).toEqual([
      ['outcome', 'failed'],
      ['requirement', 'KICKOFF-02'],
      ['requirement', 'STATUS-04'],
      ['requirement', 'STATUS-09'],
      ['failed-requirement', 'KICKOFF-02'],
      ['failed-requirement', 'STATUS-04'],
      ['warning', 'STATUS-09'],
    ]);
    expect(properties(cases.get('bulk.retry-after') as XmlElement)).toEqual([
      ['outcome', 'warned'],
      ['requirement', 'STATUS-02'],
      ['requirement', 'STATUS-09'],
      ['warning', 'STATUS-09'],
    ]);
    expect(properties(cases.get('bundle.cancel') as XmlElement)).toEqual([
      ['outcome', 'skipped'],
      ['requirement', 'BUNDLE-07'],
    ]);
  });

  it('lists warnings of a warned scenario in system-out', () => {
    const out = child(cases.get('bulk.retry-after') as XmlElement, 'system-out')?.text ?? '';
    expect(out).toMatch(/warnings:\n {2}WARN STATUS-09 \(SHOULD\) header retry-after: STATUS-09 \(SHOULD\): sent GET/);
  });

  it('writes a readable transcript with the hostile body intact except for escaped controls', () => {
    const out = child(cases.get('bulk.poll-complete') as XmlElement, 'system-out')?.text ?? '';
    expect(out).toContain('> GET http://127.0.0.1:8080/fhir/$export\n> accept: application/fhir+json\n> prefer: respond-async\n< 500\n');
    expect(out).toContain('< content-type: application/fhir+json');
    expect(out).toContain('< x-odd: value\\x07bell\\u{fffe}');
    expect(out).toContain('nul\\x00 esc\\x1b[31mred\\x1b[0m cdata-end ]]> again ]]> split ]]\\x00> markup <&> \\u{d800} lone');
    expect(out).toContain('(42ms)');
    expect(out).toContain('... (body truncated;');
    expect(out).toContain('  FAIL KICKOFF-02 (SHALL) status: KICKOFF-02 (SHALL): sent GET');
    expect(out).toContain('step poll skipped: blocked by step kickoff');
  });

  it('creates a separate document per run (no shared builder state)', () => {
    const first = renderJunitXml(createRunResult());
    const second = renderJunitXml(createRunResult());
    expect(findAll(parseXml(second), 'testcase')).toHaveLength(5);
    expect(second).toBe(first);
  });
});

describe('xml-text', () => {
  it('strips characters XML 1.0 forbids and keeps everything else', () => {
    expect(stripInvalidXmlChars('a\u0000b\u001bc\t\n\r\ufffe\uffffd')).toBe('abc\t\n\rd');
    expect(stripInvalidXmlChars('x\udc00y\ud800z')).toBe('xyz');
    expect(stripInvalidXmlChars('smile \ud83d\ude00 \u0085 \u007f')).toBe('smile \ud83d\ude00 \u0085 \u007f');
  });

  it('splits every ]]> in CDATA, including one produced by stripping', () => {
    const guard = createCdataGuard();
    const text = 'a ]]> b ]]> c ]]\u0000> d ]]]]> e';
    const xml = guard.restore(`<r><![CDATA[${guard.cdata(text)}]]></r>`);
    expect(parseXml(xml).text).toBe('a ]]> b ]]> c ]]> d ]]]]> e');
  });
});
