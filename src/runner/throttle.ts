import type { SendResult } from '../http/client.js';
import { parseRetryAfter, retryAfterDelayMs } from '../protocol/retry-after.js';
import { formatDuration } from '../util/duration.js';
import type { Clock } from './clock.js';

/** How many times a throttled (429) request is sent again before the step gives up. */
export const MAX_THROTTLE_RETRIES = 5;
const DEFAULT_THROTTLE_WAIT_MS = 1_000;

export type ThrottledSend = { kind: 'sent'; result: SendResult } | { kind: 'throttled'; reason: string };

/**
 * Send, and while the target answers 429, wait as its Retry-After asks and send again. A 429 is a
 * pacing answer (many servers run one export per client at a time; BD's KICKOFF-09), not the
 * target's verdict on the request, so judging it would give false failures and hollow passes.
 * Gives up, as a harness-side problem, when the server asks for a longer wait than `maxWaitMs`
 * (the poll cap, --max-retry-after) or keeps throttling: the step then errors, naming the fix.
 */
export async function sendPastThrottling(
  send: () => Promise<SendResult>,
  opts: { clock: Clock; signal: AbortSignal; maxWaitMs: number },
): Promise<ThrottledSend> {
  for (let attempt = 0; ; attempt++) {
    const result = await send();
    if (!result.ok || result.response.status !== 429) return { kind: 'sent', result };
    const header = result.response.headers['retry-after'];
    const now = opts.clock.now();
    const asked = parseRetryAfter(header, now);
    const waitMs = asked ? retryAfterDelayMs(asked, now) : DEFAULT_THROTTLE_WAIT_MS;
    const advice = 'the target allows fewer jobs at once than this run starts: rerun with --concurrency 1, or raise --max-retry-after';
    if (waitMs > opts.maxWaitMs) {
      return { kind: 'throttled', reason: `throttled: 429 with Retry-After ${header ?? '(none)'} asks for ${formatDuration(waitMs)}, more than --max-retry-after ${formatDuration(opts.maxWaitMs)}; ${advice}` };
    }
    if (attempt >= MAX_THROTTLE_RETRIES) {
      return { kind: 'throttled', reason: `throttled: still 429 after ${MAX_THROTTLE_RETRIES} retries honouring Retry-After; ${advice}` };
    }
    await opts.clock.sleep(Math.max(waitMs, 100), opts.signal);
  }
}
