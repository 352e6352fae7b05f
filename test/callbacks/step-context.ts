/** A RunContext and ScenarioState for driving callback and long-poll steps directly in tests. */
import path from 'node:path';
import { resolveClaims } from '../../src/app/claims.js';
import { DEFAULT_SUITES_DIR } from '../../src/app/package-info.js';
import { createCallbackVerifier, type CallbackCredentials } from '../../src/callbacks/callback-auth.js';
import type { CallbackReceiver } from '../../src/callbacks/callback-receiver.js';
import { HttpClient } from '../../src/http/client.js';
import { Redactor } from '../../src/http/redact.js';
import type { SpecTag } from '../../src/model/scenario.js';
import { systemClock, type Clock } from '../../src/runner/clock.js';
import type { RunContext, ScenarioState } from '../../src/runner/context.js';
import { DEFAULT_POLL_POLICY } from '../../src/runner/poll.js';
import { loadCatalogue } from '../../src/scenario/load-catalogue.js';

export function buildStepContext(opts: { baseUrl?: string; receiver?: CallbackReceiver; credentials?: CallbackCredentials; clock?: Clock; claims?: SpecTag[] } = {}): RunContext {
  const { catalogue, diagnostics } = loadCatalogue(path.join(DEFAULT_SUITES_DIR, 'requirements.yaml'));
  if (diagnostics.length) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  const redactor = new Redactor();
  const receiver = opts.receiver;
  return {
    client: new HttpClient({ requestTimeoutMs: 10_000, connectTimeoutMs: 5_000, maxBodyBytes: 1 << 20, excerptBytes: 4096, redactor }),
    redactor,
    catalogue,
    clock: opts.clock ?? systemClock,
    baseUrl: opts.baseUrl ?? 'http://127.0.0.1:1',
    headers: {},
    variables: {},
    strict: false,
    pollPolicy: DEFAULT_POLL_POLICY,
    claims: resolveClaims({ profile: { claims: opts.claims ?? ['bulk-v2', 'bundle', 'callback', 'longpoll'] }, cliTags: [], metadata: undefined, bundled: false }),
    required: new Set(),
    ...(receiver ? { callbacks: { mint: (status?: number) => receiver.mint(status), verifier: createCallbackVerifier(opts.credentials) } } : {}),
  };
}

export function buildState(signal = new AbortController().signal): ScenarioState {
  return { vars: new Map(), exchanges: [], signal };
}
