/**
 * The set of `resourceType/id` keys seen across an export, in flat memory: each key is kept as
 * a 64-bit hash (two independent 32-bit FNV-1a hashes) with the ordinal of the resource that
 * first had it, in an open-addressing table of typed arrays (12 bytes a slot, at most three
 * quarters full: 16 to 32 bytes per resource, whatever the line length, and half as much again
 * while the table doubles): about 12 MB for 780,000 resources. Two different keys share a
 * 64-bit hash with negligible probability (about n^2 / 2^65: 3e-8 for a million resources).
 *
 * With `maxSlots` (the export's set: files-step.ts), the table never grows past that: the keys
 * move to disk (key-spill.ts) and later ones are appended there, so the one part of NDJSON
 * validation that grew with the export stays flat whatever its size. A duplicate found there is reported by `settle`, after the last file, and a
 * lookup (`lookupResource`) is answered then too.
 */
import { SpilledKeys, type HashedKeyTable, type LateDuplicate } from './key-spill.js';

export type { LateDuplicate } from './key-spill.js';

const INITIAL_CAPACITY = 1 << 12;
/** Grow when more than this share of the slots is used (linear probing stays short up to it). */
const MAX_LOAD = 0.75;

/** Two 32-bit hashes, mixed over `parts` joined by '/' (without building the joined string). */
export function hashParts(first: string, second: string | undefined): [number, number] {
  const length = second === undefined ? first.length : first.length + 1 + second.length;
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ length;
  for (let i = 0; i < first.length; i++) {
    const c = first.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  if (second !== undefined) {
    a = Math.imul(a ^ 0x2f, 0x01000193);
    b = Math.imul(b ^ 0x2f, 0x5bd1e995);
    b ^= b >>> 15;
    for (let i = 0; i < second.length; i++) {
      const c = second.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
  }
  // 0 marks an empty slot in `lo`; keep every real hash non-zero.
  return [a >>> 0, (b >>> 0) || 1];
}

export interface KeySetOptions {
  /** Move the keys to disk rather than grow the table past this many slots (12 bytes each); default: never. */
  maxSlots?: number;
  /** Where the spill files go (default the system's temporary directory). */
  spillDir?: string;
}

/**
 * The export's key set (files-step.ts): 2^18 slots (3 MiB, 196,608 keys) in memory, the rest on
 * disk. 2^20 cost the 300 MB benchmark 12 MiB, and 18 MiB while the table doubled, for nothing
 * but naming a duplicate in its message (one found on disk is named by its lines only).
 */
export const EXPORT_KEY_SLOTS = 1 << 18;

export class ResourceKeySet implements HashedKeyTable {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private ordinal: Uint32Array;
  private used = 0;
  private spill: SpilledKeys | undefined;

  constructor(private readonly options: KeySetOptions = {}) {
    // A power of two, at most maxSlots (with maxSlots 1, every key goes to disk).
    let capacity = INITIAL_CAPACITY;
    while (options.maxSlots !== undefined && capacity > 1 && capacity > options.maxSlots) capacity >>>= 1;
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.ordinal = new Uint32Array(capacity);
  }

  /** Keys added and not found to be duplicates yet (on disk, duplicates are only told apart by `settle`). */
  get size(): number {
    return this.used + (this.spill?.size ?? 0);
  }

  /** Have the keys moved to disk? */
  get spilled(): boolean {
    return this.spill !== undefined;
  }

  /**
   * Add `key` for the resource numbered `ordinal`; returns the ordinal of the resource that
   * already had the key (a duplicate), or undefined when it is new.
   */
  add(key: string, ordinal: number): number | undefined {
    const [h, l] = hashParts(key, undefined);
    return this.addHashed(h, l, ordinal);
  }

  /**
   * The same as `add(\`${type}/${id}\`, ordinal)`, without building that string: the per-line
   * hot path of NDJSON validation, where concatenating (and then flattening) costs more than
   * the hashing.
   */
  addResource(type: string, id: string, ordinal: number): number | undefined {
    const [h, l] = hashParts(type, id);
    return this.addHashed(h, l, ordinal);
  }

  /**
   * Add a key already hashed with `hashParts(type, id)` (by a validation worker, see
   * line-batches.ts); returns the earlier ordinal on a duplicate, as `addResource` does.
   */
  addHashed(hi: number, lo: number, ordinal: number): number | undefined {
    if (this.spill !== undefined) {
      this.spill.add(hi, lo, ordinal);
      return undefined;
    }
    if (this.used + 1 > this.lo.length * MAX_LOAD) {
      if (this.options.maxSlots !== undefined && this.lo.length * 2 > this.options.maxSlots) {
        this.moveToDisk();
        return this.addHashed(hi, lo, ordinal);
      }
      this.grow();
    }
    const slot = this.find(hi, lo);
    if (this.lo[slot] !== 0) return this.ordinal[slot];
    this.hi[slot] = hi;
    this.lo[slot] = lo;
    this.ordinal[slot] = ordinal;
    this.used += 1;
    return undefined;
  }

  /**
   * Calls `found` with the ordinal of the resource that added `type/id`, if one did (nothing is
   * added): at once from memory, or from `settle` once the keys are on disk.
   */
  lookupResource(type: string, id: string, found: (ordinal: number) => void): void {
    const [h, l] = hashParts(type, id);
    if (this.spill !== undefined) {
      this.spill.lookup(h, l, found);
      return;
    }
    const ordinal = this.ordinalOfHashed(h, l);
    if (ordinal !== undefined) found(ordinal);
  }

  /** The ordinal of the resource whose key hashed to (hi, lo), from memory (undefined when absent). */
  ordinalOfHashed(hi: number, lo: number): number | undefined {
    if (this.spill !== undefined) return undefined;
    const slot = this.find(hi, lo);
    return this.lo[slot] !== 0 ? this.ordinal[slot] : undefined;
  }

  /**
   * After the last key: the duplicates found on disk (none while the keys are in memory, where
   * `add*` reported each at once), in ordinal order, and the queued lookups answered. The spill
   * files are removed.
   */
  settle(): LateDuplicate[] {
    const spill = this.spill;
    if (spill === undefined) return [];
    this.spill = undefined;
    return spill.settle(() => new ResourceKeySet());
  }

  /** Remove the spill files, if any (the run stopped before `settle`). */
  dispose(): void {
    this.spill?.dispose();
    this.spill = undefined;
  }

  /** The table reached `maxSlots`: its keys go to disk, where later ones follow. */
  private moveToDisk(): void {
    const spill = new SpilledKeys(this.options.spillDir);
    for (let i = 0; i < this.lo.length; i++) {
      const l = this.lo[i] ?? 0;
      if (l !== 0) spill.add(this.hi[i] ?? 0, l, this.ordinal[i] ?? 0);
    }
    this.spill = spill;
    this.hi = new Uint32Array(0);
    this.lo = new Uint32Array(0);
    this.ordinal = new Uint32Array(0);
    this.used = 0;
  }


  /** The slot holding (h, l), or the empty slot where it belongs (linear probing). */
  private find(h: number, l: number): number {
    const mask = this.lo.length - 1;
    let slot = (h ^ Math.imul(l, 0x9e3779b1)) & mask;
    while (this.lo[slot] !== 0 && (this.lo[slot] !== l || this.hi[slot] !== h)) slot = (slot + 1) & mask;
    return slot;
  }

  private grow(): void {
    const { hi, lo, ordinal } = this;
    const capacity = lo.length * 2;
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.ordinal = new Uint32Array(capacity);
    for (let i = 0; i < lo.length; i++) {
      const l = lo[i] ?? 0;
      if (l === 0) continue;
      const slot = this.find(hi[i] ?? 0, l);
      this.hi[slot] = hi[i] ?? 0;
      this.lo[slot] = l;
      this.ordinal[slot] = ordinal[i] ?? 0;
    }
  }
}
