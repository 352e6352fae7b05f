import type { TargetProfile } from '../config/profile.js';
import type { Capability, Requirement, SpecTag } from '../model/scenario.js';
import type { RequirementLevel } from '../model/results.js';
import { discoverOperations } from './discovery.js';
import { addAuthCapabilities, addAuthClaims, type AuthClaims } from '../auth/auth-claims.js';

/** What the target claims and offers, and why we believe it: the basis for skips and levels. */
export interface TargetClaims {
  tags: ReadonlySet<SpecTag>;
  capabilities: ReadonlySet<Capability>;
  /** Why a capability is missing, for skip reasons. */
  missing: ReadonlyMap<Capability, string>;
  /** Where each claim or capability came from, for the report. */
  basis: string[];
}

/** What the bundled reference server implements. */
export const BUNDLED_CLAIMS: readonly SpecTag[] = ['bulk-v2', 'bundle', 'redirect', 'callback', 'longpoll'];
const BULK_VERSIONS: readonly SpecTag[] = ['bulk-v1', 'bulk-v2', 'bulk-v3', 'bulk-v4'];

export interface ClaimsInput {
  profile: TargetProfile;
  /** --profile tags. */
  cliTags: readonly SpecTag[];
  /** The /metadata body, when the target answered with JSON. */
  metadata: unknown;
  bundled: boolean;
  /** What the profile's `auth` supplies (src/auth/auth-claims.ts); absent without auth. */
  auth?: AuthClaims;
  /** The target base URL: https gives the `tls` capability (AUTH-01). */
  baseUrl?: string;
}

export function resolveClaims(input: ClaimsInput): TargetClaims {
  const basis: string[] = [];
  const tags = new Set<SpecTag>([...(input.bundled ? BUNDLED_CLAIMS : []), ...(input.profile.claims ?? []), ...input.cliTags]);
  const versions = BULK_VERSIONS.filter((t) => tags.has(t));
  if (versions.length === 0) {
    tags.add('bulk-v2');
    basis.push('bulk-v2 assumed (no Bulk Data version claimed; use --profile or claims: in the config)');
  } else if (versions.length > 1) {
    // Only one Bulk Data version can be judged at once: the newest claimed wins, and the report says so.
    for (const v of versions.slice(0, -1)) tags.delete(v);
    basis.push(`several Bulk Data versions claimed (${versions.join(', ')}); judging as ${versions[versions.length - 1]}`);
  }
  addAuthClaims(input.auth, { tags, basis });
  basis.push(`claims: ${[...tags].join(', ')}`);
  const capabilities = new Set<Capability>(tags);
  const missing = new Map<Capability, string>();
  const discovered = discoverOperations(input.metadata);
  if (discovered.kind === 'unavailable') {
    capabilities.add('export');
    basis.push(`export assumed: ${discovered.reason}`);
  } else {
    for (const op of discovered.operations) capabilities.add(op);
    basis.push(`from /metadata: ${discovered.operations.join(', ') || 'no bulk export operation'}`);
    for (const op of ['export', 'patient-export', 'group-export'] as const) {
      if (!discovered.operations.includes(op)) missing.set(op, `${op} is not advertised in /metadata`);
    }
  }
  for (const c of input.profile.capabilities ?? []) capabilities.add(c);
  addTesterKnowledge(input, capabilities, missing);
  // The bundled server refuses callback URLs whose host is off its allow-list (loopback by default).
  if (input.bundled) capabilities.add('callback-allow-list');
  if (!capabilities.has('callback-allow-list')) {
    missing.set('callback-allow-list', 'declare callback-allow-list in capabilities: if the target refuses callback URLs whose host is off an allow-list');
  }
  if (capabilities.has('group-export') && input.profile.groupId === undefined && !input.bundled) {
    capabilities.delete('group-export');
    missing.set('group-export', 'no groupId in the target profile (set groupId: to the Group to export)');
  }
  // GET kick-off is required before v4 and refused by v4; POST is required by v4 and optional before
  // (the bundled reference server offers it).
  if (tags.has('bulk-v4')) capabilities.add('post-kickoff');
  else capabilities.add('get-kickoff');
  if (input.bundled) capabilities.add('post-kickoff');
  if (!capabilities.has('post-kickoff') && !missing.has('post-kickoff')) {
    missing.set('post-kickoff', 'POST kick-off is optional before Bulk Data v4; declare it in capabilities: to test it');
  }
  if (!capabilities.has('get-kickoff')) missing.set('get-kickoff', 'Bulk Data v4 kicks off with POST only');
  if (!capabilities.has('organize-output-by')) {
    missing.set('organize-output-by', 'organizeOutputBy is optional (Bulk Data v3 and later); declare organize-output-by in capabilities: when the target supports it');
  }
  for (const t of ['bundle', 'redirect', 'callback', 'longpoll', 'smart', 'client-isolation'] as const) {
    if (!tags.has(t)) missing.set(t, `the target profile does not claim ${t} (add it to claims: or --profile)`);
  }
  addAuthCapabilities(input.auth, { capabilities, missing });
  // AUTH-01: the https scenarios need an https target; a plain-http one skips them (--require tls fails them).
  if (input.baseUrl?.startsWith('https://')) capabilities.add('tls');
  else {
    capabilities.delete('tls');
    missing.set('tls', `the target base URL ${input.baseUrl ?? '(unknown)'} is plain http, not https over TLS`);
  }
  return { tags, capabilities, missing, basis };
}

