/**
 * What the configured auth adds to the target's claims and capabilities: SMART Backend Services
 * credentials mean the target claims `smart`; the bundled server in auth mode also restricts a
 * job to the client that started it (`client-isolation`); a second client and a way to an expired
 * token, and a narrowly scoped client (AUTH-06) are capabilities scenarios can require (skipped,
 * with the reason, without them).
 */
import type { Capability, SpecTag } from '../model/scenario.js';

export interface AuthClaims {
  kind: 'smart-backend-services' | 'bearer';
  secondClient: boolean;
  /** Why `auth: expired` steps cannot run, when they cannot. */
  expiredTokenUnavailable: string | undefined;
  /** Why scenarios needing a narrowly scoped client (AUTH-06) cannot run, when they cannot. */
  scopedClientUnavailable?: string | undefined;
  /** The bundled reference server in auth mode. */
  bundled: boolean;
}

export function addAuthClaims(auth: AuthClaims | undefined, into: { tags: Set<SpecTag>; basis: string[] }): void {
  if (auth === undefined) return;
  if (auth.kind === 'smart-backend-services' && !into.tags.has('smart')) {
    into.tags.add('smart');
    into.basis.push(auth.bundled ? 'smart: the bundled server runs in SMART Backend Services mode' : 'smart: the target profile configures SMART Backend Services (auth.type)');
  }
  if (auth.bundled && !into.tags.has('client-isolation')) {
    into.tags.add('client-isolation');
    into.basis.push('client-isolation: the bundled server restricts a job to the client that started it');
  }
}

export function addAuthCapabilities(auth: AuthClaims | undefined, into: { capabilities: Set<Capability>; missing: Map<Capability, string> }): void {
  if (auth?.secondClient) into.capabilities.add('second-client');
  else into.missing.set('second-client', 'no second client in the target profile (auth.secondClient, or auth.secondTokenEnv for bearer)');
  if (auth !== undefined && auth.expiredTokenUnavailable === undefined) into.capabilities.add('expired-token');
  else into.missing.set('expired-token', auth?.expiredTokenUnavailable ?? 'the target profile configures no auth');
  if (auth !== undefined && auth.scopedClientUnavailable === undefined) into.capabilities.add('scoped-client');
  else into.missing.set('scoped-client', auth?.scopedClientUnavailable ?? 'no narrowly scoped client in the target profile (auth.scopedClient)');
}
