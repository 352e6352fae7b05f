import { parseBody } from '../assert/evaluate-check.js';
import { resolvePointer } from '../assert/json-pointer.js';
import type { HttpResponse } from '../http/client.js';
import type { Capture } from '../model/scenario.js';

export type CaptureResult =
  | { ok: true; values: Map<string, string | string[]> }
  | { ok: false; reason: string };

/** Capture values from a response: a header, or a JSON pointer (`*` captures a list). */
export function captureValues(spec: Record<string, Capture>, res: HttpResponse): CaptureResult {
  const values = new Map<string, string | string[]>();
  for (const [name, from] of Object.entries(spec)) {
    if ('status' in from) {
      values.set(name, String(res.status));
      continue;
    }
    if ('body' in from) {
      const text = res.body.toString('utf8');
      if (text === '' && from.optional) continue;
      values.set(name, text);
      continue;
    }
    if ('header' in from) {
      const value = res.headers[from.header.toLowerCase()];
      if (value === undefined && from.optional) continue;
      if (value === undefined) return { ok: false, reason: `cannot capture '${name}': the response has no ${from.header} header` };
      values.set(name, value);
      continue;
    }
    const parsed = parseBody(res);
    if (!parsed.ok && from.optional) continue;
    if (!parsed.ok) return { ok: false, reason: `cannot capture '${name}' from ${from.json}: ${parsed.reason}` };
    const matches = resolvePointer(parsed.value, from.json)
      .filter((m) => m.value !== undefined)
      .map((m) => (typeof m.value === 'string' ? m.value : JSON.stringify(m.value)));
    if (from.json.includes('*')) values.set(name, matches);
    else if (matches[0] === undefined && from.optional) continue;
    else if (matches[0] === undefined) return { ok: false, reason: `cannot capture '${name}': nothing at ${from.json}` };
    else values.set(name, matches[0]);
  }
  return { ok: true, values };
}
