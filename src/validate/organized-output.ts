/**
 * The `organized` check of `validateFiles` (FILE-09), for a manifest with `outputOrganizedBy`:
 * each output file starts with a Parameters header (a block starts there, or continues from the
 * file before), each header's `header` parameter is a Reference to a resource of the organizing
 * type, a block seen in an earlier file appears again only at the start of a file that an item's
 * `continuesInFile` names, and that file's first header is the same as the last header of the
 * file that names it. Without outputOrganizedBy nothing here runs (the `type` check judges the
 * one-type-per-file rule).
 */
import type { ProblemLog } from './problem-log.js';
import { ResourceKeySet } from './resource-key-set.js';

/** What the export-wide check knows of one output file once it is read. */
export interface OrganizedFileState {
  readonly index: number;
  readonly url: string;
  readonly continuesInFile: string | undefined;
  /** Named by another item's continuesInFile: its first block may continue one from before. */
  readonly continued: boolean;
  firstHeader: string | undefined;
  lastHeader: string | undefined;
  /** Header lines (the manifest's count may or may not include them). */
  headers: number;
  started: boolean;
  log: ProblemLog | undefined;
}

type Parameter = { name?: unknown; valueReference?: { reference?: unknown; type?: unknown } };

function findHeader(resource: Record<string, unknown>): Parameter | undefined {
  const parameters = resource['parameter'];
  if (!Array.isArray(parameters)) return undefined;
  return parameters.find((p: unknown): p is Parameter => p !== null && typeof p === 'object' && (p as Parameter).name === 'header');
}

export class OrganizedOutput {
  private readonly files: OrganizedFileState[] = [];
  private readonly byUrl = new Map<string, OrganizedFileState>();
  private readonly headerFiles = new ResourceKeySet();
  private readonly target: RegExp;

  /** `items`: the manifest's output items (url, continuesInFile) in order. */
  constructor(readonly organizedBy: string, items: readonly { url: string; continuesInFile: string | undefined }[]) {
    const named = new Set(items.map((i) => i.continuesInFile).filter((u): u is string => u !== undefined));
    items.forEach((item, index) => {
      const state: OrganizedFileState = { index, url: item.url, continuesInFile: item.continuesInFile, continued: named.has(item.url), firstHeader: undefined, lastHeader: undefined, headers: 0, started: false, log: undefined };
      this.files.push(state);
      this.byUrl.set(item.url, state);
    });
    const type = organizedBy.replace(/[^A-Za-z]/g, '');
    this.target = new RegExp(`(?:^|/)${type}/[A-Za-z0-9\\-.]{1,64}(?:/_history/[A-Za-z0-9\\-.]{1,64})?$`);
  }

  /** The state of output item `index` (undefined for files of other lists). */
  fileAt(index: number): OrganizedFileState | undefined {
    return this.files[index];
  }

  /** One resource line of an output file. */
  visit(file: OrganizedFileState, resource: Record<string, unknown>, type: string, name: string, n: number, log: ProblemLog): void {
    file.log = log;
    const header = type === 'Parameters' ? findHeader(resource) : undefined;
    if (!file.started) {
      file.started = true;
      if (header === undefined) log.add('organized', `line ${n}: the file starts with ${name}, not a Parameters header (every block, and every file a block continues into, starts with one)`);
    }
    if (header === undefined) return;
    file.headers += 1;
    const reference = header.valueReference?.reference;
    if (typeof reference !== 'string') {
      log.add('organized', `line ${n}: the header parameter has no valueReference.reference (a Reference to the ${this.organizedBy} of the block)`);
      return;
    }
    // `Patient/<id>` (relative, absolute or versioned), or any reference typed as the organizing type.
    if (!this.target.test(reference) && header.valueReference?.type !== this.organizedBy) log.add('organized', `line ${n}: the header references ${JSON.stringify(reference)}, not a ${this.organizedBy} (outputOrganizedBy)`);
    const first = file.firstHeader === undefined;
    if (first) file.firstHeader = reference;
    file.lastHeader = reference;
    const earlier = this.headerFiles.add(reference, file.index + 1);
    if (earlier === undefined || earlier === file.index + 1) return;
    // A continuation: allowed at the start of a file that continuesInFile names (checked in finish()).
    if (first && file.continued) return;
    log.add('organized', `line ${n}: the block of ${reference} already appeared in output[${earlier - 1}]; a block continued in another file must start that file, and the item before must name it in continuesInFile`);
  }

  /** Export-wide checks, once every file was read: each continuesInFile link. `read(i)`: file i was read to its end. */
  finish(read: (index: number) => boolean): void {
    for (const file of this.files) {
      if (file.continuesInFile === undefined || !read(file.index) || file.log === undefined) continue;
      const next = this.byUrl.get(file.continuesInFile);
      if (next === undefined) {
        file.log.add('organized', 'continuesInFile is not the url of an output item of this manifest');
      } else if (read(next.index) && next.firstHeader !== file.lastHeader) {
        file.log.add('organized', `continuesInFile names output[${next.index}], whose first header is ${next.firstHeader ?? 'missing'}, not this file's last block header ${file.lastHeader ?? '(none)'}`);
      }
    }
  }
}
