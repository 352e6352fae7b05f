/**
 * `sameJsonAs`: a JSON value equal to one captured earlier in the scenario, apart from keys the
 * spec lets change (e.g. a partial manifest may later gain `link` and refreshed `url`s, STATUS-06;
 * a linked manifest page differs in `output`, `deleted` and `link`, MAN-09). Object key order and
 * array order do not matter; the named keys are dropped at every depth.
 */

/** The value in a canonical text form: keys sorted, arrays as sorted multisets, `ignoreKeys` dropped. */
export function canonicalJson(value: unknown, ignoreKeys: readonly string[] = []): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v, ignoreKeys)).sort().join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([k, v]) => !ignoreKeys.includes(k) && v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v, ignoreKeys)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/** Does `value` equal the captured `reference` (JSON text; a captured plain string stands for itself)? */
export function isSameJson(value: unknown, reference: string | undefined, ignoreKeys: readonly string[] = []): boolean {
  if (reference === undefined) return false;
  let expected: unknown;
  try {
    expected = JSON.parse(reference) as unknown;
  } catch {
    expected = reference;
  }
  return canonicalJson(value, ignoreKeys) === canonicalJson(expected, ignoreKeys);
}

/** How a `sameJsonAs` expectation reads in a message. */
export function describeSameJson(arg: { variable: string; ignoreKeys?: string[] | undefined }): string {
  const ignoring = arg.ignoreKeys?.length ? ` apart from ${arg.ignoreKeys.join(', ')}` : '';
  return `equal to the value captured as ${arg.variable}${ignoring} (key and array order aside)`;
}
