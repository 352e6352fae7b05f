/**
 * The target profile's `callback` section and what a run derives from it. Secrets never come
 * from the command line or the YAML: the profile names environment variables, read here. The
 * bundled reference server gets a fresh random HMAC secret per run (unless one is configured),
 * so the suite can check that callbacks are really signed.
 */
import { randomBytes } from 'node:crypto';
import type { CallbackCredentials } from './callback-auth.js';

export interface CallbackProfile {
  /** Environment variable holding the HMAC-SHA256 secret the target signs callbacks with. */
  secretEnv?: string;
  /** Environment variable holding the bearer token the target sends with callbacks. */
  bearerTokenEnv?: string;
  /** Header carrying the signature (default X-Callback-Signature). */
  signatureHeader?: string;
}

const envName = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' } as const;

export const callbackProfileSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    secretEnv: envName,
    bearerTokenEnv: envName,
    signatureHeader: { type: 'string', pattern: '^[A-Za-z0-9!#$%&\'*+.^_`|~-]+$' },
  },
} as const;

/** What the bundled server is told (`ReferenceServerOptions.callbacks` subset). */
export interface BundledCallbackSecrets {
  secret?: string;
  bearerToken?: string;
}

export type CallbackCredentialsResult =
  | { ok: true; credentials: CallbackCredentials; bundled?: BundledCallbackSecrets }
  | { ok: false; message: string };

/**
 * The credentials the receiver verifies callbacks with. For the bundled server (`bundled`),
 * its configured secret/token win, else the profile's, else a random per-run secret; the
 * result's `bundled` is what the server must be started with.
 */
export function readCallbackCredentials(
  profile: CallbackProfile | undefined,
  env: Readonly<Record<string, string | undefined>>,
  bundled?: { configured: BundledCallbackSecrets },
): CallbackCredentialsResult {
  const read = (name: string | undefined, what: string): { ok: true; value?: string } | { ok: false; message: string } => {
    if (name === undefined) return { ok: true };
    const value = env[name];
    if (value === undefined || value === '') return { ok: false, message: `callback.${what} names the environment variable ${name}, which is not set` };
    return { ok: true, value };
  };
  const secret = read(profile?.secretEnv, 'secretEnv');
  if (!secret.ok) return secret;
  const token = read(profile?.bearerTokenEnv, 'bearerTokenEnv');
  if (!token.ok) return token;
  const header = profile?.signatureHeader === undefined ? {} : { signatureHeader: profile.signatureHeader };
  if (bundled === undefined) {
    return { ok: true, credentials: { ...header, ...(secret.value ? { secret: secret.value } : {}), ...(token.value ? { bearerToken: token.value } : {}) } };
  }
  const chosenSecret = bundled.configured.secret ?? secret.value;
  const chosenToken = bundled.configured.bearerToken ?? token.value;
  const chosen: BundledCallbackSecrets = {
    ...(chosenSecret === undefined ? {} : { secret: chosenSecret }),
    ...(chosenToken === undefined ? {} : { bearerToken: chosenToken }),
  };
  if (chosen.secret === undefined && chosen.bearerToken === undefined) chosen.secret = randomBytes(32).toString('hex');
  return { ok: true, credentials: { ...chosen }, bundled: chosen };
}
