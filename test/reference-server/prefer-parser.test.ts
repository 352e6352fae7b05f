import { describe, expect, it } from 'vitest';
import {
  formatPreferenceApplied,
  indexPreferences,
  parsePrefer,
  parsePreferList,
  preferenceAppliedFor,
} from '../../reference-server/prefer.js';

describe('parsePrefer: RFC 7240 §2 grammar', () => {
  it('reads token, =value and ;parameters with optional whitespace around = and ;', () => {
    const pref = parsePrefer('respond-async ; A = "1" ;b').get('respond-async');
    expect(pref?.params.get('a')).toBe('1');
    expect(pref?.params.has('b')).toBe(true);
    expect(pref?.params.get('b')).toBeUndefined();
    expect(parsePrefer('wait = 10').get('wait')?.value).toBe('10');
  });

  it('lower-cases preference and parameter names but keeps values and the raw name', () => {
    const pref = parsePrefer('Async-Mode=Redirect; X-Param=Keep').get('async-mode');
    expect(pref?.rawName).toBe('Async-Mode');
    expect(pref?.value).toBe('Redirect');
    expect(pref?.params.get('x-param')).toBe('Keep');
  });

  it('unquotes quoted-strings, honouring backslash escapes and separators inside quotes', () => {
    const prefs = parsePrefer('callback-url="http://127.0.0.1:9/cb?a=1,b=2;c", note="say \\"hi\\" \\\\ bye"');
    expect(prefs.get('callback-url')?.value).toBe('http://127.0.0.1:9/cb?a=1,b=2;c');
    expect(prefs.get('note')?.value).toBe('say "hi" \\ bye');
  });

  it('accepts an unquoted non-token value (e.g. a URL) up to the next separator', () => {
    const prefs = parsePrefer('callback-url=http://127.0.0.1:9/cb, respond-async');
    expect(prefs.get('callback-url')?.value).toBe('http://127.0.0.1:9/cb');
    expect(prefs.has('respond-async')).toBe(true);
  });

  it('treats an empty value as no value, but records that = was present', () => {
    for (const header of ['respond-async=""', 'respond-async=', 'respond-async = ""']) {
      const pref = parsePrefer(header).get('respond-async');
      expect(pref?.value).toBeUndefined();
      expect(pref?.valueGiven).toBe(true);
    }
    expect(parsePrefer('respond-async').get('respond-async')?.valueGiven).toBe(false);
  });

  it('keeps every member in order in parsePreferList, and the first repeat in parsePrefer', () => {
    const list = parsePreferList('return=minimal, return=representation');
    expect(list.map((p) => p.value)).toEqual(['minimal', 'representation']);
    expect(parsePrefer('return=minimal, RETURN=representation').get('return')?.value).toBe('minimal');
    expect(indexPreferences(list, 'last').get('return')?.value).toBe('representation');
  });

  it('reads several header lines as one list', () => {
    const prefs = parsePrefer(['respond-async', 'handling=lenient, return=minimal']);
    expect([...prefs.keys()]).toEqual(['respond-async', 'handling', 'return']);
  });

  it.each([
    ['', []],
    [',,,', []],
    ['=x, respond-async', ['respond-async']],
    ['"quoted", respond-async', ['respond-async']],
    ['respond-async garbage here, wait=5', ['wait']],
    ['respond-async;;; ;=x;y, return=minimal', ['respond-async', 'return']],
    ['note="unterminated, respond-async', ['note']],
    ['réspond-async, respond-async', ['respond-async']],
    ['respond-async\t,\twait=1', ['respond-async', 'wait']],
  ])('parses a malformed header best-effort: %j', (header, names) => {
    expect([...parsePrefer(header).keys()]).toEqual(names);
  });

  it('never throws on arbitrary input', () => {
    const alphabet = ['a', '=', ';', ',', '"', '\\', ' ', '\t', 'Z', '-', '9', '/', ':'];
    let seed = 7;
    for (let i = 0; i < 2_000; i++) {
      let text = '';
      for (let j = 0; j < 20; j++) {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        text += alphabet[seed % alphabet.length] ?? '';
      }
      expect(() => parsePrefer(text)).not.toThrow();
    }
  });
});

describe('Preference-Applied formatting (RFC 7240 §3)', () => {
  it('formats token[=word] members, quoting values that are not tokens, with no parameters', () => {
    expect(formatPreferenceApplied([{ name: 'respond-async' }, { name: 'return', value: 'minimal' }])).toBe(
      'respond-async, return=minimal',
    );
    expect(formatPreferenceApplied([{ name: 'callback-url', value: 'http://h/cb?"x"' }])).toBe(
      'callback-url="http://h/cb?\\"x\\""',
    );
  });

  it('echoes the honoured preferences present in the request, in the order given, without their parameters', () => {
    const prefs = parsePrefer('handling=lenient; x=1, respond-async; y, async-mode=redirect');
    expect(preferenceAppliedFor(prefs, ['respond-async', 'async-mode', 'handling', 'return'])).toBe(
      'respond-async, async-mode=redirect, handling=lenient',
    );
    expect(preferenceAppliedFor(prefs, ['return'])).toBeUndefined();
  });
});
