import path from 'node:path';
import type { Argv } from 'yargs';
import { loadPlan } from '../../app/load-plan.js';
import { DEFAULT_SUITES_DIR } from '../../app/package-info.js';
import { formatDiagnostic } from '../../scenario/diagnostics.js';
import { EXIT } from '../exit-codes.js';
import { writeErr, writeOut } from '../output.js';

export function registerValidate(y: Argv): Argv {
  return y.command(
    'validate [files..]',
    'Schema-check scenario files (default: all) and the requirement catalogue; nothing is sent',
    (c) =>
      c
        .positional('files', { type: 'string', array: true, describe: 'Scenario files under the suites directory' })
        .option('suites', { type: 'string', default: DEFAULT_SUITES_DIR, defaultDescription: 'the bundled suites/' })
        .option('config', { type: 'string', describe: 'Also check this target profile' }),
    (argv) => {
      const files = (argv.files ?? []).map((f) => path.resolve(f));
      const plan = loadPlan({
        suitesDir: argv.suites,
        ...(files.length ? { files } : {}),
        ...(argv.config ? { configFile: argv.config } : {}),
      });
      if (!plan.ok) {
        writeErr(plan.diagnostics.map(formatDiagnostic).join('\n') + `\n${plan.diagnostics.length} problem(s)\n`);
        process.exitCode = EXIT.invalidInput;
        return;
      }
      writeOut(`ok: ${plan.scenarios.length} scenario(s), ${plan.catalogue.requirements.size} requirement(s) in the catalogue\n`);
    },
  );
}
