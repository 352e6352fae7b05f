/**
 * Response format from the kick-off `Accept` header: this server speaks JSON only, as
 * `application/fhir+json` (default, also for `*\/*`, `application/*` and the legacy
 * `application/json+fhir`) or `application/json` when that is what the client asked for.
 * An Accept that allows neither gets 406 with an OperationOutcome.
 */
import { FHIR_JSON, PLAIN_JSON } from '../http-util.js';
import { invalid, type Checked } from '../operation-outcome.js';

interface MediaRange {
  type: string;
  q: number;
}

function parseAccept(header: string): MediaRange[] {
  return header
    .split(',')
    .map((part) => {
      const [type = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
      const qParam = params.find((p) => p.startsWith('q='));
      const q = qParam === undefined ? 1 : Number(qParam.slice(2));
      return { type, q: Number.isFinite(q) ? q : 0 };
    })
    .filter((range) => range.type !== '' && range.q > 0)
    .sort((a, b) => b.q - a.q);
}

function pickFormat(type: string): string | undefined {
  if (type === FHIR_JSON || type === 'application/json+fhir' || type === '*/*' || type === 'application/*') return FHIR_JSON;
  if (type === PLAIN_JSON) return PLAIN_JSON;
  return undefined;
}

export function negotiateFormat(accept: string | undefined): Checked<string> {
  if (accept === undefined || accept.trim() === '') return { ok: true, value: FHIR_JSON };
  for (const range of parseAccept(accept)) {
    const format = pickFormat(range.type);
    if (format !== undefined) return { ok: true, value: format };
  }
  return invalid(`Accept "${accept}" allows no format this server produces (application/fhir+json)`, 'not-supported', 406);
}
