/**
 * Quick-run sampling of a large file: the first `first` resource lines are checked as they
 * arrive; of the rest, the last `last` (a ring buffer) and `random` chosen uniformly (reservoir
 * sampling, seeded, so a run is repeatable) are held back and checked when the file ends.
 * Memory: at most `last + random` lines.
 */

export interface SamplePlan {
  first: number;
  last: number;
  random: number;
}

export type HeldLine = [line: string, lineNumber: number];

/** mulberry32: a small seeded PRNG (uniform in [0, 1)). */
function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class LineSampler {
  private seen = 0;
  private readonly ring: HeldLine[] = [];
  private ringNext = 0;
  private readonly reservoir: HeldLine[] = [];
  private readonly random: () => number;

  /** `alreadySeen`: resource lines checked before sampling began (they count towards `first`). */
  constructor(private readonly plan: SamplePlan, seed = 0x5eed, alreadySeen = 0) {
    this.random = createRandom(seed);
    this.seen = alreadySeen;
  }

  /** A resource line arrives: true when it is to be checked now, false when held or skipped. */
  offer(line: string, lineNumber: number): boolean {
    this.seen += 1;
    if (this.seen <= this.plan.first) return true;
    if (this.plan.last > 0) {
      if (this.ring.length < this.plan.last) this.ring.push([line, lineNumber]);
      else {
        this.ring[this.ringNext] = [line, lineNumber];
        this.ringNext = (this.ringNext + 1) % this.plan.last;
      }
    }
    if (this.plan.random > 0) {
      const index = this.seen - this.plan.first - 1;
      if (this.reservoir.length < this.plan.random) this.reservoir.push([line, lineNumber]);
      else {
        const j = Math.floor(this.random() * (index + 1));
        if (j < this.plan.random) this.reservoir[j] = [line, lineNumber];
      }
    }
    return false;
  }

  /** The held lines (last and random), each once, in file order. */
  drain(): HeldLine[] {
    const byNumber = new Map<number, HeldLine>();
    for (const held of [...this.ring, ...this.reservoir]) byNumber.set(held[1], held);
    return [...byNumber.values()].sort((a, b) => a[1] - b[1]);
  }

  /** Lines checked or held so far. */
  get sampledCount(): number {
    return Math.min(this.seen, this.plan.first) + this.drainSize();
  }

  private drainSize(): number {
    return new Set([...this.ring, ...this.reservoir].map((h) => h[1])).size;
  }
}
