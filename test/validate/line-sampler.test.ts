import { describe, expect, it } from 'vitest';
import { LineSampler } from '../../src/validate/line-sampler.js';

describe('LineSampler', () => {
  it('checks the first lines at once and holds the last and a random sample for the end', () => {
    const sampler = new LineSampler({ first: 3, last: 2, random: 4 });
    const now: number[] = [];
    for (let n = 1; n <= 1000; n++) if (sampler.offer(`line ${n}`, n)) now.push(n);
    expect(now).toEqual([1, 2, 3]);
    const held = sampler.drain().map(([, n]) => n);
    expect(held).toEqual([...held].sort((a, b) => a - b));
    expect(held).toContain(999);
    expect(held).toContain(1000);
    expect(held.length).toBeGreaterThanOrEqual(4);
    expect(held.length).toBeLessThanOrEqual(6);
    expect(held.every((n) => n > 3)).toBe(true);
  });

  it('is repeatable for a seed', () => {
    const pick = (): number[] => {
      const s = new LineSampler({ first: 0, last: 0, random: 5 }, 42);
      for (let n = 1; n <= 500; n++) s.offer('x', n);
      return s.drain().map(([, n]) => n);
    };
    expect(pick()).toEqual(pick());
  });
});
