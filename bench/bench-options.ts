/**
 * Settings of the load benchmark, from `--name=value` arguments or BENCH_* environment
 * variables (arguments win). Every value is bounded so a typo cannot start an endless run.
 */

export type PollSchedule = 'flood' | 'retry-after';

export interface BenchOptions {
  /** Export jobs created before polling starts. */
  jobs: number;
  /** Concurrent polling clients (one connection each). */
  clients: number;
  /** How long the polling phase runs, in ms. */
  durationMs: number;
  /**
   * Polling phases to run, each for `durationMs`: `retry-after` waits what each 202 says
   * (what a conforming client does); `flood` polls again as soon as an answer arrives.
   */
  schedules: readonly PollSchedule[];
  /** Concurrent kick-offs while creating jobs. */
  kickoffConcurrency: number;
}

interface Limits {
  env: string;
  min: number;
  max: number;
  fallback: number;
}

const NUMERIC: Record<'jobs' | 'clients' | 'duration-ms' | 'kickoff-concurrency', Limits> = {
  jobs: { env: 'BENCH_JOBS', min: 1, max: 100_000, fallback: 1_000 },
  clients: { env: 'BENCH_CLIENTS', min: 1, max: 5_000, fallback: 200 },
  'duration-ms': { env: 'BENCH_DURATION_MS', min: 100, max: 600_000, fallback: 10_000 },
  'kickoff-concurrency': { env: 'BENCH_KICKOFF_CONCURRENCY', min: 1, max: 1_000, fallback: 50 },
};

export const USAGE =
  'usage: node dist/bench/load.js [--jobs=1000] [--clients=200] [--duration-ms=10000] ' +
  '[--schedule=both|retry-after|flood] [--kickoff-concurrency=50]\n' +
  '       (or BENCH_JOBS, BENCH_CLIENTS, BENCH_DURATION_MS, BENCH_SCHEDULE, BENCH_KICKOFF_CONCURRENCY)';

function readArgs(argv: readonly string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (const arg of argv) {
    const match = /^--([a-z-]+)=(.*)$/.exec(arg);
    if (match === null || match[1] === undefined || match[2] === undefined) throw new RangeError(`unrecognised argument "${arg}"`);
    args.set(match[1], match[2]);
  }
  return args;
}

function readInteger(name: keyof typeof NUMERIC, args: Map<string, string>, env: NodeJS.ProcessEnv): number {
  const limits = NUMERIC[name];
  const text = args.get(name) ?? env[limits.env];
  if (text === undefined || text === '') return limits.fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < limits.min || value > limits.max) {
    throw new RangeError(`--${name} (${limits.env}) must be an integer from ${limits.min} to ${limits.max}, got "${text}"`);
  }
  return value;
}

function readSchedules(args: Map<string, string>, env: NodeJS.ProcessEnv): PollSchedule[] {
  const text = args.get('schedule') ?? env['BENCH_SCHEDULE'] ?? 'both';
  if (text === 'both') return ['retry-after', 'flood'];
  if (text !== 'flood' && text !== 'retry-after') throw new RangeError(`--schedule must be both, retry-after or flood, got "${text}"`);
  return [text];
}

/** Parses arguments and environment; throws RangeError with a readable message. */
export function parseBenchOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const args = readArgs(argv);
  for (const name of args.keys()) {
    if (name !== 'schedule' && !Object.hasOwn(NUMERIC, name)) throw new RangeError(`unknown option --${name}`);
  }
  return {
    jobs: readInteger('jobs', args, env),
    clients: readInteger('clients', args, env),
    durationMs: readInteger('duration-ms', args, env),
    schedules: readSchedules(args, env),
    kickoffConcurrency: readInteger('kickoff-concurrency', args, env),
  };
}
