/**
 * Faults of the TLS mode (`tls` option, `serve --tls`); without TLS they change nothing. The
 * behaviour change sits in `bulk/manifest.ts` and `interaction/redirect.ts` (the URLs) and `tls/tls-listener.ts` (plain HTTP
 * still answered on the port, so the URL works and only its scheme is wrong).
 */
import type { FaultInfo } from './fault-info.js';

export const TLS_FAULTS = [
  {
    name: 'file-urls-http-under-tls',
    requirement: 'AUTH-01',
    description: "In TLS mode the manifest's output and error file URLs say http:// (the port answers plain HTTP too, so they still download).",
  },
  {
    name: 'redirect-location-http-under-tls',
    requirement: 'AUTH-01',
    description: "In TLS mode the redirect-mode 303's Location says http:// (the port answers plain HTTP too, so the result still loads).",
  },
] as const satisfies readonly FaultInfo[];
