/**
 * Resource keys on disk, for an export too large for the in-memory ResourceKeySet: each key is
 * appended (12 bytes: the two hash halves and the resource's ordinal) to one of PARTITIONS files
 * chosen by its hash, through a small buffer per file, so memory stays flat however many
 * resources the export holds. Duplicates cannot be answered at once any more: `settle` reads the
 * partitions one at a time (each a small fraction of the whole) and reports every key met again,
 * with the ordinal of its first holder, and answers the lookups queued meanwhile (the deleted
 * file's resources, `deletedNotInOutput`). Only hashes and ordinals are written, never content.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PARTITIONS = 64;
const ENTRY_BYTES = 12;
/** Entries buffered per partition before a write (64 partitions x 48 KiB = 3 MiB). */
const BUFFERED_ENTRIES = 4096;

/** A key met again: the later resource's ordinal and the first holder's. */
export interface LateDuplicate {
  ordinal: number;
  earlier: number;
}

interface Lookup {
  hi: number;
  lo: number;
  /** Queued order: answers are given in it (a file's problems stay in line order). */
  seq: number;
  found: (ordinal: number) => void;
}

/** The in-memory table a partition is read into (a ResourceKeySet that never spills). */
export interface HashedKeyTable {
  addHashed(hi: number, lo: number, ordinal: number): number | undefined;
  ordinalOfHashed(hi: number, lo: number): number | undefined;
}

/** The top six bits of the first hash half choose the partition. */
const partitionOf = (hi: number): number => hi >>> 26;

export class SpilledKeys {
  readonly dir: string;
  private readonly fds: number[] = [];
  private readonly buffers: Uint32Array[] = [];
  private readonly filled: number[] = [];
  private readonly lookups: Lookup[][] = Array.from({ length: PARTITIONS }, () => []);
  private entries = 0;
  private queued = 0;
  private closed = false;

  constructor(parent: string = tmpdir()) {
    this.dir = mkdtempSync(join(parent, 'fhir-async-keys-'));
    try {
      for (let p = 0; p < PARTITIONS; p++) {
        this.fds.push(openSync(join(this.dir, `${p}.keys`), 'w+'));
        this.buffers.push(new Uint32Array(BUFFERED_ENTRIES * 3));
        this.filled.push(0);
      }
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  /** Keys written so far. */
  get size(): number {
    return this.entries;
  }

  add(hi: number, lo: number, ordinal: number): void {
    const p = partitionOf(hi);
    const buffer = this.buffers[p] as Uint32Array;
    let at = (this.filled[p] as number) * 3;
    buffer[at++] = hi;
    buffer[at++] = lo;
    buffer[at] = ordinal;
    this.filled[p] = (this.filled[p] as number) + 1;
    this.entries += 1;
    if (this.filled[p] === BUFFERED_ENTRIES) this.flush(p);
  }

  /** Queue a lookup of a key's first holder; `found` is called by `settle` when the key is there. */
  lookup(hi: number, lo: number, found: (ordinal: number) => void): void {
    this.lookups[partitionOf(hi)]?.push({ hi, lo, seq: this.queued++, found });
  }

  /**
   * Read each partition once: every key met again (a duplicate, with its first holder) in
   * ordinal order, and every queued lookup answered. The files are then removed.
   */
  settle(newTable: () => HashedKeyTable): LateDuplicate[] {
    const late: LateDuplicate[] = [];
    const answers: { seq: number; found: (ordinal: number) => void; ordinal: number }[] = [];
    try {
      for (let p = 0; p < PARTITIONS; p++) {
        this.flush(p);
        const bytes = readFileSync(join(this.dir, `${p}.keys`));
        // Written and read as native 32-bit words; a Buffer from the pool is copied if misaligned.
        const words = bytes.byteOffset % 4 === 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4) : new Uint32Array(Uint8Array.from(bytes).buffer);
        // Entries are in the order they were added; keys spilled from memory come first and are
        // unique, later ones are in ordinal order: the first holder of a key is its first entry.
        const first = newTable();
        for (let i = 0; i < words.length; i += 3) {
          const ordinal = words[i + 2] ?? 0;
          const earlier = first.addHashed(words[i] ?? 0, words[i + 1] ?? 0, ordinal);
          if (earlier !== undefined) late.push({ ordinal, earlier });
        }
        for (const q of this.lookups[p] ?? []) {
          const ordinal = first.ordinalOfHashed(q.hi, q.lo);
          if (ordinal !== undefined) answers.push({ seq: q.seq, found: q.found, ordinal });
        }
      }
    } finally {
      this.dispose();
    }
    for (const a of answers.sort((x, y) => x.seq - y.seq)) a.found(a.ordinal);
    return late.sort((a, b) => a.ordinal - b.ordinal);
  }

  /** Close and remove the files (also when the run stops early). */
  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const fd of this.fds) closeSync(fd);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private flush(p: number): void {
    const count = this.filled[p] as number;
    if (count === 0) return;
    const buffer = this.buffers[p] as Uint32Array;
    const bytes = Buffer.from(buffer.buffer, buffer.byteOffset, count * ENTRY_BYTES);
    let written = 0;
    while (written < bytes.length) written += writeSync(this.fds[p] as number, bytes, written);
    this.filled[p] = 0;
  }
}
