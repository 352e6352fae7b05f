import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startReferenceServer, type RunningReferenceServer } from '../../reference-server/index.js';
import type { HttpResponse } from '../../src/http/client.js';
import type { CheckResult, HeaderValue } from '../../src/model/results.js';
import type { LongPollSpec } from '../../src/model/scenario.js';
import { systemClock } from '../../src/runner/clock.js';
import { DEFAULT_POLL_POLICY, type PollResult } from '../../src/runner/poll.js';
import { pollHoldingRequests } from '../../src/longpoll/long-poll.js';
import { buildState, buildStepContext } from '../callbacks/step-context.js';

const servers: RunningReferenceServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

interface Held {
  result: PollResult;
  checks: CheckResult[];
  labels: string[];
  /** The Prefer header each exchange sent, by label. */
  sent: Map<string, HeaderValue | undefined>;
}

/** Kick off an export on a fresh reference server, then poll its status URL with held requests. */
async function holdOn(spec: LongPollSpec, faults: string[] = []): Promise<Held> {
  const server = await startReferenceServer({ host: '127.0.0.1', port: 0, jobDurationMs: 300, retryAfter: { form: 'seconds', seconds: 0 }, faults });
  servers.push(server);
  // Everything slow (loading the catalogue) happens before the 300 ms job starts.
  const ctx = buildStepContext({ baseUrl: server.baseUrl });
  const kickoff = await request(`${server.baseUrl}/$export`, { headers: { prefer: 'respond-async', accept: 'application/fhir+json' } });
  await kickoff.body.dump();
  const statusUrl = String(kickoff.headers['content-location']);
  const state = buildState();
  const checks: CheckResult[] = [];
  const result = await pollHoldingRequests(
    {
      policy: { ...DEFAULT_POLL_POLICY, intervalMs: 100, minIntervalMs: 50 },
      clock: systemClock,
      signal: state.signal,
      keepPolling: (res: HttpResponse) => res.status === 202 || res.status === 429,
    },
    {
      spec,
      req: { method: 'GET', url: statusUrl, headers: { Accept: 'application/json' } },
      label: 'lp',
      stepId: 'lp',
      send: async (req, label) => {
        const sent = await ctx.client.send(req, label, state.signal);
        state.exchanges.push(sent.exchange);
        return sent;
      },
      ctx,
      state,
      checks,
    },
  );
  await ctx.client.close();
  return { result, checks, labels: state.exchanges.map((e) => e.label), sent: new Map(state.exchanges.map((e) => [e.label, e.request.headers['Prefer']])) };
}

const timing = (held: Held): CheckResult | undefined => held.checks.find((c) => c.subject === 'held status requests');
const holding = (held: Held): CheckResult | undefined => held.checks.find((c) => c.subject === 'long polling');

describe('long polling against the reference server', () => {
  it('completion: the held request is answered when the export completes', async () => {
    const held = await holdOn({ wait: '3s', change: 'completion', requirement: 'LONGPOLL-01', slack: '1s' });
    expect(held.result.kind === 'done' && held.result.response.status).toBe(200);
    expect(held.sent.get('lp held#1')).toBe('wait=3');
    expect(timing(held)).toMatchObject({ passed: true, requirement: 'LONGPOLL-01' });
    expect(holding(held)).toMatchObject({ passed: true, severity: 'information', level: 'MAY' });
  });

  it('completion: a server that holds past the completion fails the requirement (SHOULD under a longpoll claim)', async () => {
    const held = await holdOn({ wait: '3s', change: 'completion', requirement: 'LONGPOLL-01', slack: '1s' }, ['longpoll-ignores-completion']);
    expect(held.labels.some((l) => l.startsWith('lp observer#'))).toBe(true);
    expect(timing(held)).toMatchObject({ passed: false, severity: 'warning' });
    expect(timing(held)?.actual).toMatch(/^held#1 was answered .* after the completion \(held .* of wait=3\)$/);
  });

  it('cancel: the held request is answered when the DELETE is, and a held request past it fails', async () => {
    const spec: LongPollSpec = { wait: '3s', change: 'cancel', cancelAfter: '50ms', requirement: 'LONGPOLL-01', slack: '1s' };
    const clean = await holdOn(spec);
    expect(clean.labels).toContain('lp cancel');
    expect(clean.result.kind === 'done' && clean.result.response.status).toBe(404);
    expect(timing(clean)?.passed).toBe(true);
    const broken = await holdOn(spec, ['longpoll-ignores-completion']);
    expect(timing(broken)).toMatchObject({ passed: false, requirement: 'LONGPOLL-01' });
  });

  it('cancel: stops after one answer once the DELETE was answered, whatever the status URL keeps saying', async () => {
    const held = await holdOn({ wait: '3s', change: 'cancel', cancelAfter: '50ms', requirement: 'LONGPOLL-01' }, ['status-202-after-cancel']);
    expect(held.result.kind).toBe('done');
    expect(held.labels.filter((l) => l.startsWith('lp held#')).length).toBeLessThan(5);
  });
});
