/**
 * The registrar's decision for one REGISTER (RFC 3261 §10.3), as a pure function of the
 * request, the AOR's current bindings and the limits. Authentication (steps 1–3) and the
 * AOR lookup (step 4–5) happen before; this covers steps 6–8.
 */
import type { Endpoint } from '../message/types.js';
import { sameContactUri } from './contact-uri.js';
import type { Binding } from './types.js';

export interface ContactInput {
  /** The Contact URI, serialized without header parameters. */
  readonly uri: string;
  /** The Contact `expires` parameter, seconds. */
  readonly expires?: number;
  readonly q?: number;
  readonly instanceId?: string;
}

export interface RegisterInput {
  readonly aor: string;
  readonly contacts: readonly ContactInput[];
  /** `Contact: *`. */
  readonly wildcard: boolean;
  /** The Expires header, seconds. */
  readonly expiresHeader?: number;
  readonly callId: string;
  readonly cseq: number;
  readonly source: Endpoint;
  readonly userAgent?: string;
  /** ms since the epoch. */
  readonly now: number;
}

/** All in seconds, except the count. */
export interface RegistrarLimits {
  readonly minExpires: number;
  readonly maxExpires: number;
  readonly defaultExpires: number;
  readonly maxContactsPerAor: number;
}

export type RegisterOutcome =
  | {
      readonly ok: true;
      /** The full set for the AOR after this request (the 200 OK lists these). */
      readonly bindings: Binding[];
      /** New bindings. */
      readonly added: Binding[];
      /** Existing bindings this request refreshed or changed (same contact, new expiry). */
      readonly refreshed: Binding[];
      /** Bindings gone: unregistered, replaced, evicted for the contact limit, or found expired. */
      readonly removed: Binding[];
    }
  | {
      readonly ok: false;
      readonly status: 400 | 403 | 423 | 500;
      readonly reason: string;
      /** With 423: the value for the Min-Expires header. */
      readonly minExpires?: number;
    };

export type UriComparator = (a: string, b: string) => boolean;

type Failure = Extract<RegisterOutcome, { ok: false }>;

function failure(status: Failure['status'], reason: string, minExpires?: number): Failure {
  return minExpires === undefined ? { ok: false, status, reason } : { ok: false, status, reason, minExpires };
}

function isSeconds(n: number | undefined): boolean {
  return n === undefined || (Number.isInteger(n) && n >= 0);
}

function validate(input: RegisterInput): Failure | undefined {
  if (input.aor === '') return failure(400, 'Empty address-of-record');
  if (!Number.isInteger(input.cseq) || input.cseq < 0) return failure(400, 'Invalid CSeq');
  if (!isSeconds(input.expiresHeader)) return failure(400, 'Invalid Expires');
  for (const c of input.contacts) {
    if (!isSeconds(c.expires)) return failure(400, 'Invalid Contact expires');
    if (c.q !== undefined && !(c.q >= 0 && c.q <= 1)) return failure(400, 'Invalid Contact q-value');
    if (c.uri.trim() === '') return failure(400, 'Empty Contact URI');
  }
  return undefined;
}

/** §10.3 step 7: "the current call-id and cseq must be higher, or the update is aborted". */
function outOfOrder(binding: Binding, input: RegisterInput): boolean {
  return binding.callId === input.callId && input.cseq <= binding.cseq;
}

/** §10.3 step 6: `Contact: *` with Expires: 0 removes every binding of the AOR. */
function unregisterAll(input: RegisterInput, current: Binding[], expired: Binding[]): RegisterOutcome {
  if (input.contacts.length > 0 || input.expiresHeader !== 0) {
    return failure(400, 'Contact * requires Expires: 0 and no other Contact');
  }
  if (current.some((b) => outOfOrder(b, input))) return failure(500, 'Out of order CSeq');
  return { ok: true, bindings: [], added: [], refreshed: [], removed: [...current, ...expired] };
}

/** §10.3 step 7: the contact's expires parameter, else the Expires header, else the default. */
function expiresOf(c: ContactInput, input: RegisterInput, limits: RegistrarLimits): number {
  return Math.min(c.expires ?? input.expiresHeader ?? limits.defaultExpires, limits.maxExpires);
}

