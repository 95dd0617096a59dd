import type { Logger } from '../platform/log.js';
import { getHeader } from '../sip/message/index.js';
import type { SipRequest } from '../sip/message/types.js';
import type { ServerInviteTransaction, ServerTransaction } from '../sip/transaction/index.js';
import type { OutOfDialogHandler, UserAgentCore } from '../sip/ua/index.js';
import { authenticate, type Authenticator } from './authenticate.js';
import { handleInvite, type InviteDeps } from './invite-handler.js';
import { handleRegister, type RegisterDeps } from './register-handler.js';
import { handleTrunkInvite, type TrunkInviteDeps } from './trunk-invite.js';
import { MWI_EVENT, parseEventHeader } from './mwi-body.js';
import type { MessageWaiting } from './mwi.js';

export const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, INFO, UPDATE, SUBSCRIBE';

export interface FrontDoorDeps {
  readonly ua: UserAgentCore;
  readonly auth: Authenticator;
  readonly register: RegisterDeps;
  readonly invite: InviteDeps;
  /** Trunks and inbound routing; without it every INVITE must authenticate as an extension. */
  readonly trunkCalls?: TrunkInviteDeps;
  /** Message-waiting subscriptions (RFC 3842); without it every SUBSCRIBE gets 489. */
  readonly mwi?: Pick<MessageWaiting, 'subscribe'>;
  readonly logger: Logger;
}

/**
 * Requests outside any dialog: OPTIONS is answered for anyone (phones and proxies use it as
 * a keep-alive); an INVITE from a trunk (by its address, docs/trunks.md) goes to inbound
 * routing; REGISTER, other INVITEs and SUBSCRIBE (to message-summary only) need digest
 * authentication; other methods get 405.
 */
export class FrontDoor implements OutOfDialogHandler {
  constructor(private readonly deps: FrontDoorDeps) {}

  onRequest(req: SipRequest, txn: ServerTransaction): void {
    const { ua } = this.deps;
    // §8.2.2.3: we support no extensions a client could require.
    const require = getHeader(req, 'Require');
    if (require && req.method !== 'ACK' && req.method !== 'CANCEL') {
      ua.respond(txn, 420, 'Bad Extension', [{ name: 'Unsupported', value: require }]);
      return;
    }
    switch (req.method) {
      case 'OPTIONS':
        ua.respond(txn, 200, 'OK', [
          { name: 'Allow', value: ALLOW },
          { name: 'Accept', value: 'application/sdp' },
        ]);
        return;
      case 'REGISTER': {
        const user = authenticate(this.deps.auth, req, txn);
        if (user === undefined) return;
        handleRegister(this.deps.register, req, txn, user).catch((err: unknown) => {
          this.deps.logger.error({ err, callId: req.callId }, 'registration could not be stored');
          ua.respond(txn, 500, 'Server Internal Error');
        });
        return;
      }
      case 'INVITE': {
        const trunkCalls = this.deps.trunkCalls;
        const trunk = trunkCalls?.trunks.identify(txn.source, req.uri);
        if (trunkCalls && trunk !== undefined) {
          handleTrunkInvite(trunkCalls, req, txn as ServerInviteTransaction, trunk);
          return;
        }
        const user = authenticate(this.deps.auth, req, txn);
        if (user === undefined) return;
        handleInvite(this.deps.invite, req, txn as ServerInviteTransaction, user);
        return;
      }
      case 'SUBSCRIBE':
        return this.subscribe(req, txn);
      case 'BYE':
        // A BYE without a To tag matches no dialog (§15.1.2).
        ua.respond(txn, 481, 'Call/Transaction Does Not Exist');
        return;
      default:
        ua.respond(txn, 405, 'Method Not Allowed', [{ name: 'Allow', value: ALLOW }]);
    }
  }

  /** RFC 6665 §8.2.1: a package we do not serve is refused (489) before any challenge. */
  private subscribe(req: SipRequest, txn: ServerTransaction): void {
    const { mwi, ua } = this.deps;
    if (!mwi || parseEventHeader(getHeader(req, 'Event'))?.pkg !== MWI_EVENT) {
      ua.respond(txn, 489, 'Bad Event', mwi ? [{ name: 'Allow-Events', value: MWI_EVENT }] : []);
      return;
    }
    const user = authenticate(this.deps.auth, req, txn);
    if (user !== undefined) mwi.subscribe(req, txn, user);
  }
}
