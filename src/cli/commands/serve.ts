import type { Argv } from 'yargs';
import { FAULTS, startReferenceServer, UnknownFaultError } from '../../../reference-server/index.js';
import { CliError, EXIT } from '../exit-codes.js';
import { durationOption } from '../options.js';
import { writeErr, writeOut } from '../output.js';

export function registerServe(y: Argv): Argv {
  return y.command(
    'serve',
    'Start the bundled reference server alone (Ctrl-C stops it)',
    (c) =>
      c
        .option('port', { type: 'number', default: 8080, describe: 'Port to listen on (0: any free port)' })
        .option('host', { type: 'string', default: '127.0.0.1', describe: 'Interface to bind' })
        .option('fault', {
          type: 'string', array: true,
          describe: `Break one requirement on purpose (repeatable): ${FAULTS.map((f) => f.name).join(', ')}`,
        })
        .option('job-duration', { type: 'string', default: '1s', describe: 'How long an export job runs' })
        .option('retry-after', { type: 'string', default: '1', describe: 'Retry-After on in-progress polls: seconds, or "date:<seconds>" for the HTTP-date form' })
        .option('public-url', { type: 'string', describe: 'Base URL to put in absolute URLs (default: from the Host header)' })
        .option('patients', { type: 'number', default: 10, describe: 'Synthetic patients (3 Observations each)' })
        .option('log', { type: 'boolean', default: false, describe: 'Print one access-log line per request' })
        .option('list-faults', { type: 'boolean', default: false, describe: 'Print the fault table and exit' }),
    async (argv) => {
      if (argv['list-faults']) {
        for (const f of FAULTS) writeOut(`${f.name.padEnd(40)} ${f.requirement.padEnd(12)} ${f.description}\n`);
        return;
      }
      const retry = /^(date:)?([0-9]+)$/.exec(argv['retry-after']);
      if (!retry) throw new CliError(`--retry-after '${argv['retry-after']}': expected seconds (e.g. 2) or date:<seconds>`, EXIT.usage);
      let server;
      try {
        server = await startReferenceServer({
          host: argv.host,
          port: argv.port,
          faults: argv.fault ?? [],
          jobDurationMs: durationOption(argv['job-duration'], '--job-duration'),
          retryAfter: { form: retry[1] ? 'http-date' : 'seconds', seconds: Number(retry[2]) },
          patientCount: argv.patients,
          ...(argv['public-url'] ? { publicBaseUrl: argv['public-url'] } : {}),
          ...(argv.log ? { log: (line: string) => writeErr(`${line}\n`) } : {}),
        });
      } catch (e) {
        if (e instanceof UnknownFaultError || e instanceof RangeError) throw new CliError(e.message, EXIT.usage);
        throw new CliError((e as Error).message, EXIT.targetError);
      }
      const faults = argv.fault?.length ? ` with fault(s): ${argv.fault.join(', ')}` : '';
      writeOut(`reference server listening on ${server.baseUrl}${faults}\n`);
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
