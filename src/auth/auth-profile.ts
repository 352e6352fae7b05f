/**
 * The `auth:` section of a target profile: how the harness gets access tokens. Secrets never sit
 * in the profile or on the command line: a bearer token comes from an environment variable named
 * here, and a private key from a file named here.
 *
 * ```yaml
 * auth:
 *   type: smart-backend-services
 *   clientId: bulk-client
 *   privateKey: keys/bulk-client.jwk.json   # private JWK or PEM (PKCS#8, PKCS#1, SEC1)
 *   alg: RS384                               # or ES384
 *   keyId: k1                                # kid; default the JWK's kid
 *   scope: system/*.read                     # default
 *   tokenEndpoint: https://auth.example.org/token   # default: from .well-known/smart-configuration
 *   secondClient: { clientId: other, privateKey: keys/other.pem, alg: ES384, keyId: k2 }
 *   scopedClient: { clientId: narrow, privateKey: keys/narrow.pem, alg: RS384, scope: system/Patient.rs }
 * ```
 */

export const ASSERTION_ALGS = ['RS384', 'ES384'] as const;
export type AssertionAlg = (typeof ASSERTION_ALGS)[number];

/** One SMART Backend Services client's credentials, as the profile names them. */
export interface SmartClientProfile {
  clientId: string;
  /** Path of the private key file (JWK JSON or PEM), relative to the profile file. */
  privateKey: string;
  alg: AssertionAlg;
  keyId?: string;
  /** Space-separated scopes to request. Default `system/*.read`. */
  scope?: string;
}

export type AuthProfile =
  | { type: 'none' }
  | { type: 'bearer'; tokenEnv: string; secondTokenEnv?: string; expiredTokenEnv?: string }
  | (SmartClientProfile & {
      type: 'smart-backend-services';
      tokenEndpoint?: string;
      secondClient?: SmartClientProfile;
      /**
       * A client registered with narrow scopes (e.g. `system/Patient.rs`; `scope` required), for
       * the AUTH-06 scenario: its export may hold only the types its scopes name.
       */
      scopedClient?: SmartClientProfile & { scope: string };
      /** An environment variable holding a token known to have expired (else one is waited out). */
      expiredTokenEnv?: string;
      /** Longest wait for a fresh token to expire, for `auth: expired` steps. Default 60s. */
      maxExpiryWait?: string;
    });

export const DEFAULT_SCOPE = 'system/*.read';

const envName = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' } as const;
const nonEmpty = { type: 'string', minLength: 1 } as const;
const clientProperties = {
  clientId: { type: 'string', pattern: '^[\\x21-\\x7e]{1,256}$' },
  privateKey: nonEmpty,
  alg: { enum: [...ASSERTION_ALGS] },
  keyId: nonEmpty,
  scope: { type: 'string', pattern: '^[\\x21\\x23-\\x5b\\x5d-\\x7e]+( [\\x21\\x23-\\x5b\\x5d-\\x7e]+)*$' },
} as const;
const clientRequired = ['clientId', 'privateKey', 'alg'];

/** JSON Schema of `auth:` (closed per type: a key that belongs to another type is an error). */
export const authProfileSchema = {
  type: 'object',
  required: ['type'],
  properties: { type: { enum: ['none', 'bearer', 'smart-backend-services'] } },
  allOf: [
    {
      if: { properties: { type: { const: 'none' } } },
      then: { type: 'object', additionalProperties: false, properties: { type: true } },
    },
    {
      if: { properties: { type: { const: 'bearer' } } },
      then: {
        type: 'object', additionalProperties: false, required: ['tokenEnv'],
        properties: { type: true, tokenEnv: envName, secondTokenEnv: envName, expiredTokenEnv: envName },
      },
    },
    {
      if: { properties: { type: { const: 'smart-backend-services' } } },
      then: {
        type: 'object', additionalProperties: false, required: clientRequired,
        properties: {
          type: true,
          ...clientProperties,
          tokenEndpoint: { type: 'string', pattern: '^https?://' },
          secondClient: { type: 'object', additionalProperties: false, required: clientRequired, properties: clientProperties },
          scopedClient: { type: 'object', additionalProperties: false, required: [...clientRequired, 'scope'], properties: clientProperties },
          expiredTokenEnv: envName,
          maxExpiryWait: { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?(ms|s|m)$' },
        },
      },
    },
  ],
} as const;
