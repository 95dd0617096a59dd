/**
 * A new INVITE from a trunk (a carrier or gateway recognised by its address or registration,
 * not by digest): admission and the trunk's channel limit first, then the inbound routing of
 * the called number (DID). The channel and the admission slot are given back when the call
 * ends.
 */
import type { SipRequest } from '../sip/message/types.js';
import type { ServerInviteTransaction } from '../sip/transaction/index.js';
import type { TrunkManager } from '../routing/trunks/index.js';
import type { CallRouter } from './call-router.js';
import type { InviteDeps } from './invite-handler.js';

export interface TrunkInviteDeps extends Pick<
  InviteDeps,
  'ctx' | 'admission' | 'control' | 'retryAfterSeconds' | 'logger'
> {
  readonly trunks: TrunkManager;
  readonly router: CallRouter;
}

/**
 * The DID of a trunk's INVITE: the Request-URI's user, except when a registering trunk sends
 * calls to the Contact we registered (the account name): then the number is in To.
 */
export function didOf(req: SipRequest, accountUser: string | undefined): string {
  const ruri = req.uri.user ?? '';
  if (accountUser !== undefined && ruri === accountUser) return req.to.uri.user ?? ruri;
  return ruri !== '' ? ruri : (req.to.uri.user ?? '');
}

export function handleTrunkInvite(
  deps: TrunkInviteDeps,
  req: SipRequest,
  txn: ServerInviteTransaction,
  trunk: string,
): void {
  const { ua } = deps.ctx;
  const log = deps.logger.child({ callId: req.callId, trunk });
  const verdict = deps.admission.tryAdmit();
  if (!verdict.admit) {
    log.warn({ why: verdict.why }, 'new trunk call refused: overload');
    ua.respond(txn, 503, 'Service Unavailable', [
      { name: 'Retry-After', value: String(deps.retryAfterSeconds) },
    ]);
    return;
  }
  const channel = deps.trunks.acquire(trunk);
  if (!channel) {
    log.warn('new trunk call refused: every channel of the trunk is busy');
    deps.admission.release();
    ua.respond(txn, 503, 'Service Unavailable');
    return;
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    channel.release();
    deps.admission.release();
  };
  const account = deps.trunks.route(trunk)?.config.register?.username;
  const did = didOf(req, account);
  const number = req.from.uri.user ?? 'anonymous';
  const party = { number, ...(req.from.displayName ? { name: req.from.displayName } : {}) };
  deps.control.onceCallEnded(req.callId, release);
  deps.router.inbound(req, txn, party, did, trunk).catch((err: unknown) => {
    log.error({ err }, 'trunk call failed');
    if (deps.control.forgetCallEnded(req.callId)) release();
  });
}
