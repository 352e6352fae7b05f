/**
 * Judging held status requests (pure; times in ms on one clock). A request still unanswered
 * when the job changed must be answered within `slack` of the change (or of its own sending,
 * if sent later); a request that was outstanding clearly longer than a normal answer takes
 * shows that the server holds requests at all (long polling is optional: information).
 */

export interface HeldTiming {
  /** 1-based poll number. */
  n: number;
  sentAt: number;
  answeredAt: number;
  /** Response status; undefined on a transport error. */
  status?: number;
  /** Index of the exchange in the scenario's transcript. */
  exchange: number;
}

export interface HeldVerdict {
  /** Requests answered too long after the change, with how late (beyond the change). */
  late: { timing: HeldTiming; afterChangeMs: number }[];
  longestHoldMs: number;
  /** Some request was outstanding well beyond a normal answer. */
  held: boolean;
  /** The threshold used for `held`. */
  holdThresholdMs: number;
  /** Final held answer minus the change (negative: the held request answered first). */
  answerAfterChangeMs?: number;
}

export interface JudgeOptions {
  /** When the change was seen (undefined: it never was, e.g. the held request reported it first). */
  changeAt: number | undefined;
  slackMs: number;
  /** A normal answer's duration on this target (median of the scenario's other exchanges). */
  baselineMs: number;
}

export function judgeHeldRequests(timings: readonly HeldTiming[], opts: JudgeOptions): HeldVerdict {
  const holdThresholdMs = Math.max(4 * opts.baselineMs, opts.baselineMs + 25);
  const longestHoldMs = Math.max(0, ...timings.map((t) => t.answeredAt - t.sentAt));
  const { changeAt } = opts;
  const late =
    changeAt === undefined
      ? []
      : timings
          .filter((t) => t.answeredAt - Math.max(t.sentAt, changeAt) > opts.slackMs)
          .map((timing) => ({ timing, afterChangeMs: timing.answeredAt - Math.max(timing.sentAt, changeAt) }));
  const final = timings[timings.length - 1];
  return {
    late,
    longestHoldMs,
    held: longestHoldMs > holdThresholdMs,
    holdThresholdMs,
    ...(changeAt !== undefined && final !== undefined ? { answerAfterChangeMs: final.answeredAt - changeAt } : {}),
  };
}

/** The median of a list (0 when empty). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
