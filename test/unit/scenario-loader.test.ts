import { afterEach, describe, it, expect } from 'vitest';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPlan } from '../../src/app/load-plan.js';
import { loadCatalogue } from '../../src/scenario/load-catalogue.js';
import { CATALOGUE, VALID, diagnosticsOf, positionOf, variant, removeSuites, writeSuite, type TempSuite } from './scenario-fixtures.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
import { scenarioSchema } from '../../src/scenario/schema.js';

// The allowed-key lists come from the closed schema, which grows as the language does.
const stepSchema = scenarioSchema.properties.steps.items;
const TOP_KEYS = Object.keys(scenarioSchema.properties).join(', ');
const STEP_KEYS = Object.keys(stepSchema.properties).join(', ');
const CHECK_KEYS = Object.keys(stepSchema.properties.expect.items.properties).join(', ');
const REQUEST_KEYS = Object.keys(stepSchema.properties.request.properties).join(', ');
const POLL_KEYS = Object.keys(stepSchema.properties.poll.properties).join(', ');

let suite: TempSuite | undefined;
afterEach(() => {
  removeSuites();
  suite = undefined;
});

/** Load one scenario file at demo/ok.yaml; return its diagnostics. */
function load(text: string, rel = 'demo/ok.yaml') {
  suite = writeSuite({ [rel]: text });
  return { ds: diagnosticsOf(suite), file: suite.shown(rel) };
}

describe('loading a valid suite', () => {
  it('gives scenarios with area, file and step lines, and no diagnostics', () => {
    suite = writeSuite({ 'demo/ok.yaml': VALID });
    const plan = loadPlan({ suitesDir: suite.dir });
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.scenarios).toHaveLength(1);
    const [s] = plan.scenarios;
    expect(s).toMatchObject({ id: 'demo.ok', area: 'demo', file: suite.shown('demo/ok.yaml'), requirements: ['KICKOFF-02', 'STATUS-02'] });
    expect(s?.steps.map((st) => [st.id, st.line])).toEqual([
      ['kickoff', positionOf(VALID, 'id: kickoff').line],
      ['poll', positionOf(VALID, 'id: poll').line],
    ]);
    expect(plan.catalogue.requirements.get('RETRY-01')?.level).toBe('SHOULD');
  });

  it('the real suites/ directory loads with zero diagnostics', () => {
    const plan = loadPlan({ suitesDir: path.join(REPO, 'suites') });
    expect(plan.ok ? [] : plan.diagnostics).toEqual([]);
    expect(plan.ok && plan.scenarios.length).toBeGreaterThan(0);
  });
});

describe('YAML syntax', () => {
  it('reports a syntax error with its position and source line', () => {
    const text = variant('title: A valid scenario\n', 'title: A valid scenario\n\towner: me\n');
    const { ds, file } = load(text);
    expect(ds).toEqual([{ file, line: 3, column: 1, message: 'Tabs are not allowed as indentation', sourceLine: '\towner: me' }]);
  });

  it('reports an unclosed flow sequence where the parser noticed it, and nothing else', () => {
    const text = variant('[KICKOFF-02, STATUS-02]', '[KICKOFF-02, STATUS-02');
    const { ds, file } = load(text);
    expect(ds).toEqual([
      { file, ...positionOf(text, 'steps:'), message: 'Flow sequence in block collection must be sufficiently indented and end with a ]', sourceLine: 'steps:' },
    ]);
  });

  it('reports a duplicate key at the second occurrence', () => {
    const text = variant('title: A valid scenario\n', 'title: A valid scenario\ntitle: Again\n');
    const { ds, file } = load(text);
    expect(ds).toEqual([{ file, ...positionOf(text, 'title: Again'), message: 'Map keys must be unique', sourceLine: 'title: Again' }]);
  });

  it('reports a duplicate key inside a step', () => {
    const text = variant('      method: GET\n', '      method: GET\n      method: POST\n');
    const { ds, file } = load(text);
    expect(ds).toEqual([{ file, ...positionOf(text, 'method: POST'), message: 'Map keys must be unique', sourceLine: '      method: POST' }]);
  });
});

