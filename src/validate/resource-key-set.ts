/**
 * The set of `resourceType/id` keys seen across an export, in flat memory: each key is kept as
 * a 64-bit hash (two independent 32-bit FNV-1a hashes) with the ordinal of the resource that
 * first had it, in an open-addressing table of typed arrays (12 bytes a slot, at most three
 * quarters full: 16 to 32 bytes per resource, whatever the line length, and half as much again
 * while the table doubles). This is the only memory of NDJSON validation that grows with the
 * export: about 12 MB for the benchmark's 780,000 resources. Two different keys share a 64-bit
 * hash with negligible probability (about n^2 / 2^65: 3e-8 for a million resources).
 */

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

export class ResourceKeySet {
  private hi = new Uint32Array(INITIAL_CAPACITY);
  private lo = new Uint32Array(INITIAL_CAPACITY);
  private ordinal = new Uint32Array(INITIAL_CAPACITY);
  private used = 0;

  get size(): number {
    return this.used;
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
    if (this.used + 1 > this.lo.length * MAX_LOAD) this.grow();
    const slot = this.find(hi, lo);
    if (this.lo[slot] !== 0) return this.ordinal[slot];
    this.hi[slot] = hi;
    this.lo[slot] = lo;
    this.ordinal[slot] = ordinal;
    this.used += 1;
    return undefined;
  }

  /** The ordinal of the resource that added `type/id`, or undefined when none did (nothing is added). */
  ordinalOfResource(type: string, id: string): number | undefined {
    const [h, l] = hashParts(type, id);
    const slot = this.find(h, l);
    return this.lo[slot] !== 0 ? this.ordinal[slot] : undefined;
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
