import { randomBytes } from 'node:crypto';
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
import { profileVariables } from '../config/profile.js';
import type { Capability, SpecTag } from '../model/scenario.js';
import { resolveClaims } from './claims.js';
import { loadKnownFailing } from './known-failing.js';
import { loadPlan } from './load-plan.js';
import { readCallbackCredentials } from '../callbacks/callback-config.js';
import { startCallbackRun, type CallbackRunOptions } from '../callbacks/callback-run.js';

/** The Group the bundled reference server serves for group-level export. */
export const BUNDLED_GROUP_ID = 'g1';
import { TOOL } from './package-info.js';
import { createBundledAuth, type BundledAuth, type BundledAuthOptions } from '../auth/bundled-clients.js';
import { setUpAuth } from '../auth/set-up-auth.js';

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
  /** --quick: sample large output files instead of validating every line. */
  quick?: boolean;
  /** Validation worker threads for large NDJSON files (default: see line-pool.ts). */
  validationThreads?: number;
  /** Slots of an export's in-memory key set before its keys move to disk (see resource-key-set.ts); for tests. */
  exportKeySlots?: number;
  /** --profile: spec tags the target claims, on top of the config's `claims`. */
  profileTags?: SpecTag[];
  /** --require: capabilities whose absence fails a scenario instead of skipping it. */
  require?: Capability[];
  /** --known-failing file. */
  knownFailingFile?: string;
  /** Options for the bundled server when no target is given (it always binds 127.0.0.1). */
  bundled?: Omit<ReferenceServerOptions, 'host' | 'port'>;
  /**
   * --ca: extra trust anchors (PEM text) for https targets, their token endpoints and file servers,
   * on top of the system's. The bundled server in TLS mode (`bundled.tls`) adds its own certificate.
   */
  ca?: string[];
  /** Start the bundled server in auth mode with generated SMART clients (--bundled-auth). */
  bundledAuth?: Partial<BundledAuthOptions>;
  /** The callback receiver: --callback-listen, --callback-public-url. */
  callback?: CallbackRunOptions;
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
  const known = opts.knownFailingFile ? loadKnownFailing(opts.knownFailingFile) : { patterns: [], diagnostics: [] };
  if (known.diagnostics.length) return { kind: 'invalid', diagnostics: known.diagnostics };
  if (plan.scenarios.length === 0) {
    return { kind: 'no-scenarios', message: `no scenario matches --grep ${(opts.grep ?? []).map((g) => `'${g}'`).join(' ')}` };
  }
  const redactor = new Redactor();
  for (const [name, value] of Object.entries(plan.profile.headers ?? {})) {
    if (redactor.header(name, value) !== value) redactor.addSecret(value.replace(/^\S+\s+/, ''));
  }
  let server: RunningReferenceServer | undefined;
  const explicitTarget = opts.target ?? plan.profile.baseUrl;
  const callbackSecrets = readCallbackCredentials(plan.profile.callback, process.env, explicitTarget ? undefined : { configured: opts.bundled?.callbacks ?? {} });
  if (!callbackSecrets.ok) return { kind: 'invalid', diagnostics: [{ file: opts.configFile ?? 'target profile', line: 1, column: 1, message: callbackSecrets.message }] };
  redactor.addSecret(callbackSecrets.credentials.secret);
  redactor.addSecret(callbackSecrets.credentials.bearerToken);
  const bundledCallbacks = callbackSecrets.bundled ? { callbacks: { ...opts.bundled?.callbacks, ...callbackSecrets.bundled } } : {};
  if (opts.bundledAuth && explicitTarget) return { kind: 'target-error', message: 'bundled auth applies to the bundled server only, but a target is given (configure auth: in the target profile instead)' };
  let bundledAuth: BundledAuth | undefined;
  if (!explicitTarget) {
    try {
      if (opts.bundledAuth) bundledAuth = await createBundledAuth({ tokenLifetimeSeconds: 5, requiresAccessToken: true, ...opts.bundledAuth });
      server = await startReferenceServer({ ...(opts.bundled ?? {}), ...bundledCallbacks, ...(bundledAuth ? { auth: bundledAuth.server } : {}), host: '127.0.0.1', port: 0 });
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
    ca: [...(opts.ca ?? []), ...(server?.caCertificate === undefined ? [] : [server.caCertificate])],
  });
  let closeCallbacks = (): Promise<void> => Promise.resolve();
  try {
    const probe = await probeTarget(client, baseUrl, plan.profile.headers ?? {}, opts.signal);
    if (probe.kind === 'unreachable') return { kind: 'target-error', message: probe.message };
    const auth = await setUpAuth({
      profile: plan.profile.auth, profileDir: path.dirname(opts.configFile ?? 'profile.yaml'), ...(bundledAuth ? { bundled: bundledAuth } : {}),
      baseUrl, env: process.env, clock: opts.clock ?? systemClock, redactor, requestTimeoutMs: opts.requestTimeoutMs, signal: opts.signal, dispatcher: client.dispatcher,
    });
    if (!auth.ok) return { kind: 'target-error', message: `auth: ${redactor.text(auth.error)}` };
    // The bundled server's Group is known; an external target names its own in the profile.
    // Status URLs are opaque: only someone who knows the target can name one it never issued. The
    // bundled server's are <base>/_async/<128-bit hex>, so the bundled run names a fresh one.
    const named = server && plan.profile.vars?.['unknownStatusUrl'] === undefined
      ? { ...plan.profile, vars: { ...plan.profile.vars, unknownStatusUrl: `${baseUrl}/_async/${randomBytes(16).toString('hex')}` } }
      : plan.profile;
    const grouped = server && named.groupId === undefined ? { ...named, groupId: BUNDLED_GROUP_ID } : named;
    // The bundled server's v3 and 4.0 shapes support organizeOutputBy (optional from Bulk Data v3 on).
    const organizes = server !== undefined && (opts.bundled?.bulkVersion === 'v3' || opts.bundled?.bulkVersion === 'v4');
    const profile = organizes ? { ...grouped, capabilities: [...(grouped.capabilities ?? []), 'organize-output-by' as const] } : grouped;
    const claims = resolveClaims({ profile, cliTags: opts.profileTags ?? [], metadata: probe.metadata, bundled: server !== undefined, baseUrl, ...(auth.claims ? { auth: auth.claims } : {}) });
    const callbacks = await startCallbackRun({ scenarios: plan.scenarios, claims, options: opts.callback ?? {}, credentials: callbackSecrets.credentials });
    if (!callbacks.ok) return { kind: 'target-error', message: callbacks.message };
    closeCallbacks = callbacks.close;
    const reporters = [
      createConsoleReporter({ write: opts.write, color: opts.color }),
      createJunitReporter({ file: path.join(opts.reportsDir, 'junit.xml') }),
      createJsonReporter({ file: path.join(opts.reportsDir, 'results.json') }),
    ];
    opts.write(`fhir-async-conformance ${TOOL.version}: ${plan.scenarios.length} scenario(s) against ${baseUrl}${server ? ' (bundled reference server)' : ''}\n`);
    opts.write(`target: ${claims.basis.join('; ')}\n`);
    if (auth.session) opts.write(`auth: ${auth.session.description}\n`);
    const tls = client.tlsVersionFor(baseUrl);
    if (tls !== undefined) opts.write(`tls: ${tls} negotiated with ${new URL(baseUrl).host}${server?.caCertificate === undefined ? '' : " (the bundled server's self-signed certificate trusted for this run)"}\n`);
    const run = await runSuite({
      scenarios: plan.scenarios,
      ctx: {
        client,
        redactor,
        catalogue: plan.catalogue,
        clock: opts.clock ?? systemClock,
        baseUrl,
        headers: plan.profile.headers ?? {},
        variables: { ...profileVariables(profile), ...auth.variables, ...(opts.vars ?? {}) },
        strict: opts.strict,
        pollPolicy: { ...DEFAULT_POLL_POLICY, maxIntervalMs: opts.maxRetryAfterMs },
        claims,
        required: new Set(opts.require ?? []),
        ...(callbacks.support ? { callbacks: callbacks.support } : {}),
        ...(auth.session ? { auth: auth.session } : {}),
        quick: opts.quick ?? false,
        ...(opts.validationThreads !== undefined ? { validationThreads: opts.validationThreads } : {}),
        ...(opts.exportKeySlots !== undefined ? { exportKeySlots: opts.exportKeySlots } : {}),
        requestTimeoutMs: opts.requestTimeoutMs,
      },
      knownFailing: known.patterns,
      concurrency: opts.concurrency,
      timeoutMs: opts.timeoutMs,
      signal: opts.signal,
      reporters,
      target: {
        baseUrl,
        bundled: server !== undefined,
        faults: opts.bundled?.faults ?? [],
        claims: [...claims.tags],
        capabilities: [...claims.capabilities],
        basis: claims.basis,
      },
      tool: TOOL,
    });
    opts.write(`Reports: ${path.join(opts.reportsDir, 'junit.xml')}, ${path.join(opts.reportsDir, 'results.json')}\n`);
    return { kind: 'finished', run, exitCode: exitCodeOf(run) };
  } finally {
    await client.close();
    await server?.close();
    await closeCallbacks();
  }
}

type Probe = { kind: 'reachable'; metadata: unknown } | { kind: 'unreachable'; message: string };

/**
 * One request to `<base>/metadata`: a transport error ends the run early (exit 3); any HTTP
 * answer means reachable, and a JSON body is kept for capability discovery.
 */
async function probeTarget(client: HttpClient, baseUrl: string, headers: Record<string, string>, signal: AbortSignal): Promise<Probe> {
  let url: string;
  try {
    url = new URL(joinPath(baseUrl, '/metadata')).toString();
  } catch {
    return { kind: 'unreachable', message: `target '${baseUrl}' is not an absolute http(s) URL` };
  }
  const result = await client.send({ method: 'GET', url, headers: { Accept: 'application/fhir+json', ...headers } }, 'preflight', signal);
  if (!result.ok) return { kind: 'unreachable', message: `target unreachable: ${result.error}` };
  if (result.response.status !== 200) return { kind: 'reachable', metadata: undefined };
  try {
    return { kind: 'reachable', metadata: JSON.parse(result.response.body.toString('utf8')) as unknown };
  } catch {
    return { kind: 'reachable', metadata: undefined };
  }
}
