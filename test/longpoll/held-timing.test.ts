import { describe, expect, it } from 'vitest';
import { judgeHeldRequests, median, type HeldTiming } from '../../src/longpoll/held-timing.js';
import { withPreferWait } from '../../src/longpoll/long-poll.js';

const t = (n: number, sentAt: number, answeredAt: number): HeldTiming => ({ n, sentAt, answeredAt, status: 202, exchange: n });

describe('judging held status requests', () => {
  it('a request answered at the change is in time and shows that the server holds', () => {
    const verdict = judgeHeldRequests([t(1, 0, 480)], { changeAt: 500, slackMs: 1000, baselineMs: 2 });
    expect(verdict).toMatchObject({ late: [], held: true, longestHoldMs: 480, answerAfterChangeMs: -20 });
  });

  it('a request held to the end of its wait after the change is late, by how much', () => {
    const verdict = judgeHeldRequests([t(1, 0, 5000)], { changeAt: 300, slackMs: 1000, baselineMs: 2 });
    expect(verdict.late).toEqual([{ timing: t(1, 0, 5000), afterChangeMs: 4700 }]);
    expect(verdict.answerAfterChangeMs).toBe(4700);
  });

  it('a request sent after the change counts from its own sending', () => {
    expect(judgeHeldRequests([t(2, 2000, 2600)], { changeAt: 300, slackMs: 1000, baselineMs: 2 }).late).toEqual([]);
    expect(judgeHeldRequests([t(2, 2000, 3600)], { changeAt: 300, slackMs: 1000, baselineMs: 2 }).late).toHaveLength(1);
  });

  it('without a seen change nothing is late', () => {
    expect(judgeHeldRequests([t(1, 0, 9000)], { changeAt: undefined, slackMs: 1000, baselineMs: 2 })).toMatchObject({ late: [], held: true });
  });

  it('answers as quick as ordinary ones mean the server does not hold (threshold grows with the target\'s own latency)', () => {
    expect(judgeHeldRequests([t(1, 0, 3), t(2, 100, 104)], { changeAt: 150, slackMs: 1000, baselineMs: 2 })).toMatchObject({ held: false, holdThresholdMs: 27 });
    expect(judgeHeldRequests([t(1, 0, 300)], { changeAt: undefined, slackMs: 1000, baselineMs: 100 })).toMatchObject({ held: false, holdThresholdMs: 400 });
  });

  it('median', () => {
    expect(median([])).toBe(0);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('Prefer: wait=N on the status request', () => {
  it('adds a Prefer header, or appends to the one the step sends', () => {
    const req = { method: 'GET', url: 'http://h/s', headers: { Accept: 'application/json' } };
    expect(withPreferWait(req, 5).headers).toEqual({ Accept: 'application/json', Prefer: 'wait=5' });
    expect(withPreferWait({ ...req, headers: { prefer: 'handling=lenient' } }, 3).headers).toEqual({ prefer: 'handling=lenient, wait=3' });
    expect(req.headers).toEqual({ Accept: 'application/json' });
  });
});
