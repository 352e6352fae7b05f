import { describe, expect, it } from 'vitest';
import { computeCoverage } from '../../src/app/coverage.js';
import { loadPlan } from '../../src/app/load-plan.js';
import { DEFAULT_SUITES_DIR } from '../../src/app/package-info.js';
import type { Catalogue, Scenario } from '../../src/model/scenario.js';

/**
 * SHALL/SHOULD requirements that have neither a scenario nor a notTested reason yet, each with
 * what is missing. The test checks this list both ways: a new gap fails, and so does a gap that
 * got a scenario but is still listed, so the list only ever shrinks honestly.
 */
const KNOWN_GAPS: Record<string, string> = {
};

function plan(): { catalogue: Catalogue; scenarios: Scenario[] } {
  const p = loadPlan({ suitesDir: DEFAULT_SUITES_DIR });
  if (!p.ok) throw new Error(JSON.stringify(p.diagnostics));
  return p;
}

describe('coverage of the bundled suites', () => {
  it('every SHALL/SHOULD requirement has a scenario or a notTested reason, except the listed gaps', () => {
    const { catalogue, scenarios } = plan();
    expect(computeCoverage(catalogue, scenarios).gaps.sort()).toEqual(Object.keys(KNOWN_GAPS).sort());
  });

  it('no scenario cites a requirement the catalogue lacks', () => {
    const { catalogue, scenarios } = plan();
    expect(computeCoverage(catalogue, scenarios).unknownCited).toEqual([]);
  });
});

describe('computeCoverage', () => {
  const catalogue: Catalogue = {
    file: 'x',
    requirements: new Map([
      ['A-01', { id: 'A-01', level: 'SHALL', summary: 's', source: 's' }],
      ['A-02', { id: 'A-02', level: 'SHOULD', summary: 's', source: 's', notTested: 'client rule' }],
      ['A-03', { id: 'A-03', level: 'MAY', summary: 's', source: 's' }],
      ['A-04', { id: 'A-04', level: 'SHALL', summary: 's', source: 's' }],
    ]),
  };
  const scenario: Scenario = {
    id: 'a.one', title: 't', requirements: ['A-01', 'B-09'], file: 'f', area: 'a',
    steps: [{ id: 's', request: { method: 'GET', path: '/' }, expect: [{ requirement: 'A-01', status: 200 }, { requirement: 'B-09', status: 200 }] }],
  };

  it('reports covered, justified and gap requirements, and ids the catalogue lacks', () => {
    const report = computeCoverage(catalogue, [scenario]);
    expect(report.requirements.map((r) => [r.id, r.status])).toEqual([['A-01', 'covered'], ['A-02', 'not-tested'], ['A-03', 'gap'], ['A-04', 'gap']]);
    expect(report.gaps).toEqual(['A-04']);
    expect(report.unknownCited).toEqual(['B-09']);
    expect(report.areas).toEqual([{ area: 'A', total: 4, covered: 1, notTested: 1, gaps: 2, gapsShallShould: 1 }]);
  });
});
