import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Argv } from 'yargs';
import { AuthConfigError, FAULTS, loadAuthConfig, startReferenceServer, UnknownFaultError } from '../../../reference-server/index.js';
import { CliError, EXIT } from '../exit-codes.js';
import { durationOption } from '../options.js';
import { writeErr, writeOut } from '../output.js';

export function registerServe(y: Argv): Argv {
  return y.command(
    'serve',
    'Start the bundled reference server alone (Ctrl-C stops it)',
    (c) =>
      c
        .option('port', { type: 'number', default: 8080, describe: 'Port to listen on (0: a free port)' })
        .option('host', { type: 'string', default: '127.0.0.1', describe: 'Interface to bind' })
        .option('fault', {
          type: 'string', array: true,
          describe: `Break one requirement on purpose (repeatable; ${FAULTS.length} faults, see --list-faults)`,
        })
        .option('job-duration', { type: 'string', default: '1s', describe: 'How long an export job runs (and the default for the other patterns)' })
        .option('interaction-duration', { type: 'string', describe: 'How long an async interaction (Bundle/redirect mode) runs (default: --job-duration)' })
        .option('bulk-version', { choices: ['v2', 'v3', 'v4'] as const, default: 'v2' as const, describe: 'Bulk Data manifest and kick-off shape: v2 (GET or POST, error, request), v3 (as v2, plus allowPartialManifests and organizeOutputBy) or v4 (POST only, outcome, no request; Prefer separate-export-status, allowPartialManifests and organizeOutputBy honoured)' })
        .option('pacing', { type: 'string', describe: 'Minimum spacing of polls before 429 (e.g. 500ms), or "off" (default: half the Retry-After, at most 500ms)' })
        .option('max-jobs', { type: 'number', describe: 'Jobs held at once per pattern before kick-offs get 429 (default 1000)' })
        .option('callback-allow-host', { type: 'string', array: true, describe: 'Host a callback-url may name (repeatable; default loopback only)' })
        .option('callback-secret-env', { type: 'string', describe: 'Name of an environment variable holding the HMAC-SHA256 key for X-Callback-Signature (never pass the secret itself)' })
        .option('callback-token-env', { type: 'string', describe: 'Name of an environment variable holding a bearer token for callbacks' })
        .option('long-poll-max', { type: 'string', describe: 'Longest hold of a Prefer: wait=N status request (default 30s), or "off"' })
        .option('retry-after', { type: 'string', default: '1', describe: 'Retry-After on in-progress polls: seconds, or "date:<seconds>" for the HTTP-date form' })
        .option('public-url', { type: 'string', describe: 'Base URL to put in absolute URLs (default: from the Host header)' })
        .option('patients', { type: 'number', default: 10, describe: 'Synthetic patients (3 Observations each)' })
        .option('log', { type: 'boolean', default: false, describe: 'Print one access-log line per request' })
        .option('auth', { type: 'string', describe: 'SMART Backend Services mode: YAML file of registered clients (public keys), token lifetime, requiresAccessToken' })
        .option('tls', { type: 'boolean', default: false, describe: 'Serve https only (TLS 1.2+) with a self-signed certificate made at startup for localhost, 127.0.0.1 and ::1' })
        .option('tls-cert-out', { type: 'string', describe: 'With --tls: where to write the certificate (public PEM) for clients to trust (default: a file in the temp directory, printed)' })
        .option('list-faults', { type: 'boolean', default: false, describe: 'Print the fault table and exit' }),
    async (argv) => {
      if (argv['list-faults']) {
        for (const f of FAULTS) writeOut(`${f.name.padEnd(40)} ${f.requirement.padEnd(12)} ${f.description}\n`);
        return;
      }
      if (argv['tls-cert-out'] !== undefined && !argv.tls) throw new CliError('--tls-cert-out needs --tls', EXIT.usage);
      const retry = /^(date:)?([0-9]+)$/.exec(argv['retry-after']);
      if (!retry) throw new CliError(`--retry-after '${argv['retry-after']}': expected seconds (e.g. 2) or date:<seconds>`, EXIT.usage);
      let server;
      try {
        const auth = argv.auth === undefined ? undefined : loadAuthConfig(argv.auth);
        server = await startReferenceServer({
          host: argv.host,
          port: argv.port,
          faults: argv.fault ?? [],
          jobDurationMs: durationOption(argv['job-duration'], '--job-duration'),
          retryAfter: { form: retry[1] ? 'http-date' : 'seconds', seconds: Number(retry[2]) },
          patientCount: argv.patients,
          bulkVersion: argv['bulk-version'],
          ...(argv['interaction-duration'] ? { timings: { interaction: durationOption(argv['interaction-duration'], '--interaction-duration') } } : {}),
          ...(argv.pacing === undefined ? {} : { pacing: argv.pacing === 'off' ? false : { minPollIntervalMs: durationOption(argv.pacing, '--pacing') } }),
          ...(argv['max-jobs'] === undefined ? {} : { maxJobs: argv['max-jobs'] }),
          ...(argv['long-poll-max'] === undefined ? {} : { longPoll: argv['long-poll-max'] === 'off' ? false : { maxWaitMs: durationOption(argv['long-poll-max'], '--long-poll-max') } }),
          callbacks: {
            ...(argv['callback-allow-host'] ? { allowHosts: argv['callback-allow-host'] } : {}),
            ...(argv['callback-secret-env'] ? { secret: readSecretEnv(argv['callback-secret-env'], '--callback-secret-env') } : {}),
            ...(argv['callback-token-env'] ? { bearerToken: readSecretEnv(argv['callback-token-env'], '--callback-token-env') } : {}),
          },
          ...(argv['public-url'] ? { publicBaseUrl: argv['public-url'] } : {}),
          ...(argv.log ? { log: (line: string) => writeErr(`${line}\n`) } : {}),
          ...(auth === undefined ? {} : { auth }),
          ...(argv.tls ? { tls: true } : {}),
        });
      } catch (e) {
        if (e instanceof CliError) throw e;
        if (e instanceof AuthConfigError) throw new CliError(e.message, EXIT.invalidInput);
        if (e instanceof UnknownFaultError || e instanceof RangeError) throw new CliError(e.message, EXIT.usage);
        throw new CliError((e as Error).message, EXIT.targetError);
      }
      const faults = argv.fault?.length ? ` with fault(s): ${argv.fault.join(', ')}` : '';
      const auth = argv.auth === undefined ? '' : ` (SMART Backend Services: clients from ${argv.auth}, token endpoint ${server.baseUrl}/auth/token)`;
      // TLS: only the certificate (public) is written, before the server is announced; its private key never leaves the process.
      const certFile = server.caCertificate === undefined ? undefined : (argv['tls-cert-out'] ?? path.join(os.tmpdir(), `fhir-async-conformance-${server.port}.crt`));
      if (certFile !== undefined && server.caCertificate !== undefined) writeFileSync(certFile, server.caCertificate);
      writeOut(`reference server listening on ${server.baseUrl}${faults}${auth}\n`);
      if (certFile !== undefined) writeOut(`TLS certificate (self-signed, for localhost, 127.0.0.1 and ::1): ${certFile}; trust it with run --ca ${certFile}\n`);
      const running = server;
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void running.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      writeOut('reference server stopped\n');
    },
  );
}

/** Secrets come from the environment, never the command line (which other users can see). */
function readSecretEnv(name: string, flag: string): string {
  const value = process.env[name];
  if (!value) throw new CliError(`${flag}: environment variable ${name} is not set`, EXIT.usage);
  return value;
}
