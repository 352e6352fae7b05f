import { describe, expect, it } from 'vitest';
import { ResourceKeySet } from '../../src/validate/resource-key-set.js';

describe('ResourceKeySet', () => {
  it('returns the ordinal of the first holder of a key it has seen', () => {
    const keys = new ResourceKeySet();
    expect(keys.add('Patient/p1', 1)).toBeUndefined();
    expect(keys.add('Observation/p1', 2)).toBeUndefined();
    expect(keys.add('Patient/p1', 7)).toBe(1);
    expect(keys.size).toBe(2);
  });

  it('grows past its initial capacity without losing or confusing keys', () => {
    const keys = new ResourceKeySet();
    const n = 200_000;
    for (let i = 1; i <= n; i++) expect(keys.add(`Observation/p${i}-obs1`, i)).toBeUndefined();
    expect(keys.size).toBe(n);
    expect(keys.add('Observation/p123456-obs1', n + 1)).toBe(123_456);
    expect(keys.add('Observation/p1-obs1', n + 2)).toBe(1);
    expect(keys.add('Observation/p1-obs2', n + 3)).toBeUndefined();
  });
});
