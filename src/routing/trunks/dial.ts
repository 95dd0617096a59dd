/**
 * Calling out through trunks: tries each candidate trunk in turn until one answers.
 *
 * Each try is an INVITE to `sip:NUMBER@host:port` of the trunk, with the trunk's caller-ID
 * presentation and privacy headers, its codecs, and its account's credentials for a 401/407.
 * A failure that belongs to the trunk (5xx, a timeout, a transport error, a host that does
 * not resolve, a challenge our credentials could not answer, or every channel busy) moves on
 * to the next trunk; one that belongs to the called party (404, 486, 6xx …), or the ring
 * timeout, ends the dialling. A try that fails leaves nothing in the call: its leg joins the
 * call only once it answers.
 */
import type { LegRole } from '../../report/cdr-leg.js';
import type { Call, CallControl, OutboundCallLeg, Party } from '../../call/index.js';
import { reasonPhrase } from '../../sip/message/index.js';
import type { Endpoint, NameAddr, SipUri } from '../../sip/message/types.js';
import { presentCallerId } from './core/caller-id.js';
import type { TrunkRoute } from './manager.js';
import { fromHost, inviteCredentials } from './sip-requests.js';
import type { TrunkChannel } from './types.js';

/** What dialling asks of the trunks (TrunkManager fits). */
export interface TrunkDialer {
  route(name: string): TrunkRoute | undefined;
  destination(name: string): Promise<Endpoint | undefined>;
  acquire(name: string): TrunkChannel | undefined;
}

export interface TrunkDialRequest {
  readonly call: Call;
  /** The number to call, as the trunk expects it (the Request-URI user). */
  readonly number: string;
  /** Trunk names, first choice first (e.g. `manager.select('carriers').trunks`). */
  readonly trunks: readonly string[];
  /** The identity to present (mode `pass`); default the call's caller. */
  readonly callerId?: Party;
  /** Ring time of each try; default call control's. */
  readonly ringTimeoutMs?: number;
  /** Aborting hangs up the try in progress and ends the dialling (487). */
  readonly signal?: AbortSignal;
  /** What each try's leg is in the call, for its leg record; default derived. */
  readonly role?: LegRole;
  /** Told of each try as it starts (to play ring-back, or bridge early media). */
  readonly onAttempt?: (leg: OutboundCallLeg, trunk: string) => void;
}

export interface TrunkAttempt {
  readonly trunk: string;
  readonly status: number;
  readonly reason: string;
}

export type TrunkDialResult =
  | {
      readonly ok: true;
      /** The answered leg, now part of the call. */
      readonly leg: OutboundCallLeg;
      readonly trunk: string;
      /** The tries that failed before it. */
      readonly attempts: readonly TrunkAttempt[];
    }
  | {
      readonly ok: false;
      readonly status: number;
      readonly reason: string;
      readonly attempts: readonly TrunkAttempt[];
    };

/**
 * Whether a failed try should move on to the next trunk. `raw` are the statuses the
 * INVITE got (408 and 503 stand for a timeout and a transport error); `rang` whether the
 * trunk ever reported progress (180/183).
 */
export function failsOver(
  raw: readonly number[],
  endedBy: 'remote' | 'local' | 'system',
  rang: boolean,
): boolean {
  // Our ring timeout: the callee did not answer — unless the trunk never got that far.
  if (endedBy === 'local') return !rang;
  const status = raw.at(-1);
  if (status === undefined) return false;
  return (status >= 500 && status < 600) || status === 408 || status === 401 || status === 407;
}

/** The Request-URI (and To) of a call to `number` through a trunk. */
export function trunkRequestUri(route: TrunkRoute, number: string): SipUri {
  const t = route.config;
  return {
    scheme: 'sip',
    user: number,
    host: t.host,
    port: t.port,
    params: t.transport === 'tcp' ? { transport: 'tcp' } : {},
    headers: {},
  };
}

/** Calls `number` through the trunks in order; see the file comment for when it moves on. */
export async function dialViaTrunks(
  control: CallControl,
  trunks: TrunkDialer,
  req: TrunkDialRequest,
): Promise<TrunkDialResult> {
  const attempts: TrunkAttempt[] = [];
  const log = control.log.child({ callId: req.call.id, number: req.number });
  const over = (status: number, reason: string): TrunkDialResult => {
    // A call that is only this outbound try (Hotline called out first) ends with it.
    if (req.call.legs.size === 0) control.hangupCall(req.call, status, reason);
    log.info({ status, reason, attempts }, 'call through trunks failed');
    return { ok: false, status, reason, attempts };
  };
  for (const name of req.trunks) {
    if (req.signal?.aborted || req.call.ended) return over(487, 'cancelled');
    const outcome = await attempt(control, trunks, req, name);
    if (outcome.kind === 'answered') {
      log.info({ trunk: name, attempts: attempts.length }, 'call through trunk answered');
      return { ok: true, leg: outcome.leg, trunk: name, attempts };
    }
    attempts.push({ trunk: name, status: outcome.status, reason: outcome.reason });
    log.info({ trunk: name, status: outcome.status, reason: outcome.reason }, 'trunk try failed');
    if (!outcome.next) return over(outcome.status, outcome.reason);
  }
  const last = attempts.at(-1);
  return last ? over(last.status, last.reason) : over(503, 'no trunk available');
}

