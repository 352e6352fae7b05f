/**
 * RFC 6901 JSON Pointer, extended with `*` as a segment meaning "every element or member".
 * Returns every match with its concrete pointer; an unmatched pointer gives no matches, except
 * that below a `*` each element yields a match, with value `undefined` where the rest is absent.
 */
export interface PointerMatch {
  pointer: string;
  value: unknown;
}

export function resolvePointer(doc: unknown, pointer: string): PointerMatch[] {
  if (pointer === '') return [{ pointer: '', value: doc }];
  const segments = pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let current: PointerMatch[] = [{ pointer: '', value: doc }];
  let expanded = false;
  for (const seg of segments) {
    const next: PointerMatch[] = [];
    for (const { pointer: at, value } of current) {
      if (value === null || typeof value !== 'object') {
        // After a `*`, every element counts: one that lacks the member is reported as absent.
        if (expanded && seg !== '*') next.push({ pointer: `${at}/${escape(seg)}`, value: undefined });
        continue;
      }
      if (seg === '*') {
        const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
        for (const [k, v] of entries) next.push({ pointer: `${at}/${escape(k)}`, value: v });
      } else if (Array.isArray(value)) {
        if (/^(0|[1-9][0-9]*)$/.test(seg) && Number(seg) < value.length) next.push({ pointer: `${at}/${seg}`, value: value[Number(seg)] });
        else if (expanded) next.push({ pointer: `${at}/${escape(seg)}`, value: undefined });
      } else if (Object.prototype.hasOwnProperty.call(value, seg)) {
        next.push({ pointer: `${at}/${escape(seg)}`, value: (value as Record<string, unknown>)[seg] });
      } else if (expanded) {
        next.push({ pointer: `${at}/${escape(seg)}`, value: undefined });
      }
    }
    if (seg === '*') expanded = true;
    current = next;
  }
  return current;
}

function escape(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
