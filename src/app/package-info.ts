import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The package root, whether running from dist/src/... (built) or src/... (vitest). */
export const PACKAGE_ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));

export const DEFAULT_SUITES_DIR = path.join(PACKAGE_ROOT, 'suites');

export const TOOL = {
  name: 'fhir-async-conformance',
  version: (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version,
};

function findRoot(dir: string): string {
  let current = dir;
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(current, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'fhir-async-conformance') return current;
    } catch {
      // keep looking upwards
    }
    const parent = path.dirname(current);
    if (parent === current) throw new Error('cannot find the fhir-async-conformance package root');
    current = parent;
  }
}
