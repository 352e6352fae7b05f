/**
 * `_elements`: keep only the listed root elements (`name` for every type, `Type.name` for
 * one type) plus the mandatory ones, and tag the result SUBSETTED so it is not mistaken for
 * a complete resource. A type no listed element applies to is returned whole.
 */
import { isExportType, type ExportType } from '../synthetic-data.js';

export interface ElementSelector {
  /** Undefined: applies to every type. */
  type: ExportType | undefined;
  element: string;
}

export const SUBSETTED_TAG: fhir4.Coding = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue',
  code: 'SUBSETTED',
  display: 'subsetted',
};

/** Elements always kept: resourceType, id, meta, and the type's elements with min cardinality 1. */
const MANDATORY: Readonly<Record<ExportType, readonly string[]>> = {
  Patient: [],
  Observation: ['status', 'code'],
  Encounter: ['status', 'class'],
  Condition: ['subject'],
  DocumentReference: ['status', 'content'],
  Organization: [],
};
const ALWAYS = ['resourceType', 'id', 'meta'];

const SELECTOR = /^(?:([A-Z][A-Za-z]*)\.)?([a-z][A-Za-z0-9]*)$/;

/** Parses one `_elements` item, or returns why it is not supported. */
export function parseElement(text: string): { ok: true; value: ElementSelector } | { ok: false; message: string } {
  const match = SELECTOR.exec(text);
  if (match === null) {
    return { ok: false, message: `_elements "${text}" is not supported: use element or Type.element (root elements only)` };
  }
  const [, type, element = ''] = match;
  if (type === undefined) return { ok: true, value: { type: undefined, element } };
  if (!isExportType(type)) return { ok: false, message: `_elements "${text}" names a type that is not exported (${type})` };
  return { ok: true, value: { type, element } };
}

function listKeptElements(type: string, selectors: readonly ElementSelector[]): Set<string> | undefined {
  const listed = selectors.filter((s) => s.type === undefined || s.type === type).map((s) => s.element);
  if (listed.length === 0 || !isExportType(type)) return undefined;
  return new Set([...ALWAYS, ...MANDATORY[type], ...listed]);
}

/** The resource reduced to the selected elements and tagged SUBSETTED, or itself when nothing applies. */
export function subsetResource(resource: fhir4.Resource, selectors: readonly ElementSelector[]): fhir4.Resource {
  const kept = listKeptElements(resource.resourceType, selectors);
  if (kept === undefined) return resource;
  const subset: fhir4.Resource = { resourceType: resource.resourceType };
  for (const [key, value] of Object.entries(resource)) {
    if (kept.has(key)) Object.defineProperty(subset, key, { value, enumerable: true, writable: true, configurable: true });
  }
  subset.meta = { ...resource.meta, tag: [...(resource.meta?.tag ?? []), SUBSETTED_TAG] };
  return subset;
}
