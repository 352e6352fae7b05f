/**
 * SMART discovery: `GET <base>/.well-known/smart-configuration` and its `token_endpoint`
 * (SMART App Launch 2.x, used by Backend Services). A configured endpoint skips discovery.
 */
import { checkAuthUrl, sendAuthRequest, type AuthHttpOptions } from './auth-http.js';

export type Discovered = { ok: true; tokenEndpoint: string; how: 'configured' | 'discovered' } | { ok: false; error: string };

export async function discoverTokenEndpoint(baseUrl: string, configured: string | undefined, opts: AuthHttpOptions): Promise<Discovered> {
  if (configured !== undefined) {
    const problem = checkAuthUrl(configured, 'auth.tokenEndpoint');
    return problem === undefined ? { ok: true, tokenEndpoint: configured, how: 'configured' } : { ok: false, error: problem };
  }
  const url = `${baseUrl.replace(/\/+$/, '')}/.well-known/smart-configuration`;
  const res = await sendAuthRequest(url, { method: 'GET', headers: { Accept: 'application/json' } }, opts);
  const hint = '(or set auth.tokenEndpoint in the target profile)';
  if (!res.ok) return { ok: false, error: `SMART discovery failed: ${res.error} ${hint}` };
  if (res.status !== 200) return { ok: false, error: `SMART discovery failed: GET ${url} answered ${res.status} ${hint}` };
  const doc = res.json as { token_endpoint?: unknown } | undefined;
  if (typeof doc?.token_endpoint !== 'string') {
    return { ok: false, error: `SMART discovery failed: ${url} has no token_endpoint string ${hint}` };
  }
  const problem = checkAuthUrl(doc.token_endpoint, `token_endpoint from ${url}`);
  return problem === undefined ? { ok: true, tokenEndpoint: doc.token_endpoint, how: 'discovered' } : { ok: false, error: problem };
}
