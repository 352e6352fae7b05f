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

describe('ResourceKeySet.addResource', () => {
  it('is the same key as add("type/id"): either form finds the other', () => {
    const keys = new ResourceKeySet();
    expect(keys.addResource('Patient', 'p1', 1)).toBeUndefined();
    expect(keys.add('Patient/p1', 2)).toBe(1);
    expect(keys.add('Observation/o1', 3)).toBeUndefined();
    expect(keys.addResource('Observation', 'o1', 4)).toBe(3);
    // The separator is part of the key: "Pa" + "tient/p1" is not "Patient" + "p1".
    expect(keys.addResource('Patient/p', '1', 5)).toBeUndefined();
    expect(keys.addResource('Patient', 'p2', 6)).toBeUndefined();
    expect(keys.size).toBe(4);
  });
});

describe('ResourceKeySet.ordinalOfResource', () => {
  it('finds a key without adding it', () => {
    const keys = new ResourceKeySet();
    keys.addResource('Observation', 'p1-obs0', 31);
    expect(keys.ordinalOfResource('Observation', 'p1-obs0')).toBe(31);
    expect(keys.ordinalOfResource('Observation', 'p1-obs1')).toBeUndefined();
    expect(keys.ordinalOfResource('Patient', 'p1-obs0')).toBeUndefined();
    expect(keys.size).toBe(1);
  });
});
