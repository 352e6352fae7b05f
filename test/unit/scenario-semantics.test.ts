import { afterEach, describe, it, expect } from 'vitest';
import { loadPlan } from '../../src/app/load-plan.js';
import type { Diagnostic } from '../../src/scenario/diagnostics.js';
import { MATCHER_KEYS } from '../../src/scenario/schema.js';
import { VALID, diagnosticsOf, positionOf, variant, removeSuites, writeSuite, type TempSuite } from './scenario-fixtures.js';

const MATCHERS = MATCHER_KEYS.join(', ');
const UNDEFINED = (name: string): string => `undefined variable '\${${name}}' (define it in variables, capture it in an earlier step, or pass --var ${name}=...)`;

let suite: TempSuite | undefined;
afterEach(() => {
  removeSuites();
  suite = undefined;
});

function load(text: string, rel = 'demo/ok.yaml'): { ds: Diagnostic[]; file: string } {
  suite = writeSuite({ [rel]: text });
  return { ds: diagnosticsOf(suite), file: suite.shown(rel) };
}

/** The one diagnostic expected at the `nth` occurrence of `needle`. */
function only(text: string, needle: string, message: string, nth = 1): Diagnostic[] {
  const file = suite?.shown('demo/ok.yaml') ?? '';
  const pos = positionOf(text, needle, nth);
  return [{ file, ...pos, message, sourceLine: text.split('\n')[pos.line - 1] ?? '' }];
}

describe('ids', () => {
  it('the scenario id must match its path', () => {
    const text = variant('id: demo.ok', 'id: demo.other');
    expect(load(text).ds).toEqual(only(text, 'demo.other', "scenario id 'demo.other' does not match its path: expected 'demo.ok'"));
  });

  it('a file directly under suites/ has no area prefix', () => {
    suite = writeSuite({ 'top.yaml': VALID.replace('id: demo.ok', 'id: top') });
    const plan = loadPlan({ suitesDir: suite.dir });
    expect(plan.ok && plan.scenarios.map((s) => [s.id, s.area])).toEqual([['top', 'default']]);
  });

  it('duplicate scenario ids across files are reported on the later file, naming the earlier', () => {
    suite = writeSuite({ 'demo/dup.yaml': VALID.replace('demo.ok', 'demo.dup'), 'demo/dup.yml': VALID.replace('demo.ok', 'demo.dup') });
    const ds = diagnosticsOf(suite);
    expect(ds).toEqual([
      { file: suite.shown('demo/dup.yml'), line: 1, column: 5, message: `duplicate scenario id 'demo.dup' (also in ${suite.shown('demo/dup.yaml')})`, sourceLine: 'id: demo.dup' },
    ]);
  });

  it('duplicate step ids', () => {
    const text = variant('  - id: poll', '  - id: kickoff');
    expect(load(text).ds).toEqual(only(text, 'kickoff', "duplicate step id 'kickoff'", 2));
  });
});

describe('requirements', () => {
  it('an id not in the catalogue, in the list and in a check', () => {
    const text = variant('[KICKOFF-02, STATUS-02]', '[KICKOFF-02, STATUS-02, MAN-99]').replace('status: 200 }', 'status: 200 }\n      - { requirement: MAN-99, header: expires, httpDate: true }');
    const { ds } = load(text);
    const note = `(not in ${suite?.shown('requirements.yaml') ?? ''})`;
    expect(ds).toEqual([...only(text, 'MAN-99', `unknown requirement id 'MAN-99' ${note}`), ...only(text, 'MAN-99', `unknown requirement id 'MAN-99' ${note}`, 2)]);
  });

  it('a check citing a catalogue id that the scenario does not list', () => {
    const text = variant('status: 200 }', 'status: 200 }\n      - { requirement: RETRY-01, header: retry-after, retryAfter: true }');
    expect(load(text).ds).toEqual(only(text, 'RETRY-01', "check cites 'RETRY-01', which is missing from the scenario's requirements list"));
  });

  it('a listed requirement that no check verifies', () => {
    const text = variant('[KICKOFF-02, STATUS-02]', '[KICKOFF-02, STATUS-02, RETRY-01]');
    expect(load(text).ds).toEqual(only(text, 'RETRY-01', "requirement 'RETRY-01' is listed but no check verifies it"));
  });

  it('a check in poll.expect counts as verifying', () => {
    const text = variant('[KICKOFF-02, STATUS-02]', '[KICKOFF-02, STATUS-02, RETRY-01]').replace(
      '    expect:\n      - { requirement: STATUS-02',
      '    poll:\n      while: { status: [202] }\n      expect:\n        - { requirement: RETRY-01, header: retry-after, retryAfter: true }\n    expect:\n      - { requirement: STATUS-02',
    );
    expect(load(text).ds).toEqual([]);
  });
});

