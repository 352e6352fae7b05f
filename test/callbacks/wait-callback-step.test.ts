import { createHmac } from 'node:crypto';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { CallbackReceiver } from '../../src/callbacks/callback-receiver.js';
import { openCallbackEndpoints } from '../../src/callbacks/scenario-endpoints.js';
import { runWaitCallbackStep } from '../../src/callbacks/wait-callback-step.js';
import type { Check, Scenario, Step, WaitCallbackSpec } from '../../src/model/scenario.js';
import type { Clock } from '../../src/runner/clock.js';
import type { RunContext, ScenarioState } from '../../src/runner/context.js';
import { interpolate } from '../../src/runner/variables.js';
import { buildState, buildStepContext } from './step-context.js';

const SECRET = 'test-secret-for-hmac-0123456789';
const instantClock: Clock = {
  now: () => Date.now(),
  sleep: (_ms, signal) => (signal.aborted ? Promise.reject(signal.reason as Error) : Promise.resolve()),
};

const receivers: CallbackReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function setUp(clock?: Clock): Promise<{ ctx: RunContext; state: ScenarioState; url: string }> {
  const receiver = await CallbackReceiver.start({ host: '127.0.0.1', port: 0 });
  receivers.push(receiver);
  const ctx = buildStepContext({ receiver, credentials: { secret: SECRET }, ...(clock ? { clock } : {}) });
  const state = buildState();
  const scenario = { callbacks: { callbackUrl: {} } } as Pick<Scenario, 'callbacks'>;
  expect(openCallbackEndpoints(scenario as Scenario, ctx, state)).toBeUndefined();
  return { ctx, state, url: String(state.vars.get('callbackUrl')) };
}

function parametersBody(status: string): string {
  return JSON.stringify({
    resourceType: 'Parameters',
    parameter: [
      { name: 'status', valueCode: status },
      { name: 'resultUrl', valueUrl: 'https://fhir.example/_async/1' },
    ],
  });
}

async function callBack(url: string, body: string, headers: Record<string, string> = {}): Promise<void> {
  const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
  const res = await request(url, { method: 'POST', body, headers: { 'content-type': 'application/fhir+json', 'x-callback-signature': signature, ...headers } });
  await res.body.dump();
}

const CHECKS: Check[] = [
  { requirement: 'CALLBACK-05', header: 'content-type', mediaType: 'application/fhir+json' },
  { requirement: 'CALLBACK-03', json: '/parameters/status', equals: 'completed' },
  { requirement: 'CALLBACK-04', json: '/authentication', oneOf: ['hmac-sha256', 'bearer'] },
];

function step(spec: Partial<WaitCallbackSpec> = {}, extra: Partial<Step> = {}): Step & { waitCallback: WaitCallbackSpec } {
  return {
    id: 'callback',
    waitCallback: { for: 'callbackUrl', requirement: 'CALLBACK-02', timeout: '5s', settle: '0ms', ...spec },
    expect: CHECKS,
    capture: { resultUrl: { json: '/parameters/resultUrl' } },
    ...extra,
  };
}

const noVariables = (c: Check): Check => c;

