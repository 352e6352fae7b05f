/** Problems of one file, per check kind: the first N in full (with line numbers), the rest counted. */
import type { FileCheckKind } from '../model/scenario.js';

export interface KindProblems {
  shown: string[];
  more: number;
}

export class ProblemLog {
  private readonly byKind = new Map<FileCheckKind, KindProblems>();

  constructor(private readonly limit: number) {}

  add(kind: FileCheckKind, message: string): void {
    let entry = this.byKind.get(kind);
    if (entry === undefined) {
      entry = { shown: [], more: 0 };
      this.byKind.set(kind, entry);
    }
    if (entry.shown.length < this.limit) entry.shown.push(message);
    else entry.more += 1;
  }

  /** Problems another log found further on (a later batch of lines): appended in order, the limit kept. */
  merge(kind: FileCheckKind, shown: readonly string[], more: number): void {
    for (const message of shown) this.add(kind, message);
    if (more > 0) {
      const entry = this.byKind.get(kind);
      if (entry !== undefined) entry.more += more;
    }
  }

  /** Every kind with problems, in the order each was first met. */
  entries(): IterableIterator<[FileCheckKind, KindProblems]> {
    return this.byKind.entries();
  }

  get(kind: FileCheckKind): KindProblems | undefined {
    return this.byKind.get(kind);
  }

  /** `line 3: ...; line 9: ...; and 12 more`. */
  describe(kind: FileCheckKind): string | undefined {
    const entry = this.byKind.get(kind);
    if (entry === undefined) return undefined;
    return entry.shown.join('; ') + (entry.more > 0 ? `; and ${entry.more} more` : '');
  }
}
