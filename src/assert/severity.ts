import type { RequirementLevel, Severity } from '../model/results.js';

/** SHALL broken -> failure; SHOULD missed -> warning (failure under --strict); MAY/proposal -> information. */
export function severityOf(level: RequirementLevel, strict = false): Severity {
  switch (level) {
    case 'SHALL':
    case 'SHALL NOT':
      return 'failure';
    case 'SHOULD':
    case 'SHOULD NOT':
      return strict ? 'failure' : 'warning';
    case 'MAY':
    case 'proposal':
      return 'information';
  }
}