type Outcome =
  | { readonly kind: 'answered'; readonly leg: OutboundCallLeg }
  | { readonly kind: 'failed'; readonly status: number; readonly reason: string; readonly next: boolean };

async function attempt(
  control: CallControl,
  trunks: TrunkDialer,
  req: TrunkDialRequest,
  name: string,
): Promise<Outcome> {
  const route = trunks.route(name);
  if (!route) return { kind: 'failed', status: 404, reason: `no trunk ${name}`, next: true };
  const channel = trunks.acquire(name);
  if (!channel) return { kind: 'failed', status: 503, reason: 'every channel busy', next: true };
  const dest = await trunks.destination(name);
  if (!dest) {
    channel.release();
    return { kind: 'failed', status: 503, reason: 'trunk host did not resolve', next: true };
  }
  let leg: OutboundCallLeg;
  try {
    leg = await originate(control, req, route, dest);
  } catch (err) {
    // No media port: not the trunk's fault, and no other trunk would do better.
    channel.release();
    control.log.error({ err, callId: req.call.id }, 'outbound leg could not start');
    return { kind: 'failed', status: 503, reason: 'no media resources', next: false };
  }
  leg.once('ended', () => channel.release());
  let rang = false;
  const progress = () => (rang = true);
  leg.once('ringing', progress);
  leg.once('early', progress);
  req.onAttempt?.(leg, name);
  const abort = () => leg.hangup(487, 'cancelled');
  req.signal?.addEventListener('abort', abort, { once: true });
  const unwatch = whenCallGone(req.call, abort);
  const up = await control.answered(leg);
  req.signal?.removeEventListener('abort', abort);
  unwatch();
  if (up && !req.call.ended && !req.signal?.aborted) {
    control.attach(req.call, leg);
    control.markAnswered(req.call);
    return { kind: 'answered', leg };
  }
  if (up) {
    leg.hangup(200); // answered just as the caller went away
    return { kind: 'failed', status: 487, reason: 'cancelled', next: false };
  }
  // Early media bridged by onAttempt must not outlive the try.
  await control.unbridge(leg);
  const end = leg.ended ?? { by: 'system' as const, status: 487 };
  if (req.signal?.aborted || req.call.ended)
    return { kind: 'failed', status: 487, reason: 'cancelled', next: false };
  const next = failsOver(leg.failureStatuses, end.by, rang);
  if (end.by === 'local' && next)
    return { kind: 'failed', status: 408, reason: 'no answer from the trunk', next };
  return { kind: 'failed', status: end.status, reason: end.reason ?? reasonPhrase(end.status), next };
}

/** Runs `gone` once every leg the call has now has ended (the caller hung up); returns an undo. */
function whenCallGone(call: Call, gone: () => void): () => void {
  const legs = call.live;
  if (legs.length === 0) return () => undefined;
  const check = () => {
    if (legs.every((l) => l.isEnded)) gone();
  };
  for (const leg of legs) leg.once('ended', check);
  return () => {
    for (const leg of legs) leg.off('ended', check);
  };
}

function originate(
  control: CallControl,
  req: TrunkDialRequest,
  route: TrunkRoute,
  dest: Endpoint,
): Promise<OutboundCallLeg> {
  const trunk = route.config;
  const caller = req.callerId ?? req.call.caller;
  const shown = presentCallerId(trunk.callerId, caller, fromHost(trunk));
  const requestUri = trunkRequestUri(route, req.number);
  const to: NameAddr = { uri: { ...requestUri, params: {} }, params: {} };
  const credentials = inviteCredentials(trunk);
  return control.originate(req.call, req.number, {
    contacts: [{ requestUri, dest }],
    caller: { number: shown.identity.number, ...(shown.identity.name ? { name: shown.identity.name } : {}) },
    from: shown.from,
    to,
    headers: shown.headers,
    codecs: route.codecs,
    attach: false,
    trunk: trunk.name,
    ...(req.role !== undefined ? { role: req.role } : {}),
    ...(credentials ? { credentials } : {}),
    ...(req.ringTimeoutMs !== undefined ? { ringTimeoutMs: req.ringTimeoutMs } : {}),
  });
}
