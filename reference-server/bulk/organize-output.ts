/**
 * `organizeOutputBy` (Bulk Data v3/v4; the 4.0 shape only): with `organizeOutputBy=Patient`
 * the output files hold resource blocks, one per Patient in scope, each starting with a
 * Parameters header whose `header` parameter references the Patient, followed by the Patient
 * (when exported) and the exported resources of its compartment. Resources outside every
 * Patient compartment (Organization) are left out, as the IG allows. Organized files hold at
 * most `_maximumFileSize` bytes, by default ORGANIZED_FILE_BYTES; a block is moved to a new file
 * when it fits there and otherwise split: the header is repeated at the start of the next file
 * and the earlier file's manifest item names it in `continuesInFile`.
 */
import type { FaultSet } from '../faults/fault-set.js';
import { invalid, type Checked } from '../operation-outcome.js';
import { measureLine } from './file-split.js';

/** Resource types output can be organized by. */
export const ORGANIZE_BY_TYPES: readonly string[] = ['Patient'];

/**
 * Default size limit of an organized file: smaller than one synthetic Patient's block, so the
 * reference server always shows continued blocks (and continuesInFile) in an organized export.
 */
export const ORGANIZED_FILE_BYTES = 2048;

/** One organized output file: its lines, and whether its last block continues in the next file. */
export interface OrganizedFile {
  lines: string[];
  continues: boolean;
}

/** One resource block: the organizing resource's reference and the block's resources (serialised). */
export interface ResourceBlock {
  reference: string;
  lines: readonly string[];
}

/** `organizeOutputBy` as sent: undefined when absent; a 400 for an unsupported type (ignored under lenient). */
export function parseOrganizeOutputBy(values: readonly string[], lenient: boolean, ignored: string[]): Checked<string | undefined> {
  if (values.length === 0) return { ok: true, value: undefined };
  if (values.length > 1) return invalid('organizeOutputBy may be given once');
  const value = values[0]?.trim() ?? '';
  if (ORGANIZE_BY_TYPES.includes(value)) return { ok: true, value };
  const message = `organizeOutputBy "${value}" is not supported; supported: ${ORGANIZE_BY_TYPES.join(', ')}`;
  if (!lenient) return invalid(message, 'not-supported');
  ignored.push(`${message}; it was ignored (output is organized by resource type)`);
  return { ok: true, value: undefined };
}

/** The header line of a block (faults change what it carries). */
export function buildHeaderLine(reference: string, faults: FaultSet): string {
  // Fault FILE-09: the header parameter carries the id as a string, not a Reference.
  const parameter = faults.has('organized-header-not-reference')
    ? { name: 'header', valueString: reference.split('/').pop() ?? reference }
    : { name: 'header', valueReference: { reference } };
  return JSON.stringify({ resourceType: 'Parameters', parameter: [parameter] });
}

/**
 * Packs blocks into files of at most `maxBytes` (a file always takes at least its header and one
 * resource). A block that does not fit in the current file starts a new one when it fits an
 * empty file; otherwise it fills the current file and continues in the next, header repeated.
 */
export function packBlocks(blocks: readonly ResourceBlock[], maxBytes: number, faults: FaultSet): OrganizedFile[] {
  const files: OrganizedFile[] = [];
  let current: OrganizedFile = { lines: [], continues: false };
  let size = 0;
  const close = (continues: boolean): void => {
    if (current.lines.length > 0) files.push({ lines: current.lines, continues });
    current = { lines: [], continues: false };
    size = 0;
  };
  for (const block of blocks) {
    if (block.lines.length === 0) continue;
    const header = buildHeaderLine(block.reference, faults);
    const blockBytes = measureLine(header) + block.lines.reduce((n, line) => n + measureLine(line), 0);
    const opening = measureLine(header) + measureLine(block.lines[0] ?? '');
    if (size > 0 && size + blockBytes > maxBytes && (blockBytes <= maxBytes || size + opening > maxBytes)) close(false);
    current.lines.push(header);
    size += measureLine(header);
    let inBlock = 0;
    for (const line of block.lines) {
      const bytes = measureLine(line);
      if (inBlock > 0 && size + bytes > maxBytes) {
        close(true);
        // Fault FILE-09: the continued block's header is not repeated at the start of the next file.
        if (!faults.has('continued-block-header-not-repeated')) {
          current.lines.push(header);
          size += measureLine(header);
        }
      }
      current.lines.push(line);
      size += bytes;
      inBlock += 1;
    }
  }
  close(false);
  return files;
}
