/**
 * Kick-off validation of the `callback-url` preference (CALLBACK-01). RFC 7240 wants a URL
 * value quoted (`callback-url="http://…"`, PREFER-12); the unquoted form the proposal shows
 * is accepted too, as long as the URL holds no `,` or `;`. Only http(s) URLs without
 * userinfo whose host is on the allow-list pass (default loopback only), so the server can
 * never be talked into POSTing somewhere else (no SSRF). Anything else is a 400.
 */
import type { FaultSet } from '../faults/fault-set.js';
import { invalid, type Checked } from '../operation-outcome.js';
import type { Preferences } from '../prefer.js';
import { normaliseHost, type ResolvedCallbackConfig } from './callback-config.js';

export const CALLBACK_PREFERENCE = 'callback-url';

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

/** True when the URL's host is on the configured allow-list. */
export function isAllowedHost(url: URL, config: ResolvedCallbackConfig): boolean {
  return config.allowHosts.includes(hostOf(url));
}

/** True for literal loopback hosts: 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackHost(url: URL): boolean {
  const host = normaliseHost(hostOf(url));
  if (host === undefined) return false;
  return host === 'localhost' || host === '::1' || /^127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$/.test(host);
}

/**
 * The callback URL to remember for the job, `undefined` when the client asked for none, or
 * the 400 to answer. Call it at kick-off before creating the job.
 */
export function validateCallbackUrl(
  prefs: Preferences,
  config: ResolvedCallbackConfig,
  faults: FaultSet,
): Checked<URL | undefined> {
  const pref = prefs.get(CALLBACK_PREFERENCE);
  if (pref === undefined) return { ok: true, value: undefined };
  if (pref.value === undefined) return invalid('callback-url needs a value: Prefer: callback-url="http://host:port/path"');
  let url: URL;
  try {
    url = new URL(pref.value);
  } catch {
    return invalid(`callback-url "${pref.value}" is not an absolute URL (quote it: callback-url="http://host:port/path")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return invalid(`callback-url must use http or https, got "${url.protocol.replace(/:$/, '')}"`);
  }
  if (url.username !== '' || url.password !== '') {
    return invalid('callback-url must not carry credentials (user:password@) in the URL');
  }
  // Fault CALLBACK-01: accept any host at kick-off (delivery still refuses non-loopback hosts).
  if (!isAllowedHost(url, config) && !faults.has('callback-allow-list-ignored')) {
    return invalid(
      `callback-url host "${url.hostname}" is not on this server's callback allow-list (${config.allowHosts.join(', ')})`,
      'not-supported',
    );
  }
  return { ok: true, value: url };
}

/** Whether a callback may actually be POSTed to `url`: allow-listed, or at least loopback. */
export function isDeliverable(url: URL, config: ResolvedCallbackConfig): boolean {
  return isAllowedHost(url, config) || isLoopbackHost(url);
}
