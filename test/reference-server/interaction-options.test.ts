import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../reference-server/options.js';

describe('interaction-related options', () => {
  it('defaults every timing to jobDurationMs, $reindex to twice the interaction timing', () => {
    expect(resolveOptions().timings).toEqual({ export: 1_000, interaction: 1_000, reindex: 2_000 });
    expect(resolveOptions({ jobDurationMs: 300 }).timings).toEqual({ export: 300, interaction: 300, reindex: 600 });
    const explicit = resolveOptions({ jobDurationMs: 300, timings: { export: 10, interaction: 20, reindex: 5 } });
    expect(explicit.timings).toEqual({ export: 10, interaction: 20, reindex: 5 });
    expect(explicit.jobDurationMs).toBe(10);
  });

  it('defaults maxJobs to 1000 and jobRetentionMs to one hour', () => {
    const config = resolveOptions();
    expect(config.maxJobs).toBe(1_000);
    expect(config.jobRetentionMs).toBe(3_600_000);
  });

  it.each([
    [{ timings: { interaction: -1 } }, /timings.interaction/],
    [{ timings: { reindex: 1.5 } }, /timings.reindex/],
    [{ timings: { export: Number.NaN } }, /timings.export/],
    [{ maxJobs: 0 }, /maxJobs/],
    [{ jobRetentionMs: -5 }, /jobRetentionMs/],
    [{ pacing: { minPollIntervalMs: 2_000 } }, /pacing.minPollIntervalMs/],
  ])('rejects %j with a RangeError naming the option', (opts, message) => {
    expect(() => resolveOptions(opts)).toThrow(RangeError);
    expect(() => resolveOptions(opts)).toThrow(message);
  });
});
