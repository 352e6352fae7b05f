#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { TOOL } from '../app/package-info.js';
import { registerCoverage } from './commands/coverage.js';
import { registerList } from './commands/list.js';
import { registerRun } from './commands/run.js';
import { registerServe } from './commands/serve.js';
import { registerValidate } from './commands/validate.js';
import { CliError, EXIT } from './exit-codes.js';
import { writeErr } from './output.js';

/** Argument parsing and wiring only; the work is done by library calls. */
async function main(argv: string[]): Promise<void> {
  let cli = yargs(argv)
    .scriptName(TOOL.name)
    .usage('$0 <command> [options]')
    .strict()
    .demandCommand(1, 'Name a command: run, serve, list, validate or coverage.')
    .recommendCommands()
    .version(TOOL.version)
    .help()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .epilogue('Exit codes: 0 passed, 1 conformance failure, 2 invalid scenario/catalogue/config, 3 harness or target error, 64 usage error.')
    .fail((message: string | undefined, error: Error | undefined, y) => {
      if (error) throw error;
      writeErr(`${y.help().toString()}\n\nerror: ${message ?? 'invalid usage'}\n`);
      process.exit(EXIT.usage);
    });
  cli = registerRun(cli);
  cli = registerServe(cli);
  cli = registerList(cli);
  cli = registerValidate(cli);
  cli = registerCoverage(cli);
  await cli.parseAsync();
}

main(hideBin(process.argv)).catch((e: unknown) => {
  if (e instanceof CliError) {
    writeErr(`error: ${e.message}\n`);
    process.exitCode = e.exitCode;
    return;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  writeErr(`internal error: ${err.message}\n${process.env['DEBUG'] ? `${err.stack ?? ''}\n` : '(set DEBUG=1 for the stack trace; please report it)\n'}`);
  process.exitCode = EXIT.targetError;
});