describe('schema problems', () => {
  it('an unknown top-level key: message lists the allowed keys, column points at the key', () => {
    const text = variant('title: A valid scenario\n', 'title: A valid scenario\nowner: me\n');
    const { ds, file } = load(text);
    expect(ds).toEqual([
      { file, ...positionOf(text, 'owner'), message: `unknown key 'owner' (allowed: ${TOP_KEYS})`, sourceLine: 'owner: me' },
    ]);
  });

  it('an unknown step key', () => {
    const text = variant('  - id: poll\n', '  - id: poll\n    retries: 3\n');
    const { ds, file } = load(text);
    expect(ds).toEqual([{ file, ...positionOf(text, 'retries'), message: `at steps[1]: unknown key 'retries' (allowed: ${STEP_KEYS})`, sourceLine: '    retries: 3' }]);
  });

  it('an unknown check key, inside a flow mapping', () => {
    const text = variant('status: 202 }', 'status: 202, severity: high }');
    const { ds, file } = load(text);
    expect(ds).toEqual([
      {
        file,
        ...positionOf(text, 'severity'),
        message: `at steps[0].expect[0]: unknown key 'severity' (allowed: ${CHECK_KEYS})`,
        sourceLine: '      - { requirement: KICKOFF-02, status: 202, severity: high }',
      },
    ]);
  });

  it('an unknown key in a request, and in poll', () => {
    const text = variant('      method: GET\n', '      method: GET\n      body: x\n').replace('    expect:\n      - { requirement: STATUS-02', '    poll: { while: { status: [202] }, every: 5s }\n    expect:\n      - { requirement: STATUS-02');
    const { ds } = load(text);
    expect(ds.map((d) => [d.line, d.column, d.message])).toEqual([
      [positionOf(text, 'body: x').line, positionOf(text, 'body: x').column, `at steps[0].request: unknown key 'body' (allowed: ${REQUEST_KEYS})`],
      [positionOf(text, 'every').line, positionOf(text, 'every').column, `at steps[1].poll: unknown key 'every' (allowed: ${POLL_KEYS})`],
    ]);
  });

  it('a missing required key points at the map that lacks it', () => {
    // A step's request is optional in the schema (validateFiles and waitCallback steps have none); a check's requirement is not.
    const text = variant('{ requirement: STATUS-02, status: 200 }', '{ status: 200 }');
    const { ds, file } = load(text);
    expect(ds).toEqual([{ file, ...positionOf(text, '{ status: 200 }'), message: "at steps[1].expect[0]: missing required key 'requirement'", sourceLine: '      - { status: 200 }' }]);
  });

  it('a missing top-level key points at the start of the document', () => {
    const text = variant('title: A valid scenario\n', '');
    const { ds } = load(text);
    expect(ds.map((d) => [d.line, d.column, d.message])).toEqual([[1, 1, "missing required key 'title'"]]);
  });

  it('a badly formed requirement id', () => {
    const text = variant('requirements: [KICKOFF-02, STATUS-02]', 'requirements: [kickoff-2, STATUS-02]');
    const { ds, file } = load(text);
    expect(ds).toEqual([
      {
        file,
        ...positionOf(text, 'kickoff-2'),
        message: 'at requirements[0]: requirement ids look like AREA-NN, e.g. KICKOFF-02 (must match ^[A-Z][A-Z0-9]*-[0-9]{2,}$)',
        sourceLine: 'requirements: [kickoff-2, STATUS-02]',
      },
    ]);
  });

  it('a duration without a unit, and a bad status form', () => {
    const text = variant('    expect:\n      - { requirement: STATUS-02, status: 200 }', '    poll: { while: { status: [202] }, timeout: 60 }\n    expect:\n      - { requirement: STATUS-02, status: "200" }');
    const { ds } = load(text);
    expect(ds.map((d) => [d.line, d.column, d.message])).toEqual([
      [...Object.values(positionOf(text, '60 }')), "at steps[1].poll.timeout: must be string"],
      [...Object.values(positionOf(text, '"200"')), 'at steps[1].expect[0].status: has none of the allowed forms: integer, or a list of (integer or { between: ... }), or { between: ... }'],
    ]);
  });
});

describe('header lists (separate header lines)', () => {
  it('a header value may be a list of strings, kept in order', () => {
    const text = variant('      path: ${exportPath}\n', '      path: ${exportPath}\n      headers: { Prefer: [respond-async, "handling=lenient"], Accept: application/fhir+json }\n');
    suite = writeSuite({ 'demo/ok.yaml': text });
    const plan = loadPlan({ suitesDir: suite.dir });
    expect(plan.ok && plan.scenarios[0]?.steps[0]?.request?.headers).toEqual({ Prefer: ['respond-async', 'handling=lenient'], Accept: 'application/fhir+json' });
  });

  it('an empty list and a list of non-strings are errors at the header', () => {
    const empty = load(variant('      path: ${exportPath}\n', '      path: ${exportPath}\n      headers: { Prefer: [] }\n'));
    expect(empty.ds.map((d) => d.message)).toEqual(['at steps[0].request.headers.Prefer: has none of the allowed forms: string, or a list of string']);
    const numbers = load(variant('      path: ${exportPath}\n', '      path: ${exportPath}\n      headers: { Prefer: [1, 2] }\n'));
    expect(numbers.ds.map((d) => d.message)).toEqual(['at steps[0].request.headers.Prefer: has none of the allowed forms: string, or a list of string']);
  });
});

