/**
 * A step's `follow`: after its final answer, fetch the URL at a JSON pointer of the answer (e.g. a
 * manifest's `/link/0/url`), then the one in that answer, and so on, up to `max` pages. Every page
 * is checked with `follow.expect`. URLs are opaque: only what the target handed out is followed.
 */
import { parseBody } from '../assert/evaluate-check.js';
import { resolvePointer } from '../assert/json-pointer.js';
import type { HttpResponse } from '../http/client.js';
import { isAbsoluteHttpUrl } from '../assert/matchers.js';

export const DEFAULT_FOLLOW_MAX = 20;

export type NextLink = { kind: 'none' } | { kind: 'next'; url: string } | { kind: 'unusable'; reason: string };

/** The URL to follow from `res`, if its JSON body has a string at `pointer`. */
export function findNextLink(res: HttpResponse, pointer: string, visited: ReadonlySet<string>): NextLink {
  const parsed = parseBody(res);
  if (!parsed.ok) return { kind: 'none' };
  const value = resolvePointer(parsed.value, pointer)[0]?.value;
  if (value === undefined) return { kind: 'none' };
  if (typeof value !== 'string' || !isAbsoluteHttpUrl(value)) {
    return { kind: 'unusable', reason: `${pointer} is ${JSON.stringify(value)}, not an absolute http(s) URL to follow` };
  }
  if (visited.has(value)) return { kind: 'unusable', reason: `${pointer} points back to ${value}, which was already fetched (a loop)` };
  return { kind: 'next', url: value };
}
