import { describe, expect, it } from 'vitest';
import { parsePrefer } from '../../reference-server/prefer.js';

describe('parsePrefer (RFC 7240)', () => {
  it('returns no preferences for an absent header', () => {
    expect(parsePrefer(undefined).size).toBe(0);
  });

  it('splits on commas and lower-cases names', () => {
    const prefs = parsePrefer('Respond-Async, HANDLING=lenient');
    expect([...prefs.keys()]).toEqual(['respond-async', 'handling']);
    expect(prefs.get('handling')?.value).toBe('lenient');
  });

  it('keeps values case-sensitive and unquotes them', () => {
    const prefs = parsePrefer('callback-url="http://127.0.0.1:9/cb?a=1,b=2", async-mode=Redirect');
    expect(prefs.get('callback-url')?.value).toBe('http://127.0.0.1:9/cb?a=1,b=2');
    expect(prefs.get('async-mode')?.value).toBe('Redirect');
  });

  it('treats an empty value as no value', () => {
    expect(parsePrefer('respond-async=""').get('respond-async')?.value).toBeUndefined();
  });

  it('parses ;parameters', () => {
    const pref = parsePrefer('respond-async; Foo; bar="x;y"').get('respond-async');
    expect(pref?.params.has('foo')).toBe(true);
    expect(pref?.params.get('bar')).toBe('x;y');
  });

  it('keeps the first of repeated preferences', () => {
    expect(parsePrefer('return=minimal, return=representation').get('return')?.value).toBe('minimal');
  });

  it('joins several header lines', () => {
    const prefs = parsePrefer(['respond-async', 'handling=lenient']);
    expect([...prefs.keys()]).toEqual(['respond-async', 'handling']);
  });

  it('skips empty members without failing', () => {
    expect([...parsePrefer(' , ,respond-async,, =x').keys()]).toEqual(['respond-async']);
  });
});
