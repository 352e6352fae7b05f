import type { Catalogue, Requirement, Scenario } from '../model/scenario.js';

export interface RequirementCoverage {
  id: string;
  level: Requirement['level'];
  summary: string;
  appliesTo?: string[];
  /** Scenarios with at least one check citing the requirement. */
  scenarios: string[];
  notTested?: string;
  status: 'covered' | 'not-tested' | 'gap';
}

export interface CoverageReport {
  requirements: RequirementCoverage[];
  /** Per area (the id's prefix): how many requirements are covered, justified, or gaps. */
  areas: { area: string; total: number; covered: number; notTested: number; gaps: number; gapsShallShould: number }[];
  /** SHALL/SHOULD requirements with neither a scenario nor a notTested reason. */
  gaps: string[];
  /** Requirement ids cited by scenarios but missing from the catalogue (the loader also rejects these). */
  unknownCited: string[];
}

const SHALL_OR_SHOULD = new Set(['SHALL', 'SHALL NOT', 'SHOULD', 'SHOULD NOT']);

/** Requirement -> scenarios, from the checks the scenarios actually make (not just what they list). */
export function computeCoverage(catalogue: Catalogue, scenarios: readonly Scenario[]): CoverageReport {
  const cited = new Map<string, Set<string>>();
  for (const s of scenarios) {
    for (const step of s.steps) {
      const checked = [...(step.expect ?? []), ...(step.poll?.expect ?? [])].map((c) => c.requirement);
      // waitCallback, poll.longPoll and poll.retryAfterKept make a built-in check citing their requirement; a
      // validateFiles step cites one requirement per kind of file check.
      const builtIn = [step.waitCallback?.requirement, step.poll?.longPoll?.requirement, step.poll?.retryAfterKept, ...Object.values(step.validateFiles?.checks ?? {})]
        .filter((r): r is string => r !== undefined);
      for (const requirement of [...checked, ...builtIn]) {
        const set = cited.get(requirement) ?? new Set<string>();
        set.add(s.id);
        cited.set(requirement, set);
      }
    }
  }
  const requirements: RequirementCoverage[] = [...catalogue.requirements.values()].map((r) => {
    const by = [...(cited.get(r.id) ?? [])].sort();
    const status = by.length ? 'covered' : r.notTested ? 'not-tested' : 'gap';
    return {
      id: r.id, level: r.level, summary: r.summary, scenarios: by, status,
      ...(r.appliesTo ? { appliesTo: r.appliesTo } : {}),
      ...(r.notTested ? { notTested: r.notTested } : {}),
    };
  });
  const areaNames = [...new Set(requirements.map((r) => areaOf(r.id)))];
  const areas = areaNames.map((area) => {
    const rs = requirements.filter((r) => areaOf(r.id) === area);
    return {
      area,
      total: rs.length,
      covered: rs.filter((r) => r.status === 'covered').length,
      notTested: rs.filter((r) => r.status === 'not-tested').length,
      gaps: rs.filter((r) => r.status === 'gap').length,
      gapsShallShould: rs.filter((r) => r.status === 'gap' && SHALL_OR_SHOULD.has(r.level)).length,
    };
  });
  const gaps = requirements.filter((r) => r.status === 'gap' && SHALL_OR_SHOULD.has(r.level)).map((r) => r.id);
  const unknownCited = [...cited.keys()].filter((id) => !catalogue.requirements.has(id)).sort();
  return { requirements, areas, gaps, unknownCited };
}

export function areaOf(id: string): string {
  return id.replace(/-[0-9]+$/, '');
}
