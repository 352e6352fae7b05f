import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe('ResourceKeySet.lookupResource', () => {
  it('finds a key without adding it', () => {
    const keys = new ResourceKeySet();
    keys.addResource('Observation', 'p1-obs0', 31);
    const found: string[] = [];
    for (const [type, id] of [['Observation', 'p1-obs0'], ['Observation', 'p1-obs1'], ['Patient', 'p1-obs0']] as const) keys.lookupResource(type, id, (o) => found.push(`${type}/${id}=${o}`));
    expect(found).toEqual(['Observation/p1-obs0=31']);
    expect(keys.size).toBe(1);
  });
});

describe('ResourceKeySet past maxSlots (keys on disk)', () => {
  /** Keys with repeats spread over the whole sequence, some of them first seen long before. */
  const sequence = (n: number): string[] => Array.from({ length: n }, (_, i) => (i % 7 === 6 ? `Patient/p${(i * 31) % (i - 3)}` : `Patient/p${i}`));

  it('finds exactly the duplicates an in-memory set finds: at once while in memory, by settle once on disk', () => {
    const keys = sequence(20_000);
    const reference = new ResourceKeySet();
    const expected = keys.flatMap((k, i) => {
      const earlier = reference.add(k, i + 1);
      return earlier === undefined ? [] : [{ ordinal: i + 1, earlier }];
    });
    expect(expected.length).toBeGreaterThan(2000);
    const parent = mkdtempSync(join(tmpdir(), 'keyset-test-'));
    try {
      const set = new ResourceKeySet({ maxSlots: 1024, spillDir: parent });
      const atOnce = keys.flatMap((k, i) => {
        const earlier = set.add(k, i + 1);
        return earlier === undefined ? [] : [{ ordinal: i + 1, earlier }];
      });
      expect(set.spilled).toBe(true);
      expect(readdirSync(parent)).toHaveLength(1);
      // Found at once: only before the move to disk (768 keys fit in 1024 slots at 3/4 load).
      expect(atOnce.length).toBeGreaterThan(0);
      expect(atOnce.every((d) => d.ordinal <= 1000)).toBe(true);
      const late = set.settle();
      expect([...atOnce, ...late]).toEqual(expected);
      expect(readdirSync(parent)).toEqual([]);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('answers lookups at once from memory, and in the order asked after settle once on disk', () => {
    const inMemory = new ResourceKeySet({ maxSlots: 1 << 20 });
    inMemory.addResource('Observation', 'o1', 5);
    const now: number[] = [];
    inMemory.lookupResource('Observation', 'o1', (o) => now.push(o));
    inMemory.lookupResource('Observation', 'o2', (o) => now.push(o));
    expect(now).toEqual([5]);

    const onDisk = new ResourceKeySet({ maxSlots: 1 });
    for (let i = 1; i <= 500; i++) expect(onDisk.addResource('Observation', `o${i}`, i)).toBeUndefined();
    const answered: string[] = [];
    for (const id of ['o400', 'nope', 'o3', 'o250']) onDisk.lookupResource('Observation', id, (o) => answered.push(`${id}=${o}`));
    expect(answered).toEqual([]);
    expect(onDisk.settle()).toEqual([]);
    expect(answered).toEqual(['o400=400', 'o3=3', 'o250=250']);
  });

  it('removes its files when the run stops before settle', () => {
    const parent = mkdtempSync(join(tmpdir(), 'keyset-test-'));
    try {
      const set = new ResourceKeySet({ maxSlots: 1, spillDir: parent });
      set.add('Patient/p1', 1);
      expect(readdirSync(join(parent, readdirSync(parent)[0] ?? ''))).toHaveLength(64);
      set.dispose();
      expect(readdirSync(parent)).toEqual([]);
      expect(set.settle()).toEqual([]);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