describe('variables', () => {
  it('a ${variable} that nothing defines, at the string that uses it', () => {
    const text = variant('url: "${statusUrl}"', 'url: "${statusUrl}/${jobId}"');
    expect(load(text).ds).toEqual(only(text, '"${statusUrl}/${jobId}"', UNDEFINED('jobId')));
  });

  it('a variable captured in an earlier step is defined; in the same or a later step it is not', () => {
    const later = VALID.replace('path: ${exportPath}', 'path: ${exportPath}/${late}').replace('    expect:\n      - { requirement: STATUS-02', '    capture:\n      late: { header: x }\n    expect:\n      - { requirement: STATUS-02');
    expect(load(later).ds).toEqual(only(later, '${exportPath}/${late}', UNDEFINED('late')));
    const same = VALID.replace('url: "${statusUrl}"', 'url: "${own}"').replace('    expect:\n      - { requirement: STATUS-02', '    capture:\n      own: { header: x }\n    expect:\n      - { requirement: STATUS-02');
    expect(load(same).ds).toEqual(only(same, '"${own}"', UNDEFINED('own')));
  });

  it('variables:, built-ins, --var and forEach bindings are defined; $${...} is a literal', () => {
    const text = VALID.replace('steps:', 'variables: { since: "2024-01-01" }\nsteps:')
      .replace('      path: ${exportPath}', () => '      path: ${exportPath}\n      query: { _since: "${since}", x: "$${literal}", y: "${fromCli}", z: "${baseUrl}" }')
      .replace('  - id: poll\n', '  - id: poll\n    forEach: { in: statusUrl, as: each }\n')
      .replace('url: "${statusUrl}"', 'url: "${each}"');
    suite = writeSuite({ 'demo/ok.yaml': text });
    expect(diagnosticsOf(suite).map((d) => d.message)).toEqual([UNDEFINED('fromCli')]);
    const plan = loadPlan({ suitesDir: suite.dir, vars: { fromCli: 'x' } });
    expect(plan.ok ? [] : plan.diagnostics).toEqual([]);
  });

  it('forEach over an undefined variable, and its binding outside the step', () => {
    const text = VALID.replace('  - id: poll\n', '  - id: poll\n    forEach: { in: nothing, as: item }\n').replace('status: 200 }', 'status: 200 }\n  - id: after\n    request: { method: GET, url: "${item}" }');
    const { ds } = load(text);
    expect(ds.map((d) => [d.line, d.column, d.message])).toEqual([
      [...Object.values(positionOf(text, 'nothing')), "forEach over undefined variable 'nothing'"],
      [...Object.values(positionOf(text, '"${item}"')), UNDEFINED('item')],
    ]);
  });
});

