import { afterEach, describe, expect, it } from 'vitest';
import { removeSuites, writeSuite } from '../unit/scenario-fixtures.js';
import { computeCoverage } from '../../src/app/coverage.js';
import { loadPlan } from '../../src/app/load-plan.js';

const CATALOGUE = `requirements:
  - id: KICKOFF-02
    level: SHALL
    summary: A kick-off is 202 with Content-Location.
    source: test
  - id: CALLBACK-02
    level: proposal
    summary: One POST per job.
    source: test
  - id: CALLBACK-03
    level: proposal
    summary: The payload.
    source: test
  - id: LONGPOLL-01
    level: proposal
    summary: Held polls answered on change.
    source: test
`;

const VALID = `id: demo.cb
title: A callback scenario
requirements: [KICKOFF-02, CALLBACK-02, CALLBACK-03, LONGPOLL-01]
callbacks:
  callbackUrl: {}
  failingUrl: { respond: 500 }
steps:
  - id: kickoff
    request:
      method: GET
      path: /x
      headers: { Prefer: 'respond-async, callback-url="\${callbackUrl}"' }
    expect:
      - { requirement: KICKOFF-02, status: 202 }
    capture:
      statusUrl: { header: content-location }
  - id: poll
    request: { method: GET, url: "\${statusUrl}" }
    poll:
      while: { status: [202] }
      longPoll: { wait: 5s, change: completion, requirement: LONGPOLL-01 }
  - id: callback
    waitCallback: { for: callbackUrl, requirement: CALLBACK-02, timeout: 5s, settle: 500ms, after: poll }
    expect:
      - { requirement: CALLBACK-03, json: /parameters/status, equals: completed }
    capture:
      resultUrl: { json: /parameters/resultUrl }
  - id: result
    request: { method: GET, url: "\${resultUrl}" }
`;

afterEach(() => removeSuites());

function problems(text: string): string[] {
  const suite = writeSuite({ 'demo/cb.yaml': text }, CATALOGUE);
  const plan = loadPlan({ suitesDir: suite.dir });
  return plan.ok ? [] : plan.diagnostics.map((d) => `${d.line}: ${d.message}`);
}

/** 1-based line of the first occurrence of `needle`. */
function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`'${needle}' not in the text`);
  return text.slice(0, index).split('\n').length;
}

function variant(from: string, to: string): string {
  if (!VALID.includes(from)) throw new Error(`'${from}' not in the scenario`);
  return VALID.replace(from, () => to);
}

describe('callbacks, waitCallback and poll.longPoll in scenario files', () => {
  it('loads a scenario whose requirements are cited only by waitCallback and longPoll', () => {
    expect(problems(VALID)).toEqual([]);
    const plan = loadPlan({ suitesDir: writeSuite({ 'demo/cb.yaml': VALID }, CATALOGUE).dir });
    if (!plan.ok) throw new Error('expected a plan');
    const scenario = plan.scenarios[0];
    expect(scenario?.callbacks).toEqual({ callbackUrl: {}, failingUrl: { respond: 500 } });
    expect(scenario?.steps[2]?.waitCallback).toEqual({ for: 'callbackUrl', requirement: 'CALLBACK-02', timeout: '5s', settle: '500ms', after: 'poll' });
  });

  it('coverage counts the requirements that waitCallback and longPoll cite', () => {
    const plan = loadPlan({ suitesDir: writeSuite({ 'demo/cb.yaml': VALID }, CATALOGUE).dir });
    if (!plan.ok) throw new Error('expected a plan');
    const covered = computeCoverage(plan.catalogue, plan.scenarios).requirements.filter((r) => r.status === 'covered').map((r) => r.id);
    expect(covered).toEqual(['KICKOFF-02', 'CALLBACK-02', 'CALLBACK-03', 'LONGPOLL-01']);
  });

  it('refuses a waitCallback for an endpoint the scenario does not declare', () => {
    const text = variant('for: callbackUrl', 'for: otherUrl');
    expect(problems(text)).toEqual([`${lineOf(text, 'for: otherUrl')}: 'otherUrl' is not a callback of this scenario (declare it: callbacks: { otherUrl: {} })`]);
  });

  it('refuses after: naming a later or unknown step', () => {
    const text = variant('after: poll', 'after: result');
    expect(problems(text)).toEqual([`${lineOf(text, 'after: result')}: after: 'result' is not an earlier step of this scenario`]);
  });

  it('a waitCallback step sends nothing, so it cannot also have a request', () => {
    const text = variant('  - id: callback\n', '  - id: callback\n    request: { method: GET, url: "${statusUrl}" }\n');
    expect(problems(text)).toEqual([`${lineOf(text, '    request: { method: GET, url: "${statusUrl}" }\n    waitCallback')}: a waitCallback step sends nothing: it waits for the target's request; remove 'request'`]);
  });

  it('the requirement a waitCallback cites must be listed', () => {
    expect(problems(variant('requirement: CALLBACK-02, timeout', 'requirement: KICKOFF-02, timeout').replace('KICKOFF-02, CALLBACK-02, ', 'KICKOFF-02, '))).toEqual([]);
    const text = variant('[KICKOFF-02, CALLBACK-02, CALLBACK-03, LONGPOLL-01]', '[KICKOFF-02, CALLBACK-03, LONGPOLL-01]');
    expect(problems(text)).toEqual([`${lineOf(text, '  - id: callback')}: the step cites 'CALLBACK-02', which is missing from the scenario's requirements list`]);
  });

  it('a listed requirement cited by nothing is still reported', () => {
    const text = variant('longPoll: { wait: 5s, change: completion, requirement: LONGPOLL-01 }', 'interval: 1s').replace('CALLBACK-03, LONGPOLL-01]', 'CALLBACK-03]');
    expect(problems(text)).toEqual([]);
    expect(problems(variant('longPoll: { wait: 5s, change: completion, requirement: LONGPOLL-01 }', 'interval: 1s'))).toEqual([
      "3: requirement 'LONGPOLL-01' is listed but no check verifies it",
    ]);
  });

  it('a callback name may not hide another variable, and respond must be 2xx or an error', () => {
    const clash = variant('  failingUrl: { respond: 500 }', '  baseUrl: {}');
    expect(problems(clash)).toEqual([`${lineOf(clash, 'baseUrl')}: callback 'baseUrl' has the name of another variable; the receiver URL would hide it (rename one)`]);
    const redirect = variant('respond: 500', 'respond: 302');
    expect(problems(redirect)).toEqual([`${lineOf(redirect, '302')}: respond 302: answer a 2xx (callback taken) or a 4xx/5xx error (callback refused)`]);
  });

  it('longPoll wants whole seconds for wait, and cancelAfter only with change: cancel', () => {
    const ms = variant('wait: 5s', 'wait: 500ms');
    expect(problems(ms)).toEqual([`${lineOf(ms, 'longPoll')}: at steps[1].poll.longPoll.wait: invalid value (must match ^[1-9][0-9]{0,3}s$)`]);
    const cancel = variant('change: completion', 'change: completion, cancelAfter: 50ms');
    expect(problems(cancel)).toEqual([`${lineOf(cancel, 'longPoll')}: cancelAfter applies to change: cancel only`]);
  });
});
