/** Public API of the bundled reference server (Bulk Data v2 system-level $export). */
export type { Clock } from './clock.js';
export { FAULTS, type FaultInfo, type FaultName } from './faults/catalogue.js';
export { UnknownFaultError } from './faults/fault-set.js';
export type { PacingOption, ReferenceServerOptions, RetryAfterOption, TimingsOption } from './options.js';
export { startReferenceServer, type RunningReferenceServer } from './server.js';
export type { AuthOptions, RegisteredClientOptions } from './auth/auth-config.js';
export { AuthConfigError, loadAuthConfig } from './auth/load-auth-config.js';

import { createFaultSet } from './faults/fault-set.js';

/** Throws UnknownFaultError when any name is not in FAULTS (for early CLI validation). */
export function assertKnownFaults(names: readonly string[]): void {
  createFaultSet(names);
}
