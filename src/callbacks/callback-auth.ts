/**
 * Checks how a callback was authenticated: an HMAC-SHA256 signature of the raw body with a
 * shared secret, or an expected bearer token. Both live in closures (never in a field a log
 * or a serialised object could show); only the verdict leaves this module.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * - `hmac-sha256`: the signature header holds a valid HMAC-SHA256 of the body (secret configured)
 * - `bearer`: `Authorization: Bearer` holds the expected token (token configured)
 * - `signature-mismatch` / `wrong-bearer`: present, but not what the configured secret or token gives
 * - `unverified`: a signature or Authorization header came, but nothing is configured to check it
 * - `none`: neither header came
 */
export type CallbackAuthentication = 'hmac-sha256' | 'bearer' | 'signature-mismatch' | 'wrong-bearer' | 'unverified' | 'none';

export const DEFAULT_SIGNATURE_HEADER = 'x-callback-signature';

export interface CallbackCredentials {
  /** HMAC-SHA256 key the target signs with. */
  secret?: string;
  /** Token the target sends as `Authorization: Bearer <token>`. */
  bearerToken?: string;
  /** Header carrying `sha256=<hex>` (or bare hex); default X-Callback-Signature. */
  signatureHeader?: string;
}

export interface CallbackVerifier {
  /** What is configured, in words (never the values). */
  readonly configured: string;
  verify(headers: Readonly<Record<string, string>>, body: Buffer): CallbackAuthentication;
}

export function createCallbackVerifier(credentials: CallbackCredentials = {}): CallbackVerifier {
  const { secret, bearerToken } = credentials;
  const signatureHeader = (credentials.signatureHeader ?? DEFAULT_SIGNATURE_HEADER).toLowerCase();
  const configured = [secret !== undefined ? 'an HMAC-SHA256 secret' : '', bearerToken !== undefined ? 'a bearer token' : '']
    .filter(Boolean)
    .join(' and ');
  return {
    configured: configured || 'no callback secret or token (authentication is only seen, not verified)',
    verify(headers, body) {
      const signature = headers[signatureHeader];
      const authorization = headers['authorization'];
      const signedOk = secret !== undefined && signature !== undefined && matchesSignature(signature, secret, body);
      if (signedOk) return 'hmac-sha256';
      const bearer = /^bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
      if (bearerToken !== undefined && bearer !== undefined && equalSecrets(bearer, bearerToken)) return 'bearer';
      if (secret !== undefined && signature !== undefined) return 'signature-mismatch';
      if (bearerToken !== undefined && bearer !== undefined) return 'wrong-bearer';
      if (signature !== undefined || authorization !== undefined) return 'unverified';
      return 'none';
    },
  };
}

/** `sha256=<hex>` (or bare hex; several comma-separated values allowed) equal to the body's HMAC. */
function matchesSignature(header: string, secret: string, body: Buffer): boolean {
  const expected = createHmac('sha256', secret).update(body).digest();
  return header.split(',').some((part) => {
    const hex = /^\s*(?:sha256=)?([0-9A-Fa-f]{64})\s*$/.exec(part)?.[1];
    return hex !== undefined && timingSafeEqual(Buffer.from(hex, 'hex'), expected);
  });
}

function equalSecrets(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
