/**
 * Reading a FHIR JSON request body at kick-off: media type (415), size (413), JSON syntax
 * and "is a resource" (400). These are request errors, answered at once in every mode.
 */
import type { RequestContext } from '../context.js';
import { readBody } from '../http-util.js';
import { invalid, type Checked } from '../operation-outcome.js';

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const JSON_TYPES = ['application/fhir+json', 'application/json', 'application/json+fhir'];

function checkContentType(header: string | undefined): Checked<true> {
  if (header === undefined) return { ok: true, value: true };
  const type = (header.split(';')[0] ?? '').trim().toLowerCase();
  if (type === '' || JSON_TYPES.includes(type)) return { ok: true, value: true };
  return invalid(`Content-Type "${header}" is not supported; send application/fhir+json`, 'not-supported', 415);
}

/** Reads the body as one JSON resource (an object with a string resourceType). */
export async function readResourceBody(ctx: RequestContext): Promise<Checked<JsonObject>> {
  const type = checkContentType(ctx.req.headers['content-type']);
  if (!type.ok) {
    ctx.req.resume();
    return type;
  }
  const body = await readBody(ctx.req);
  if (!body.ok) return body;
  if (body.text.trim() === '') return invalid('the request body is empty; expected a FHIR resource in JSON');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.text);
  } catch {
    return invalid('the request body is not valid JSON');
  }
  if (!isJsonObject(parsed) || typeof parsed['resourceType'] !== 'string') {
    return invalid('the request body is not a FHIR resource (a JSON object with a resourceType)');
  }
  return { ok: true, value: parsed };
}
