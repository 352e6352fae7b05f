import type { Argv } from 'yargs';
import { runConformance } from '../../app/run-conformance.js';
import type { CallbackRunOptions } from '../../callbacks/callback-run.js';
import { parseListenAddress, parsePublicUrl } from '../../callbacks/listen-address.js';
import { CAPABILITIES, SPEC_TAGS, type Capability, type SpecTag } from '../../model/scenario.js';
import { DEFAULT_SUITES_DIR } from '../../app/package-info.js';
import { formatDiagnostic } from '../../scenario/diagnostics.js';
import { assertKnownFaults } from '../../../reference-server/index.js';
import { CliError, EXIT } from '../exit-codes.js';
import { durationOption, parseVars, positiveInt, sizeOption, validationThreads } from '../options.js';
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { shouldColor, writeErr, writeOut } from '../output.js';

export function registerRun(y: Argv): Argv {
  return y.command(
    'run',
    'Run the conformance scenarios against a target (default: the bundled reference server)',
    (c) =>
      c
        .option('target', { type: 'string', describe: 'Base URL of the FHIR server under test (default: start the bundled reference server)' })
        .option('config', { type: 'string', describe: 'YAML target profile (baseUrl, paths.export, headers, vars)' })
        .option('reports', { type: 'string', default: 'reports', describe: 'Directory for junit.xml and results.json' })
        .option('grep', { type: 'string', array: true, describe: 'Only scenarios whose id matches this glob (repeatable)' })
        .option('timeout', { type: 'string', default: '5m', describe: 'Deadline for each scenario (e.g. 90s, 5m)' })
        .option('concurrency', { type: 'number', default: 4, describe: 'Scenarios run at once' })
        .option('var', { type: 'string', array: true, describe: 'Scenario variable name=value (repeatable)' })
        .option('strict', { type: 'boolean', default: false, describe: 'Count missed SHOULDs as failures' })
        .option('quick', { type: 'boolean', default: false, describe: 'Sample large output files (first, last and random lines) instead of validating every line' })
        .option('validation-threads', { type: 'number', defaultDescription: 'FHIR_ASYNC_VALIDATION_THREADS, else cores - 1 (at most 3)', describe: 'Worker threads that check large NDJSON files besides the main thread (0: main thread only)' })
        .option('request-timeout', { type: 'string', default: '30s', describe: 'Deadline for each HTTP request' })
        .option('connect-timeout', { type: 'string', default: '5s', describe: 'Deadline for opening a connection' })
        .option('max-body', { type: 'string', default: '64MiB', describe: 'Largest response body read' })
        .option('max-retry-after', { type: 'string', default: '60s', describe: 'Longest wait between polls, whatever Retry-After asks' })
        .option('suites', { type: 'string', default: DEFAULT_SUITES_DIR, defaultDescription: 'the bundled suites/', describe: 'Scenario directory' })
        .option('profile', { type: 'string', array: true, choices: [...SPEC_TAGS], describe: 'What the target claims (repeatable): a Bulk Data version and async modes' })
        .option('require', { type: 'string', array: true, choices: [...CAPABILITIES, ...SPEC_TAGS], describe: 'Fail (not skip) scenarios needing this capability when the target lacks it (repeatable)' })
        .option('known-failing', { type: 'string', describe: 'File of scenario-id globs expected to fail; an unexpected pass fails the run' })
        .option('callback-listen', { type: 'string', default: '127.0.0.1:0', describe: 'host:port of the callback receiver (0: a free port)' })
        .option('callback-public-url', { type: 'string', describe: 'Base URL the target uses to reach the callback receiver (tunnel, container network)' })
        .option('fault', { type: 'string', array: true, describe: 'Bundled server only: start it with this fault (repeatable)' })
        .option('job-duration', { type: 'string', default: '500ms', describe: 'Bundled server only: how long an export job runs' })
        .option('bundled-auth', { type: 'boolean', default: false, describe: 'Bundled server only: start it in SMART Backend Services mode with three generated clients, one scoped to system/Patient.rs (runs the auth scenarios)' })
        .option('bundled-bulk-version', { type: 'string', choices: ['v2', 'v3', 'v4'], default: 'v2', describe: 'Bundled server only: the Bulk Data shape it serves; v3 (GET or POST kick-off, partial manifests, organizeOutputBy) is judged as bulk-v3, v4 (POST-only kick-off, separate-export-status, partial manifests, organizeOutputBy) as bulk-v4, each running the scenarios that need it' })
        .option('bundled-tls', { type: 'boolean', default: false, describe: 'Bundled server only: serve https with a certificate made at startup, trusted for this run only (runs the tls scenarios)' })
        .option('ca', { type: 'string', array: true, describe: 'PEM file of a certificate to trust for https, on top of the system ones (repeatable; e.g. the one serve --tls writes)' }),
    async (argv) => {
      if (argv.fault?.length && argv.target) throw new CliError('--fault applies to the bundled server; it cannot be combined with --target', EXIT.usage);
      if (argv['bundled-auth'] && argv.target) throw new CliError('--bundled-auth applies to the bundled server; for another target configure auth: in --config', EXIT.usage);
      const bundledVersion = argv['bundled-bulk-version'] as 'v2' | 'v3' | 'v4';
      // v2 is the default shape; v3 and v4 change what the bundled server serves and how it is judged.
      const shaped = bundledVersion !== 'v2';
      const bundledTag = `bulk-${bundledVersion}` as SpecTag;
      if (shaped && argv.target) throw new CliError('--bundled-bulk-version applies to the bundled server; for another target say what it claims with --profile', EXIT.usage);
      const profileTags = (argv.profile ?? []) as SpecTag[];
      if (shaped && profileTags.some((t) => t.startsWith('bulk-') && t !== bundledTag)) throw new CliError(`--bundled-bulk-version ${bundledVersion} serves that Bulk Data shape; it cannot be judged as ${profileTags.filter((t) => t.startsWith('bulk-')).join(', ')}`, EXIT.usage);
      if (argv['bundled-tls'] && argv.target) throw new CliError('--bundled-tls applies to the bundled server; for another target give its certificate with --ca', EXIT.usage);
      const ca = (argv.ca ?? []).map(readCertificate);
      if (argv.fault?.length) {
        try {
          assertKnownFaults(argv.fault);
        } catch (e) {
          throw new CliError((e as Error).message, EXIT.usage);
        }
      }
      let callback: CallbackRunOptions;
      try {
        const publicUrl = argv['callback-public-url'];
        callback = { listen: parseListenAddress(argv['callback-listen']), ...(publicUrl ? { publicUrl: parsePublicUrl(publicUrl) } : {}) };
      } catch (e) {
        throw new CliError((e as Error).message, EXIT.usage);
      }
      const controller = new AbortController();
      const onSignal = (): void => {
        if (controller.signal.aborted) process.exit(EXIT.interrupted);
        writeErr('\ninterrupted: finishing reports (press Ctrl-C again to quit at once)\n');
        controller.abort(new Error('interrupted'));
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        const outcome = await runConformance({
          suitesDir: argv.suites,
          ...(argv.target ? { target: argv.target } : {}),
          ...(argv.config ? { configFile: argv.config } : {}),
          reportsDir: argv.reports,
          ...(argv.grep ? { grep: argv.grep } : {}),
          vars: parseVars(argv.var ?? []),
          timeoutMs: durationOption(argv.timeout, '--timeout'),
          concurrency: positiveInt(argv.concurrency, '--concurrency'),
          strict: argv.strict,
          quick: argv.quick,
          validationThreads: validationThreads(argv['validation-threads']),
          requestTimeoutMs: durationOption(argv['request-timeout'], '--request-timeout'),
          connectTimeoutMs: durationOption(argv['connect-timeout'], '--connect-timeout'),
          maxBodyBytes: sizeOption(argv['max-body'], '--max-body'),
          maxRetryAfterMs: durationOption(argv['max-retry-after'], '--max-retry-after'),
          profileTags: shaped && !profileTags.includes(bundledTag) ? [...profileTags, bundledTag] : profileTags,
          require: (argv.require ?? []) as Capability[],
          ...(argv['known-failing'] ? { knownFailingFile: argv['known-failing'] } : {}),
          bundled: {
            faults: argv.fault ?? [],
            jobDurationMs: durationOption(argv['job-duration'], '--job-duration'),
            ...(argv['bundled-tls'] ? { tls: true } : {}),
            ...(shaped ? { bulkVersion: bundledVersion } : {}),
          },
          ...(ca.length ? { ca } : {}),
          ...(argv['bundled-auth'] ? { bundledAuth: {} } : {}),
          write: writeOut,
          color: shouldColor(process.stdout),
          callback,
          signal: controller.signal,
        });
        switch (outcome.kind) {
          case 'invalid':
            writeErr(outcome.diagnostics.map(formatDiagnostic).join('\n') + `\n${outcome.diagnostics.length} problem(s); nothing was sent.\n`);
            process.exitCode = EXIT.invalidInput;
            return;
          case 'no-scenarios':
            throw new CliError(outcome.message, EXIT.usage);
          case 'target-error':
            throw new CliError(outcome.message, EXIT.targetError);
          case 'finished':
            process.exitCode = controller.signal.aborted ? EXIT.interrupted : outcome.exitCode;
        }
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    },
  );
}

/** `--ca FILE`: a PEM certificate (chain) to trust; a file that is not one is a usage error. */
function readCertificate(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`--ca ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, EXIT.usage);
  }
  try {
    new X509Certificate(text);
  } catch {
    throw new CliError(`--ca ${file}: not a PEM certificate`, EXIT.usage);
  }
  return text;
}
