import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RunResult } from '../model/results.js';
import type { Reporter } from './reporter.js';

/** Writes the whole `RunResult` (it carries `schemaVersion: 1`) as pretty-printed JSON. */
export interface JsonReporterOptions {
  file: string;
}

export function renderJson(result: RunResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

export function createJsonReporter(opts: JsonReporterOptions): Reporter {
  return {
    async onRunEnd(result: RunResult): Promise<void> {
      await mkdir(dirname(opts.file), { recursive: true });
      await writeFile(opts.file, renderJson(result), 'utf8');
    },
  };
}
