import path from 'node:path';
import { startReferenceServer, type ReferenceServerOptions, type RunningReferenceServer } from '../../reference-server/index.js';
import { HttpClient } from '../http/client.js';
import { Redactor } from '../http/redact.js';
import type { RunResult } from '../model/results.js';
import { createConsoleReporter, createJsonReporter, createJunitReporter } from '../report/index.js';
import type { Diagnostic } from '../scenario/diagnostics.js';
import { systemClock, type Clock } from '../runner/clock.js';
import { joinPath } from '../runner/build-request.js';
import { DEFAULT_POLL_POLICY } from '../runner/poll.js';
import { exitCodeOf, runSuite } from '../runner/run-suite.js';
import { loadPlan } from './load-plan.js';
import { TOOL } from './package-info.js';

export interface ConformanceOptions {
  suitesDir: string;
  /** Target base URL; default the profile's baseUrl, else the bundled reference server. */
  target?: string;
  configFile?: string;
  reportsDir: string;
  grep?: string[];
  vars?: Record<string, string>;
  timeoutMs: number;
  concurrency: number;
  strict: boolean;
  requestTimeoutMs: number;
  connectTimeoutMs: number;
  maxBodyBytes: number;
  maxRetryAfterMs: number;
  /** Options for the bundled server when no target is given (it always binds 127.0.0.1). */
  bundled?: Omit<ReferenceServerOptions, 'host' | 'port'>;
  write: (text: string) => void;
  color: boolean;
  signal: AbortSignal;
  clock?: Clock;
}

export type ConformanceOutcome =
  | { kind: 'invalid'; diagnostics: Diagnostic[] }
  | { kind: 'no-scenarios'; message: string }
  | { kind: 'target-error'; message: string }
  | { kind: 'finished'; run: RunResult; exitCode: 0 | 1 | 3 };

/** The `run` command as a library call: load, plan, start the target if bundled, run, report. */
export async function runConformance(opts: ConformanceOptions): Promise<ConformanceOutcome> {
  const plan = loadPlan({
    suitesDir: opts.suitesDir,
    ...(opts.configFile ? { configFile: opts.configFile } : {}),
    ...(opts.vars ? { vars: opts.vars } : {}),
    ...(opts.grep ? { grep: opts.grep } : {}),
  });
  if (!plan.ok) return { kind: 'invalid', diagnostics: plan.diagnostics };
  if (plan.scenarios.length === 0) {
    return { kind: 'no-scenarios', message: `no scenario matches --grep ${(opts.grep ?? []).map((g) => `'${g}'`).join(' ')}` };
  }
  const redactor = new Redactor();
  for (const [name, value] of Object.entries(plan.profile.headers ?? {})) {
    if (redactor.header(name, value) !== value) redactor.addSecret(value.replace(/^\S+\s+/, ''));
  }
  let server: RunningReferenceServer | undefined;
  const explicitTarget = opts.target ?? plan.profile.baseUrl;
  if (!explicitTarget) {
    try {
      server = await startReferenceServer({ ...(opts.bundled ?? {}), host: '127.0.0.1', port: 0 });
    } catch (e) {
      return { kind: 'target-error', message: `cannot start the bundled reference server: ${(e as Error).message}` };
    }
  }
  const baseUrl = (explicitTarget ?? server?.baseUrl ?? '').replace(/\/+$/, '');
  const client = new HttpClient({
    requestTimeoutMs: opts.requestTimeoutMs,
    connectTimeoutMs: opts.connectTimeoutMs,
    maxBodyBytes: opts.maxBodyBytes,
    excerptBytes: 4096,
    redactor,
  });
  try {
    const unreachable = await preflight(client, baseUrl, plan.profile.headers ?? {}, opts.signal);
    if (unreachable) return { kind: 'target-error', message: unreachable };
    const reporters = [
      createConsoleReporter({ write: opts.write, color: opts.color }),
      createJunitReporter({ file: path.join(opts.reportsDir, 'junit.xml') }),
      createJsonReporter({ file: path.join(opts.reportsDir, 'results.json') }),
    ];
    opts.write(`fhir-async-conformance ${TOOL.version}: ${plan.scenarios.length} scenario(s) against ${baseUrl}${server ? ' (bundled reference server)' : ''}\n`);
    const run = await runSuite({
      scenarios: plan.scenarios,
      ctx: {
        client,
        redactor,
        catalogue: plan.catalogue,
        clock: opts.clock ?? systemClock,
        baseUrl,
        headers: plan.profile.headers ?? {},
        variables: plan.variables,
        strict: opts.strict,
        pollPolicy: { ...DEFAULT_POLL_POLICY, maxIntervalMs: opts.maxRetryAfterMs },
      },
      concurrency: opts.concurrency,
      timeoutMs: opts.timeoutMs,
      signal: opts.signal,
      reporters,
      target: { baseUrl, bundled: server !== undefined, faults: opts.bundled?.faults ?? [] },
      tool: TOOL,
    });
    opts.write(`Reports: ${path.join(opts.reportsDir, 'junit.xml')}, ${path.join(opts.reportsDir, 'results.json')}\n`);
    return { kind: 'finished', run, exitCode: exitCodeOf(run) };
  } finally {
    await client.close();
    await server?.close();
  }
}

/** One request to `<base>/metadata`: any HTTP answer means reachable; a transport error ends the run early. */
async function preflight(client: HttpClient, baseUrl: string, headers: Record<string, string>, signal: AbortSignal): Promise<string | undefined> {
  let url: string;
  try {
    url = new URL(joinPath(baseUrl, '/metadata')).toString();
  } catch {
    return `target '${baseUrl}' is not an absolute http(s) URL`;
  }
  const result = await client.send({ method: 'GET', url, headers: { Accept: 'application/fhir+json', ...headers } }, 'preflight', signal);
  return result.ok ? undefined : `target unreachable: ${result.error}`;
}