describe('one pass over every file', () => {
  it('reports every problem of every file, sorted by file and position, before anything runs', () => {
    const syntax = variant('title: A valid scenario\n', 'title: A valid scenario\ntitle: again\n');
    const schema = variant('id: demo.ok', 'id: demo.b\nowner: x');
    const semantic = variant('id: demo.ok', 'id: demo.c').replace('url: "${statusUrl}"', 'url: "${nope}"').replace('status: 202 }', 'status: 202, header: x }');
    suite = writeSuite({ 'demo/a.yaml': syntax.replace('demo.ok', 'demo.a'), 'demo/b.yaml': schema, 'demo/c.yaml': semantic, 'demo/d.yaml': VALID.replace('demo.ok', 'demo.d') });
    const ds = diagnosticsOf(suite);
    expect(ds.map((d) => [d.file, d.line, d.message.slice(0, 30)])).toEqual([
      [suite.shown('demo/a.yaml'), 3, 'Map keys must be unique'],
      [suite.shown('demo/b.yaml'), 2, "unknown key 'owner' (allowed: "],
      [suite.shown('demo/c.yaml'), positionOf(semantic, '{ requirement: KICKOFF').line, 'a check needs exactly one subj'],
      [suite.shown('demo/c.yaml'), positionOf(semantic, '${nope}').line, "undefined variable '${nope}' ("],
    ]);
  });

  it('reports catalogue and scenario problems together', () => {
    suite = writeSuite({ 'demo/ok.yaml': `${VALID}owner: me\n` }, CATALOGUE.replace('level: SHOULD', 'level: OUGHT'));
    const ds = diagnosticsOf(suite);
    expect(ds.map((d) => [d.file, d.message])).toEqual([
      [suite.shown('demo/ok.yaml'), `unknown key 'owner' (allowed: ${TOP_KEYS})`],
      [suite.shown('requirements.yaml'), 'at requirements[2].level: must be one of: SHALL, SHALL NOT, SHOULD, SHOULD NOT, MAY, proposal'],
    ]);
  });
});

describe('loadCatalogue', () => {
  it('reports a duplicate requirement id at the second occurrence, keeping the first', () => {
    const text = CATALOGUE + '  - id: KICKOFF-02\n    level: MAY\n    summary: Again.\n    source: test\n';
    suite = writeSuite({}, text);
    const { catalogue, diagnostics } = loadCatalogue(suite.abs('requirements.yaml'));
    expect(diagnostics).toEqual([
      { file: suite.shown('requirements.yaml'), ...positionOf(text, 'KICKOFF-02', 2), message: "duplicate requirement id 'KICKOFF-02'", sourceLine: '  - id: KICKOFF-02' },
    ]);
    expect(catalogue.requirements.get('KICKOFF-02')?.level).toBe('SHALL');
    expect([...catalogue.requirements.keys()]).toEqual(['KICKOFF-02', 'STATUS-02', 'RETRY-01']);
  });

  it('reports a missing catalogue file', () => {
    suite = writeSuite({}, null);
    const { diagnostics } = loadCatalogue(suite.abs('requirements.yaml'));
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ line: 1, column: 1 });
    expect(diagnostics[0]?.message).toMatch(/^cannot read requirement catalogue: ENOENT/);
  });

  it('reports an unknown key and a missing summary', () => {
    const text = CATALOGUE.replace('    summary: 202 while the job runs.\n', '    note: x\n');
    suite = writeSuite({}, text);
    const { diagnostics } = loadCatalogue(suite.abs('requirements.yaml'));
    expect(diagnostics.map((d) => [d.line, d.column, d.message.split(' (allowed')[0]])).toEqual([
      [positionOf(text, 'id: STATUS-02').line, positionOf(text, 'id: STATUS-02').column, "at requirements[1]: missing required key 'summary'"],
      [positionOf(text, 'note').line, positionOf(text, 'note').column, "at requirements[1]: unknown key 'note'"],
    ]);
  });
});
