import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../src/model/results.js';
import { parseRetryAfter } from '../../src/protocol/retry-after.js';
import { runBundled } from '../helpers/run-bundled.js';

/** The poll exchanges of the kick-off/poll scenario, in order. */
async function pollExchanges(retryAfter: { form: 'seconds' | 'http-date'; seconds: number }): Promise<Exchange[]> {
  const { outcome, output } = await runBundled({
    grep: ['bulk.kickoff-poll-complete'],
    bundled: { jobDurationMs: 2_200, retryAfter },
  });
  if (outcome.kind !== 'finished') throw new Error(JSON.stringify(outcome));
  const scenario = outcome.run.scenarios[0];
  expect(scenario?.outcome, output).toBe('passed');
  return (scenario?.exchanges ?? []).filter((e) => e.label.startsWith('poll '));
}

/** For each in-progress poll, the earliest moment the server allowed the next one, and when it came. */
function spacing(polls: Exchange[]): { allowedAt: number; sentAt: number }[] {
  const out: { allowedAt: number; sentAt: number }[] = [];
  for (let i = 0; i + 1 < polls.length; i++) {
    const current = polls[i];
    const next = polls[i + 1];
    if (!current?.response || !next) continue;
    const arrived = Date.parse(current.startedAt) + current.durationMs;
    const header = current.response.headers['retry-after'];
    const parsed = parseRetryAfter(header, arrived);
    if (!parsed) throw new Error(`poll without a valid Retry-After: ${String(header)}`);
    const allowedAt = parsed.kind === 'delay' ? arrived + parsed.seconds * 1000 : parsed.at;
    out.push({ allowedAt, sentAt: Date.parse(next.startedAt) });
  }
  return out;
}

// Real loopback HTTP against the bundled server. These assert an ordering (never poll before the
// server allows), not a speed: the bound comes from the server's own Retry-After values.
describe('the poller honours Retry-After from a real server', () => {
  it('delay-seconds: every next poll is sent no earlier than the delay after the response arrived', async () => {
    const polls = await pollExchanges({ form: 'seconds', seconds: 1 });
    expect(polls.length).toBeGreaterThanOrEqual(3);
    for (const { allowedAt, sentAt } of spacing(polls)) expect(sentAt).toBeGreaterThanOrEqual(allowedAt - 2);
  });

  it('HTTP-date: every next poll is sent no earlier than the date', async () => {
    const polls = await pollExchanges({ form: 'http-date', seconds: 1 });
    expect(polls.length).toBeGreaterThanOrEqual(2);
    expect(polls[0]?.response?.headers['retry-after']).toMatch(/GMT$/);
    for (const { allowedAt, sentAt } of spacing(polls)) expect(sentAt).toBeGreaterThanOrEqual(allowedAt - 2);
  });
});
