import type { Logger } from '../platform/log.js';
import { getHeader } from '../sip/message/index.js';
import type { SipRequest } from '../sip/message/types.js';
import type { ServerInviteTransaction, ServerTransaction } from '../sip/transaction/index.js';
import type { OutOfDialogHandler, UserAgentCore } from '../sip/ua/index.js';
import { authenticate, type Authenticator } from './authenticate.js';
import { handleInvite, type InviteDeps } from './invite-handler.js';
import { handleRegister, type RegisterDeps } from './register-handler.js';

export const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, INFO, UPDATE';

export interface FrontDoorDeps {
  readonly ua: UserAgentCore;
  readonly auth: Authenticator;
  readonly register: RegisterDeps;
  readonly invite: InviteDeps;
  readonly logger: Logger;
}

/**
 * Requests outside any dialog: OPTIONS is answered for anyone (phones and proxies use it as
 * a keep-alive); REGISTER and INVITE need digest authentication; other methods get 405.
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
        const user = authenticate(this.deps.auth, req, txn);
        if (user === undefined) return;
        handleInvite(this.deps.invite, req, txn as ServerInviteTransaction, user);
        return;
      }
      case 'BYE':
        // A BYE without a To tag matches no dialog (§15.1.2).
        ua.respond(txn, 481, 'Call/Transaction Does Not Exist');
        return;
      default:
        ua.respond(txn, 405, 'Method Not Allowed', [{ name: 'Allow', value: ALLOW }]);
    }
  }
}
