/**
 * A scripted carrier for the trunk tests, on the call layer's in-memory network: a registrar
 * that challenges with digest and checks the answer with Hotline's own DigestServer, and
 * that answers OPTIONS. Not exported from index.ts.
 */
import { silentLogger } from '../../platform/log.js';
import { trunkSchema, type TrunkConfig } from '../../platform/config/trunk-schema.js';
import { DigestServer } from '../../sip/auth/index.js';
import { createResponse, getHeader, newTag } from '../../sip/message/index.js';
import type { Endpoint, Header, SipRequest } from '../../sip/message/types.js';
import {
  TransactionLayer,
  type ServerTransaction,
  type TransactionCore,
} from '../../sip/transaction/index.js';
import type { Network } from '../../call/test-kit.js';

export type RegistrarMode = 'normal' | 'silent' | 'forbidden';

export class FakeCarrier implements TransactionCore {
  readonly endpoint: Endpoint;
  readonly layer: TransactionLayer;
  readonly requests: SipRequest[] = [];
  readonly digest: DigestServer;
  mode: RegistrarMode = 'normal';
  /** Expires granted to a REGISTER (its Contact's expires parameter). */
  grant = 300;
  /** OPTIONS go unanswered while true. */
  deaf = false;
  /** Successful REGISTERs (credentials checked), newest last. */
  readonly accepted: SipRequest[] = [];

  constructor(
    net: Network,
    readonly name: string,
    address: string,
    readonly account: { readonly username: string; readonly password: string },
  ) {
    this.endpoint = { transport: 'UDP', address, port: 5060 };
    const sender = net.attach(name, this.endpoint, (msg, source) => this.layer.receive(msg, source));
    this.layer = new TransactionLayer({ sender, clock: net.clock, logger: silentLogger(), core: this });
    this.digest = new DigestServer({ realm: 'carrier.test', clock: net.clock });
  }

  of(method: string): SipRequest[] {
    return this.requests.filter((r) => r.method === method);
  }

  onRequest(req: SipRequest, txn: ServerTransaction): void {
    this.requests.push(req);
    const respond = (status: number, headers: Header[] = [], withContact = false) =>
      txn.respond(
        createResponse(req, status, undefined, {
          toTag: newTag(),
          headers,
          ...(withContact
            ? { contacts: req.contacts.map((c) => ({ ...c, params: { expires: String(this.grant) } })) }
            : {}),
        }),
      );
    if (req.method === 'OPTIONS') {
      if (!this.deaf) respond(200);
      return;
    }
    if (req.method !== 'REGISTER') return respond(405);
    if (this.mode === 'silent') return;
    if (this.mode === 'forbidden') return respond(403);
    const result = this.digest.verify({
      method: 'REGISTER',
      credentialsHeader: getHeader(req, 'Authorization'),
      lookupPassword: (u) => (u === this.account.username ? this.account.password : undefined),
    });
    if (!result.ok) {
      return respond(
        401,
        this.digest.challengeAfter(result).map((value) => ({ name: 'WWW-Authenticate', value })),
      );
    }
    this.accepted.push(req);
    respond(200, [], getHeader(req, 'Expires') !== '0');
  }

  onAck(): void {}
  onCancel(): void {}
  onStrayResponse(): void {}
}

/** A trunk configuration as the schema would load it. */
export function trunkConfig(input: Record<string, unknown>): TrunkConfig {
  return trunkSchema.parse(input);
}