/**
 * What only someone who knows the target can supply: a status URL it never issued (profile
 * `vars.unknownStatusUrl`; status URLs are opaque, so the suite cannot make one up) and the fact
 * that resources were deleted after 2000-01-01 (`deleted-resources`), and a `_typeFilter` whose
 * job it accepts and then fails (`vars.failingTypeFilter`: `failing-job`). The bundled server has all three.
 */
function addTesterKnowledge(input: ClaimsInput, capabilities: Set<Capability>, missing: Map<Capability, string>): void {
  if (input.profile.vars?.['unknownStatusUrl'] !== undefined) capabilities.add('unknown-status-url');
  else {
    capabilities.delete('unknown-status-url');
    missing.set('unknown-status-url', "no unknownStatusUrl in the target profile's vars (a status URL the target never issued: status URLs are opaque, so the suite cannot make one up)");
  }
  // A job the target accepts and then fails: the tester names the _typeFilter that does it.
  if (input.profile.vars?.['failingTypeFilter'] !== undefined || input.bundled) capabilities.add('failing-job');
  else {
    capabilities.delete('failing-job');
    missing.set('failing-job', "no failingTypeFilter in the target profile's vars (a _typeFilter the target accepts at kick-off and then fails the job on: only the tester can know one)");
  }
  if (input.bundled) capabilities.add('deleted-resources');
  if (!capabilities.has('deleted-resources')) {
    missing.set('deleted-resources', 'declare deleted-resources in capabilities: if resources that a system export covers were deleted after 2000-01-01');
  }
}

/** Does a requirement or check apply to this target? (no tags = everywhere) */
export function appliesTo(tags: readonly SpecTag[] | undefined, claims: TargetClaims): boolean {
  return tags === undefined || tags.some((t) => claims.tags.has(t));
}

/** The requirement's level for this target: a per-version override wins. */
export function levelFor(requirement: Requirement, claims: TargetClaims): RequirementLevel {
  for (const [tag, level] of Object.entries(requirement.levels ?? {})) {
    if (claims.tags.has(tag as SpecTag) && level) return level;
  }
  return requirement.level;
}

/** The requires a scenario lacks on this target, each with the reason. */
export function unmetRequirements(requires: readonly Capability[] | undefined, claims: TargetClaims): { capability: Capability; reason: string }[] {
  return (requires ?? [])
    .filter((c) => !claims.capabilities.has(c))
    .map((c) => ({ capability: c, reason: claims.missing.get(c) ?? `the target does not offer ${c}` }));
}