describe('checks', () => {
  it('two subjects', () => {
    const text = variant('{ requirement: KICKOFF-02, status: 202 }', '{ requirement: KICKOFF-02, status: 202, header: location, exists: true }');
    expect(load(text).ds).toEqual(only(text, '{ requirement: KICKOFF-02', 'a check needs exactly one subject (status, header, json, body); found status, header'));
  });

  it('no subject', () => {
    const text = variant('{ requirement: KICKOFF-02, status: 202 }', '{ requirement: KICKOFF-02, exists: true }');
    expect(load(text).ds).toEqual(only(text, '{ requirement: KICKOFF-02', 'a check needs exactly one subject (status, header, json, body); found none'));
  });

  it('a subject without a matcher', () => {
    const text = variant('{ requirement: KICKOFF-02, status: 202 }', '{ requirement: KICKOFF-02, header: content-location, optional: true }');
    expect(load(text).ds).toEqual(only(text, '{ requirement: KICKOFF-02', `a header check needs at least one matcher (${MATCHERS})`));
  });

  it('a status check with a matcher or optional, each at its key (when is allowed: "a 2xx must be 202")', () => {
    const text = variant('{ requirement: KICKOFF-02, status: 202 }', '{ requirement: KICKOFF-02, status: 202, equals: 202, optional: true, when: { status: { between: [200, 299] } } }');
    const { ds } = load(text);
    expect(ds.map((d) => [d.column, d.message])).toEqual([
      [positionOf(text, 'equals').column, "a status check holds its matcher in 'status'; remove equals"],
      [positionOf(text, 'optional').column, 'a status check cannot be optional'],
    ]);
  });

  it('an invalid regular expression in matches', () => {
    const text = variant('{ requirement: KICKOFF-02, status: 202 }', '{ requirement: KICKOFF-02, header: location, matches: "([a-z" }');
    const { ds } = load(text);
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject(positionOf(text, '"([a-z"'));
    expect(ds[0]?.message).toMatch(/^invalid regular expression: .*\/\(\[a-z\/.*/);
  });
});

describe('when conditions', () => {
  it('a subject with matchers, and a status, are accepted', () => {
    const text = variant('{ requirement: KICKOFF-02, status: 202 }', '{ requirement: KICKOFF-02, header: content-type, mediaType: application/fhir+json, when: { status: 500, json: "", operationOutcome: true } }');
    expect(load(text).ds).toEqual([]);
  });

  it('a subject without a matcher', () => {
    const text = variant('{ requirement: KICKOFF-02, status: 202 }', '{ requirement: KICKOFF-02, status: 202, when: { json: /a } }');
    expect(load(text).ds).toEqual(only(text, '{ json: /a }', `a when condition on json needs at least one matcher (${MATCHERS})`));
  });

  it('matchers without a subject, and two subjects, each at the offending key', () => {
    const text = variant('{ requirement: KICKOFF-02, status: 202 }', '{ requirement: KICKOFF-02, status: 202, when: { status: 200, exists: true } }')
      .replace('{ requirement: STATUS-02, status: 200 }', '{ requirement: STATUS-02, status: 200, when: { header: a, body: true, exists: true } }');
    const { ds } = load(text);
    expect(ds.map((d) => [d.line, d.column, d.message])).toEqual([
      [positionOf(text, 'exists').line, positionOf(text, 'exists').column, 'a when condition with matchers needs a subject (header, json or body) for exists'],
      [positionOf(text, 'body: true').line, positionOf(text, 'body: true').column, 'a when condition takes at most one subject besides status (header, json, body); found header, body'],
    ]);
  });

  it('the schema refuses an empty when, an unknown key in it, a check level above SHOULD and a notPast that is no duration', () => {
    const text = variant('{ requirement: KICKOFF-02, status: 202 }', '{ requirement: KICKOFF-02, header: expires, notPast: soon, level: SHALL, when: {} }');
    const messages = load(text).ds.map((d) => d.message);
    expect(messages.some((m) => m.includes('notPast'))).toBe(true);
    expect(messages.some((m) => m.includes('level'))).toBe(true);
    expect(messages.some((m) => m.includes('when'))).toBe(true);
  });

  it('poll.retryAfterKept cites a requirement the scenario lists, and not on a longPoll step', () => {
    const poll = "    request: { method: GET, url: \"${statusUrl}\" }\n    poll: { while: { status: [202] }, retryAfterKept: RETRY-01, longPoll: { wait: 5s, change: completion, requirement: STATUS-02 } }\n";
    const text = variant('    request: { method: GET, url: "${statusUrl}" }\n', poll);
    expect(load(text).ds.map((d) => d.message)).toEqual([
      'retryAfterKept judges ordinary polls; a longPoll step holds its requests instead',
      "retryAfterKept cites 'RETRY-01', which is missing from the scenario's requirements list",
    ]);
  });

  it('contains may refer to an earlier capture, and an undefined one is reported', () => {
    const text = variant('{ requirement: STATUS-02, status: 200 }', '{ requirement: STATUS-02, json: /ids, contains: "${statusUrl}" }');
    expect(load(text).ds).toEqual([]);
    const bad = variant('{ requirement: STATUS-02, status: 200 }', '{ requirement: STATUS-02, json: /ids, contains: "${nope}" }');
    expect(load(bad).ds).toEqual(only(bad, '"${nope}"', "undefined variable '${nope}' in a check (capture it in an earlier step)"));
  });
});

describe('requests', () => {
  it('both path and url', () => {
    const text = variant('      path: ${exportPath}', '      path: ${exportPath}\n      url: http://h/x');
    expect(load(text).ds).toEqual(only(text, 'method: GET', 'request needs exactly one of path or url'));
  });

  it('neither path nor url', () => {
    const text = variant('{ method: GET, url: "${statusUrl}" }', '{ method: GET }');
    expect(load(text).ds).toEqual(only(text, '{ method: GET }', 'request needs exactly one of path or url'));
  });

  it('both json and text, at the text key', () => {
    const text = variant('{ method: GET, url: "${statusUrl}" }', '{ method: POST, url: "${statusUrl}", json: {}, text: x }');
    expect(load(text).ds).toEqual(only(text, 'text', 'request body: give json or text, not both'));
  });
});

describe('every semantic problem of a file in one pass', () => {
  it('reports them all, in source order', () => {
    const text = VALID.replace('id: demo.ok', 'id: demo.wrong')
      .replace('[KICKOFF-02, STATUS-02]', '[KICKOFF-02, STATUS-02, RETRY-01]')
      .replace('{ requirement: KICKOFF-02, status: 202 }', '{ requirement: KICKOFF-02, status: 202, header: x }')
      .replace('  - id: poll', '  - id: kickoff')
      .replace('url: "${statusUrl}"', 'url: "${nope}"');
    expect(load(text).ds.map((d) => d.message.slice(0, 28))).toEqual([
      "scenario id 'demo.wrong' doe",
      "requirement 'RETRY-01' is li",
      'a check needs exactly one su',
      "duplicate step id 'kickoff'",
      "undefined variable '${nope}'",
    ]);
  });
});