/** Keeps the last of repeated contacts (same URI or instance), so one request never conflicts with itself. */
function dedupe(contacts: readonly ContactInput[], same: UriComparator): ContactInput[] {
  const out: ContactInput[] = [];
  for (const c of contacts) {
    const i = out.findIndex(
      (o) => same(o.uri, c.uri) || (c.instanceId !== undefined && o.instanceId === c.instanceId),
    );
    if (i >= 0) out.splice(i, 1);
    out.push(c);
  }
  return out;
}

function makeBinding(c: ContactInput, seconds: number, input: RegisterInput): Binding {
  return {
    aor: input.aor,
    contactUri: c.uri,
    expiresAt: input.now + seconds * 1000,
    callId: input.callId,
    cseq: input.cseq,
    source: input.source,
    updatedAt: input.now,
    ...(c.q !== undefined && { q: c.q }),
    ...(input.userAgent !== undefined && { userAgent: input.userAgent }),
    ...(c.instanceId !== undefined && { instanceId: c.instanceId }),
  };
}

/**
 * The existing binding a contact updates: the same URI, or — in the spirit of RFC 5626 §6 —
 * the same +sip.instance, so a phone that comes back on a new address or port replaces its
 * old binding instead of ringing twice. (We keep no reg-id, so one instance holds one binding.)
 */
function findMatch(c: ContactInput, current: readonly Binding[], same: UriComparator): Binding | undefined {
  return (
    current.find((b) => same(b.contactUri, c.uri)) ??
    (c.instanceId === undefined ? undefined : current.find((b) => b.instanceId === c.instanceId))
  );
}

/**
 * Decides a REGISTER. `existing` is every stored binding of `input.aor` (expired ones are
 * dropped and reported in `removed`). Contacts are compared with `same`, by default
 * `sameContactUri` (RFC 3261 §19.1.4).
 *
 * Contact limit: a request that itself carries more live contacts than `maxContactsPerAor`
 * gets 403. Otherwise, when the total would pass the limit, the bindings refreshed longest
 * ago and not named in this request are dropped. We prefer dropping to refusing because the
 * usual cause is a phone that rebooted onto a new port while its old binding lingers: a 403
 * there would lock the user out until the stale binding expired.
 */
export function processRegister(
  input: RegisterInput,
  existing: readonly Binding[],
  limits: RegistrarLimits,
  same: UriComparator = sameContactUri,
): RegisterOutcome {
  const invalid = validate(input);
  if (invalid !== undefined) return invalid;
  const expired = existing.filter((b) => b.expiresAt <= input.now);
  const current = existing.filter((b) => b.expiresAt > input.now);
  if (input.wildcard) return unregisterAll(input, current, expired);

  const contacts = dedupe(input.contacts, same);
  const seconds = contacts.map((c) => expiresOf(c, input, limits));
  // §10.3 step 7: 423 Interval Too Brief, with the Min-Expires the client must use.
  if (seconds.some((s) => s > 0 && s < limits.minExpires)) {
    return failure(423, 'Interval Too Brief', limits.minExpires);
  }
  if (seconds.filter((s) => s > 0).length > limits.maxContactsPerAor) {
    return failure(403, `At most ${limits.maxContactsPerAor} contacts per address-of-record`);
  }
  const matches = contacts.map((c) => findMatch(c, current, same));
  if (matches.some((m) => m !== undefined && outOfOrder(m, input))) return failure(500, 'Out of order CSeq');

  const untouched = current.filter((b) => !matches.includes(b));
  const added: Binding[] = [];
  const refreshed: Binding[] = [];
  const removed: Binding[] = [...expired];
  contacts.forEach((c, i) => {
    const match = matches[i];
    const s = seconds[i] ?? 0;
    if (s === 0) {
      if (match !== undefined) removed.push(match);
      return;
    }
    const binding = makeBinding(c, s, input);
    if (match === undefined) added.push(binding);
    else if (match.contactUri === binding.contactUri) refreshed.push(binding);
    else {
      // Same device under another URI string: the stored key changes, so it is a replacement.
      removed.push(match);
      added.push(binding);
    }
  });
  const overflow = untouched.length + added.length + refreshed.length - limits.maxContactsPerAor;
  const evicted =
    overflow > 0 ? [...untouched].sort((a, b) => a.updatedAt - b.updatedAt).slice(0, overflow) : [];
  removed.push(...evicted);
  const kept = untouched.filter((b) => !evicted.includes(b));
  return { ok: true, bindings: [...kept, ...refreshed, ...added], added, refreshed, removed };
}
