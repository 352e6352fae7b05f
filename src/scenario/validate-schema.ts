import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Diagnostic } from './diagnostics.js';
import type { DataPath, YamlSource } from './yaml-source.js';
import { catalogueSchema, profileSchema, scenarioSchema } from './schema.js';

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
const validators: Record<'scenario' | 'catalogue' | 'profile', ValidateFunction> = {
  scenario: ajv.compile(scenarioSchema),
  catalogue: ajv.compile(catalogueSchema),
  profile: ajv.compile(profileSchema),
};

/** Validate a parsed YAML file against one of the closed schemas; every problem, with its position. */
export function validateAgainstSchema(kind: keyof typeof validators, source: YamlSource): Diagnostic[] {
  const validate = validators[kind];
  if (validate(source.value)) return [];
  return simplify(validate.errors ?? []).map((e) => toDiagnostic(e, source));
}

/** Drop the per-branch noise under a failed `oneOf` (keeping the oneOf error itself) and the if/then summary. */
function simplify(errors: ErrorObject[]): ErrorObject[] {
  const oneOfPaths = errors.filter((e) => e.keyword === 'oneOf').map((e) => e.schemaPath + '/');
  // A failed if/then reports the `then` errors themselves plus a vague 'must match "then" schema'.
  return errors.filter((e) => e.keyword !== 'if' && !oneOfPaths.some((p) => e.schemaPath.startsWith(p)));
}

function toPath(instancePath: string): DataPath {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^[0-9]+$/.test(s) ? Number(s) : s));
}

function where(path: DataPath): string {
  return path.length ? `at ${path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[')}: ` : '';
}

function toDiagnostic(e: ErrorObject, source: YamlSource): Diagnostic {
  const path = toPath(e.instancePath);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return source.at(path, `${where(path)}unknown key '${key}'${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}`, key);
    }
    case 'required':
      return source.at(path, `${where(path)}missing required key '${String(params['missingProperty'])}'`);
    case 'enum':
      return source.at(path, `${where(path)}must be one of: ${(params['allowedValues'] as unknown[]).map(String).join(', ')}`);
    case 'const':
      return source.at(path, `${where(path)}must be ${JSON.stringify(params['allowedValue'])}`);
    case 'pattern':
      return source.at(path, `${where(path)}${describePattern(path)} (must match ${String(params['pattern'])})`);
    case 'propertyNames':
      return source.at(path, `${where(path)}invalid name '${String(params['propertyName'])}'`);
    case 'oneOf':
      return source.at(path, `${where(path)}has none of the allowed forms: ${describeBranches(e.schema)}`);
    default:
      return source.at(path, `${where(path)}${e.message ?? 'is invalid'}`);
  }
}

function describePattern(path: DataPath): string {
  const last = path[path.length - 1];
  if (last === 'requirement' || (path.includes('requirements') && typeof last === 'number')) {
    return 'requirement ids look like AREA-NN, e.g. KICKOFF-02';
  }
  if (last === 'id') return 'ids are lower-case letters, digits, ".", "-", "_"';
  if (last === 'timeout' || last === 'interval' || last === 'maxInterval') return 'durations carry a unit, e.g. 500ms, 30s, 2m';
  return 'invalid value';
}

function describeBranches(schema: unknown): string {
  if (!Array.isArray(schema)) return 'see the scenario reference';
  return schema
    .map((branch: unknown) => {
      const b = branch as { type?: unknown; items?: { type?: unknown; oneOf?: unknown }; required?: unknown };
      if (b.type === 'array' && b.items?.oneOf) return `a list of (${describeBranches(b.items.oneOf).replace(', or ', ' or ')})`;
      if (b.type === 'array') return `a list of ${String(b.items?.type ?? 'values')}`;
      if (b.type === 'object' && Array.isArray(b.required)) return `{ ${b.required.join(', ')}: ... }`;
      return String(b.type ?? 'value');
    })
    .join(', or ');
}
