import { describe, it, expect } from 'vitest';
import { severityOf } from '../../src/assert/severity.js';
import type { CheckResult, Outcome, RequirementLevel, StepResult } from '../../src/model/results.js';
import { rollUpChecks, rollUpSteps } from '../../src/runner/outcome.js';

function check(level: RequirementLevel, passed: boolean, strict = false): CheckResult {
  return { requirement: 'X-01', level, severity: severityOf(level, strict), passed, subject: 'status', expected: '200', actual: passed ? '200' : '500', message: '' };
}

const step = (outcome: Outcome): StepResult => ({ id: `s-${outcome}`, outcome, durationMs: 0, checks: [] });
const steps = (...outcomes: Outcome[]): StepResult[] => outcomes.map(step);

describe('severityOf', () => {
  it.each([
    ['SHALL', false, 'failure'],
    ['SHALL NOT', false, 'failure'],
    ['SHOULD', false, 'warning'],
    ['SHOULD NOT', false, 'warning'],
    ['SHOULD', true, 'failure'],
    ['SHOULD NOT', true, 'failure'],
    ['MAY', false, 'information'],
    ['MAY', true, 'information'],
    ['proposal', false, 'information'],
    ['proposal', true, 'information'],
    ['SHALL', true, 'failure'],
  ] as const)('%s (strict: %s) -> %s', (level, strict, severity) => {
    expect(severityOf(level, strict)).toBe(severity);
  });
});

describe('rollUpChecks', () => {
  it('passes with no checks, or when every check passed', () => {
    expect(rollUpChecks([])).toBe('passed');
    expect(rollUpChecks([check('SHALL', true), check('SHOULD', true)])).toBe('passed');
  });

  it('fails when a SHALL or SHALL NOT check failed', () => {
    expect(rollUpChecks([check('SHALL', true), check('SHALL', false)])).toBe('failed');
    expect(rollUpChecks([check('SHALL NOT', false)])).toBe('failed');
  });

  it('warns when only a SHOULD check failed', () => {
    expect(rollUpChecks([check('SHALL', true), check('SHOULD', false)])).toBe('warned');
    expect(rollUpChecks([check('SHOULD NOT', false)])).toBe('warned');
  });

  it('fails for a SHOULD miss under --strict', () => {
    expect(rollUpChecks([check('SHOULD', false, true)])).toBe('failed');
  });

  it('a failed SHALL outranks a missed SHOULD, whatever the order', () => {
    expect(rollUpChecks([check('SHOULD', false), check('SHALL', false)])).toBe('failed');
    expect(rollUpChecks([check('SHALL', false), check('SHOULD', false)])).toBe('failed');
  });

  it('a missed MAY (or proposal) is information only: the step passes', () => {
    expect(rollUpChecks([check('MAY', false)])).toBe('passed');
    expect(rollUpChecks([check('proposal', false), check('SHALL', true)])).toBe('passed');
    expect(rollUpChecks([check('MAY', false), check('SHOULD', false)])).toBe('warned');
  });
});

describe('rollUpSteps', () => {
  it('passes when every step passed', () => {
    expect(rollUpSteps(steps('passed', 'passed'))).toBe('passed');
  });

  it('failed outranks errored, in either order', () => {
    expect(rollUpSteps(steps('errored', 'failed'))).toBe('failed');
    expect(rollUpSteps(steps('failed', 'errored'))).toBe('failed');
  });

  it('errored outranks warned and passed', () => {
    expect(rollUpSteps(steps('warned', 'errored', 'passed'))).toBe('errored');
  });

  it('warned outranks passed and skipped', () => {
    expect(rollUpSteps(steps('passed', 'warned', 'skipped'))).toBe('warned');
  });

  it('is skipped only when every step was skipped', () => {
    expect(rollUpSteps(steps('skipped', 'skipped'))).toBe('skipped');
    expect(rollUpSteps(steps('skipped', 'passed'))).toBe('passed');
  });

  it('failed outranks everything', () => {
    expect(rollUpSteps(steps('skipped', 'warned', 'errored', 'passed', 'failed'))).toBe('failed');
  });

  it('an empty step list is passed, not skipped', () => {
    expect(rollUpSteps([])).toBe('passed');
  });
});
