/**
 * Kick-off parameters for $export, interpreted per Bulk Data v2: `_outputFormat`, `_since`,
 * `_until`, `_type`, `_elements`, `patient`, `_typeFilter`, `includeAssociatedData`,
 * `_maximumFileSize`, `_minimumFileSize`. A repeated list parameter equals one
 * comma-delimited value. An unsupported parameter or value is refused with 400, unless the
 * client sent `Prefer: handling=lenient`: then it is ignored and reported in the manifest's
 * `error` array. An unprocessable `_typeFilter` query does not fail the kick-off but the job.
 */
import type { FaultSet } from '../faults/fault-set.js';
import type { BulkVersion } from './manifest.js';
import { invalid, type Checked } from '../operation-outcome.js';
import type { ExportType } from '../synthetic-data.js';
import type { ElementSelector } from './elements.js';
import {
  parseAssociatedData,
  parseElements,
  parseFileSizes,
  parseInstants,
  parseAllowPartialManifests,
  parseOutputFormat,
  parsePatients,
  parseTypeFilters,
  parseTypes,
  type ParamNotes,
} from './param-parsers.js';
import type { TypeFilter } from './type-filter.js';
import { parseOrganizeOutputBy } from './organize-output.js';

import type { RawParam } from './raw-params.js';

export { collectParametersBody, collectQueryParams, type RawParam } from './raw-params.js';
export { NDJSON_FORMATS } from './param-parsers.js';

export type ExportLevel = 'system' | 'patient' | 'group';

export interface ExportParams {
  level: ExportLevel;
  /** The Group of a Group-level export. */
  groupId: string | undefined;
  outputFormat: string;
  types: readonly ExportType[];
  /** Epoch ms of `_since` / `_until`, when given. */
  since: number | undefined;
  until: number | undefined;
  /** Patient numbers (N of `pN`) the export is limited to; undefined = no patient restriction. */
  patients: readonly number[] | undefined;
  /** `_elements`; undefined = whole resources. */
  elements: readonly ElementSelector[] | undefined;
  typeFilters: readonly TypeFilter[];
  includeAssociatedData: readonly string[];
  maxFileSize: number | undefined;
  minFileSize: number | undefined;
  /** Diagnostics for what was ignored under handling=lenient (one per parameter or value). */
  ignored: readonly string[];
  /** Set when the job must fail once it has run (an unprocessable `_typeFilter`). */
  failure: string | undefined;
  /** `organizeOutputBy` (Bulk Data v3/v4; the 4.0 shape only): the resource type output blocks are organized by. */
  organizeOutputBy?: string;
  /** `allowPartialManifests=true` (Bulk Data v3/v4; the 4.0 shape only): paged and partial manifests. */
  allowPartialManifests?: boolean;
}

export interface InterpretContext {
  level: ExportLevel;
  groupId?: string;
  /** Members (patient numbers) of the Group of a Group-level export. */
  groupMembers?: readonly number[];
  patientCount: number;
  lenient: boolean;
  faults: FaultSet;
  /** The server's Bulk Data shape: 'v3' and 'v4' also know `allowPartialManifests` and `organizeOutputBy` (v2 servers refuse them as unknown). */
  bulkVersion?: BulkVersion;
}

const KNOWN = [
  '_outputFormat',
  '_since',
  '_until',
  '_type',
  '_elements',
  'patient',
  '_typeFilter',
  'includeAssociatedData',
  '_maximumFileSize',
  '_minimumFileSize',
];

/** Parameters the v3 and 4.0 shapes know (Bulk Data v3 added them). */
const KNOWN_V3 = ['allowPartialManifests', 'organizeOutputBy'];

function checkUnknownParams(raw: readonly RawParam[], ctx: InterpretContext, notes: ParamNotes): Checked<null> {
  const known = ctx.bulkVersion === 'v3' || ctx.bulkVersion === 'v4' ? [...KNOWN, ...KNOWN_V3] : KNOWN;
  for (const param of raw.filter((p) => !known.includes(p.name))) {
    const message = `parameter "${param.name}" is not supported`;
    if (ctx.lenient) {
      notes.ignored.push(`${message}; it was ignored (${param.name}=${param.value})`);
      // Fault KICKOFF-14: an unsupported parameter is ignored silently instead of refused.
    } else if (!ctx.faults.has('unsupported-parameter-ignored')) {
      return invalid(`${message} (send Prefer: handling=lenient to have it ignored)`, 'not-supported');
    }
  }
  return { ok: true, value: null };
}

/** Validates raw parameters into ExportParams, or the 400 to answer. */
export function interpretExportParams(raw: readonly RawParam[], ctx: InterpretContext): Checked<ExportParams> {
  const valuesOf = (name: string): string[] => raw.filter((p) => p.name === name).map((p) => p.value);
  const notes: ParamNotes = { lenient: ctx.lenient, ignored: [], failure: undefined };
  const unknown = checkUnknownParams(raw, ctx, notes);
  if (!unknown.ok) return unknown;
  const outputFormat = parseOutputFormat(valuesOf('_outputFormat'), ctx.faults);
  if (!outputFormat.ok) return outputFormat;
  const instants = parseInstants(valuesOf('_since'), valuesOf('_until'), ctx.faults);
  if (!instants.ok) return instants;
  const types = parseTypes(valuesOf('_type'), ctx, notes);
  if (!types.ok) return types;
  const elements = parseElements(valuesOf('_elements'), notes);
  if (!elements.ok) return elements;
  const patients = parsePatients(valuesOf('patient'), ctx, notes);
  if (!patients.ok) return patients;
  const typeFilters = parseTypeFilters(valuesOf('_typeFilter'), notes);
  if (!typeFilters.ok) return typeFilters;
  const associated = parseAssociatedData(valuesOf('includeAssociatedData'), notes, ctx.faults);
  if (!associated.ok) return associated;
  const sizes = parseFileSizes(valuesOf('_maximumFileSize'), valuesOf('_minimumFileSize'));
  if (!sizes.ok) return sizes;
  const partial = parseAllowPartialManifests(valuesOf('allowPartialManifests'));
  if (!partial.ok) return partial;
  const organizeOutputBy = parseOrganizeOutputBy(valuesOf('organizeOutputBy'), ctx.lenient, notes.ignored);
  if (!organizeOutputBy.ok) return organizeOutputBy;
  return {
    ok: true,
    value: {
      level: ctx.level,
      groupId: ctx.groupId,
      outputFormat: outputFormat.value,
      types: types.value,
      since: instants.value.since,
      until: instants.value.until,
      patients: patients.value,
      elements: elements.value,
      typeFilters: typeFilters.value,
      includeAssociatedData: associated.value,
      maxFileSize: sizes.value.max,
      minFileSize: sizes.value.min,
      ignored: notes.ignored,
      failure: notes.failure,
      ...(partial.value ? { allowPartialManifests: true } : {}),
      ...(organizeOutputBy.value !== undefined ? { organizeOutputBy: organizeOutputBy.value } : {}),
    },
  };
}
