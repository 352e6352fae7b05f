/**
 * The fault switchboard's catalogue. Each fault breaks exactly one requirement (an id from
 * the project's requirements catalogue) and is named after what it breaks. Its behaviour
 * change lives at a single `faults.has('<name>')` check in the handler concerned.
 */

import { AUTH_FAULTS } from './auth-faults.js';
import { BULK_FAULTS } from './bulk-faults.js';
import { CALLBACK_FAULTS } from './callback-faults.js';
import { CAPABILITY_FAULTS } from './capability-faults.js';
import { EXPORT_STATUS_FAULTS } from './export-status-faults.js';
import { INTERACTION_FAULTS } from './interaction-faults.js';
import { LONGPOLL_FAULTS } from './longpoll-faults.js';
import { PACING_FAULTS } from './pacing-faults.js';
import { ORGANIZED_FAULTS } from './organized-faults.js';
import { TLS_FAULTS } from './tls-faults.js';
import type { FaultInfo } from './fault-info.js';

export type { FaultInfo } from './fault-info.js';

/**
 * Every fault, area by area. Each area keeps its own file (`<area>-faults.ts`) so that work
 * on one pattern does not touch another's list. Names must be unique across all of them.
 */
const DEFINITIONS = [...BULK_FAULTS, ...EXPORT_STATUS_FAULTS, ...INTERACTION_FAULTS, ...PACING_FAULTS, ...CALLBACK_FAULTS, ...LONGPOLL_FAULTS, ...AUTH_FAULTS, ...ORGANIZED_FAULTS, ...TLS_FAULTS, ...CAPABILITY_FAULTS] as const;

/** Names of all known faults (a union, so `faults.has('typo')` fails to compile). */
export type FaultName = (typeof DEFINITIONS)[number]['name'];

export const FAULTS: readonly FaultInfo[] = Object.freeze(
  DEFINITIONS.map((fault): FaultInfo => Object.freeze({ ...fault })),
);

export const FAULT_NAMES: readonly FaultName[] = Object.freeze(DEFINITIONS.map((fault) => fault.name));
