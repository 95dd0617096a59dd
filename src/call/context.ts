import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/log.js';
import type { Header, TransportName } from '../sip/message/types.js';
import type { TransactionLayer } from '../sip/transaction/index.js';
import type { MessageSender } from '../sip/transport/types.js';
import type { UserAgentCore } from '../sip/ua/index.js';

/** The SIP services a call leg uses, injected once. */
export interface SipContext {
  readonly transactions: TransactionLayer;
  readonly sender: MessageSender;
  readonly ua: UserAgentCore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Our sent-by / Contact address for a transport. */
  localAddress(transport: TransportName): { host: string; port: number };
  readonly serverHeader: Header;
  readonly domain: string;
  /** RFC 3261 T1 and T2, ms (2xx retransmission). */
  readonly t1: number;
  readonly t2: number;
}
