/** `--callback-listen host:port` and `--callback-public-url`: parsing with readable errors. */
import { isIP } from 'node:net';

export interface ListenAddress {
  host: string;
  port: number;
}

export const DEFAULT_CALLBACK_LISTEN: ListenAddress = { host: '127.0.0.1', port: 0 };

/** `127.0.0.1:0`, `0.0.0.0:9000`, `[::1]:9000`, `localhost:9000`; throws a message naming the problem. */
export function parseListenAddress(text: string): ListenAddress {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):([0-9]{1,5})$/.exec(text.trim());
  const host = m?.[1] ?? m?.[2];
  const port = Number(m?.[3]);
  if (!m || host === undefined || !Number.isInteger(port) || port > 65535) {
    throw new Error(`--callback-listen: '${text}' is not host:port (e.g. 127.0.0.1:0, 0.0.0.0:9000, [::1]:9000)`);
  }
  if (m[1] !== undefined && isIP(host) !== 6) throw new Error(`--callback-listen: '${host}' is not an IPv6 address`);
  return { host, port };
}

/** An absolute http(s) URL without query or fragment; throws a message naming the problem. */
export function parsePublicUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`--callback-public-url: '${text}' is not an absolute URL (e.g. http://host.docker.internal:9000)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`--callback-public-url: use http or https, not ${url.protocol}`);
  if (url.username || url.password) throw new Error('--callback-public-url: must not carry user:password@');
  if (url.search || url.hash) throw new Error('--callback-public-url: must not have a query or fragment');
  return url.href.replace(/\/+$/, '');
}

/** The host as it appears in a URL: IPv6 in brackets, a wildcard address as 127.0.0.1. */
export function formatHostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return isIP(host) === 6 ? `[${host}]` : host;
}
