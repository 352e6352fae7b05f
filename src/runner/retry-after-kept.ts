/**
 * `poll.retryAfterKept`: does the server keep its own Retry-After? A 429 to a poll that the
 * harness sent only after waiting as long as the previous answer's Retry-After asked means the
 * advertised wait was not enough (RETRY-03: only a client that polls too often gets 429). Polls
 * that did not keep such a wait (the first of the step, or a wait clamped by maxInterval) are
 * not judged. One result per broken promise, or one passing result when polls kept a wait.
 */
import { buildCheckResult } from '../callbacks/built-in-check.js';
import type { HttpResponse } from '../http/client.js';
import type { CheckResult } from '../model/results.js';
import { formatDuration } from '../util/duration.js';
import type { RunContext } from './context.js';
import type { HonouredWait } from './poll.js';

export interface RetryAfterKeptTracker {
  onThrottled(res: HttpResponse, n: number, honoured: HonouredWait | undefined): void;
  /** Call once polling has ended: the results to add to the step. */
  results(): CheckResult[];
}

const EXPECTED = 'not answered 429 (it waited as long as the previous answer\'s Retry-After asked)';

export function trackRetryAfterKept(requirement: string, ctx: Pick<RunContext, 'catalogue' | 'claims' | 'strict'>, now: { sent(): string; exchange(): number }): RetryAfterKeptTracker {
  const broken: CheckResult[] = [];
  let throttled = 0;
  return {
    onThrottled(res, n, honoured) {
      throttled += 1;
      if (honoured === undefined) return;
      const again = res.headers['retry-after'];
      broken.push(buildCheckResult({
        requirement,
        subject: `poll #${n}`,
        passed: false,
        expected: EXPECTED,
        actual: `429 after waiting ${formatDuration(honoured.waitedMs)}; the previous answer said Retry-After: ${honoured.retryAfter} (${formatDuration(honoured.askedMs)})${again === undefined ? '' : `, this one says Retry-After: ${again}`}`,
        sent: now.sent(),
        exchange: now.exchange(),
      }, ctx));
    },
    results() {
      if (broken.length) return broken;
      const actual = throttled ? `${throttled} 429 answer(s), none to a poll that had kept the wait` : 'no 429 answer';
      return [buildCheckResult({ requirement, subject: 'every poll that waited as Retry-After asked', passed: true, expected: EXPECTED, actual, sent: now.sent() }, ctx)];
    },
  };
}