describe('waitCallback step', () => {
  it('passes on exactly one signed Parameters POST, records it in the transcript and captures from the view', async () => {
    const { ctx, state, url } = await setUp();
    await callBack(url, parametersBody('completed'), { authorization: 'Bearer do-not-show-me' });
    const result = await runWaitCallbackStep(step(), ctx, state, noVariables);
    expect(result.outcome, JSON.stringify(result.checks, null, 1)).toBe('passed');
    expect(result.checks.map((c) => [c.requirement, c.passed])).toEqual([
      ['CALLBACK-02', true],
      ['CALLBACK-05', true],
      ['CALLBACK-03', true],
      ['CALLBACK-04', true],
    ]);
    expect(state.vars.get('resultUrl')).toBe('https://fhir.example/_async/1');
    expect(state.exchanges).toHaveLength(1);
    expect(state.exchanges[0]?.label).toBe('callback callback#1 (received)');
    expect(state.exchanges[0]?.request.headers['authorization']).toBe('Bearer <redacted>');
    expect(JSON.stringify(state.exchanges)).not.toContain('do-not-show-me');
  });

  it('fails the step requirement when nothing arrives, without judging the content of a callback that never came', async () => {
    const { ctx, state } = await setUp(instantClock);
    const result = await runWaitCallbackStep(step(), ctx, state, noVariables);
    expect(result.outcome).toBe('failed');
    expect(result.checks).toHaveLength(1);
    expect(result.checks[0]).toMatchObject({ requirement: 'CALLBACK-02', passed: false, severity: 'failure', actual: 'none arrived' });
    expect(result.checks[0]?.message).toContain('expected: callback requests exactly one within 5.0s');
    expect(result.reason).toMatch(/no callback arrived within 5\.0s: nothing to capture/);
  });

  it('fails on a second POST within the settle window, and flags a wrong status code and a bad signature', async () => {
    const { ctx, state, url } = await setUp();
    await callBack(url, parametersBody('done'));
    await callBack(url, parametersBody('done'), { 'x-callback-signature': 'sha256=00' });
    const result = await runWaitCallbackStep(step(), ctx, state, noVariables);
    expect(result.outcome).toBe('failed');
    const failed = result.checks.filter((c) => !c.passed);
    expect(failed.map((c) => c.requirement)).toEqual(['CALLBACK-02', 'CALLBACK-03']);
    expect(failed[0]?.actual).toMatch(/^2 requests \(POST, POST; the second .* after the first\)$/);
    expect(state.exchanges.map((e) => e.label)).toEqual(['callback callback#1 (received)', 'callback callback#2 (received)']);
  });

  it('warns (SHOULD) when the callback is unsigned', async () => {
    const { ctx, state, url } = await setUp();
    const res = await request(url, { method: 'POST', body: parametersBody('completed'), headers: { 'content-type': 'application/fhir+json' } });
    await res.body.dump();
    const result = await runWaitCallbackStep(step(), ctx, state, noVariables);
    expect(result.outcome).toBe('warned');
    expect(result.checks.find((c) => !c.passed)).toMatchObject({ requirement: 'CALLBACK-04', severity: 'warning', actual: '"none"' });
  });

  it('resolves ${variables} in checks through the runner', async () => {
    const { ctx, state, url } = await setUp();
    state.vars.set('expectedStatus', 'completed');
    await callBack(url, parametersBody('completed'));
    const resolve = (c: Check): Check => (typeof c.equals === 'string' ? { ...c, equals: interpolate(c.equals, state.vars) } : c);
    const check: Check = { requirement: 'CALLBACK-03', json: '/parameters/status', equals: '${expectedStatus}' };
    const result = await runWaitCallbackStep(step({}, { expect: [check] }), ctx, state, resolve);
    expect(result.checks.map((c) => c.passed)).toEqual([true, true]);
  });

  it('measures the arrival against the answers of the step named in after', async () => {
    const { ctx, state, url } = await setUp();
    const now = Date.now();
    const exchange = (label: string, status: number, at: number): ScenarioState['exchanges'][number] => ({
      label,
      request: { method: 'GET', url: 'https://fhir.example/_async/1', headers: {} },
      response: { status, headers: {}, bodyExcerpt: '', bodyBytes: 0, truncated: false },
      startedAt: new Date(at).toISOString(),
      durationMs: 0,
    });
    state.exchanges.push(exchange('poll poll#1', 202, now - 400), exchange('poll poll#2', 200, now + 60_000));
    await callBack(url, parametersBody('completed'));
    await runWaitCallbackStep(step({ after: 'poll' }), ctx, state, noVariables);
    const names = (state.measurements ?? []).map((m) => [m.name, m.unit]);
    expect(names).toEqual([['callback-after-final-answer', 'ms'], ['callback-after-last-running-answer', 'ms']]);
    const [afterFinal, afterRunning] = state.measurements ?? [];
    expect(afterFinal?.value).toBeLessThan(0);
    expect(afterRunning?.value).toBeGreaterThanOrEqual(400);
  });

  it('errors (a harness problem, not a verdict) when the scenario has no such endpoint', async () => {
    const { ctx, state } = await setUp();
    const result = await runWaitCallbackStep(step({ for: 'otherUrl' }), ctx, state, noVariables);
    expect(result.outcome).toBe('errored');
    expect(result.reason).toMatch(/no callback endpoint 'otherUrl'/);
  });

  it('cannot set up callbacks without a receiver', () => {
    const ctx = buildStepContext();
    const scenario = { callbacks: { callbackUrl: {} } } as Pick<Scenario, 'callbacks'>;
    expect(openCallbackEndpoints(scenario as Scenario, ctx, buildState())).toMatch(/no callback receiver is running/);
  });
});
