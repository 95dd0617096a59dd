/**
 * The in-memory SIP network of the call-layer test kit: messages are serialized and parsed
 * again on every hop, time is a shared FakeClock, and nothing is delivered until the test
 * lets the network settle. Pbx is Hotline's side of it.
 */
import { FakeClock } from '../../platform/clock.js';
import { silentLogger } from '../../platform/log.js';
import { parseMessage, serializeMessage } from '../../sip/message/index.js';
import type { Endpoint, Header, SipMessage, SipRequest } from '../../sip/message/types.js';
import { TransactionLayer } from '../../sip/transaction/index.js';
import type { ServerTransaction } from '../../sip/transaction/index.js';
import type { MessageSender } from '../../sip/transport/types.js';
import { UserAgentCore } from '../../sip/ua/index.js';
import type { SipContext } from '../context.js';
import type { MediaAddress } from '../media-anchor.js';

export const DOMAIN = 'hotline.test';
export const PBX_ENDPOINT: Endpoint = { transport: 'UDP', address: '192.0.2.1', port: 5060 };
export const MEDIA_ADDRESS: MediaAddress = { bindAddress: '198.51.100.1', advertisedAddress: '198.51.100.1' };
export const SERVER_HEADER: Header = { name: 'Server', value: 'Hotline-test' };

/** One message on the wire, as the receiver parsed it. `label` is `INVITE`, `180 INVITE`, `200 BYE`, … */
export interface Wire {
  readonly from: string;
  readonly to: string;
  readonly msg: SipMessage;
  readonly label: string;
}

interface Node {
  readonly name: string;
  receive(msg: SipMessage, source: Endpoint): void;
}

const keyOf = (e: Endpoint): string => `${e.transport}:${e.address}:${e.port}`;
export const labelOf = (m: SipMessage): string =>
  m.kind === 'request' ? m.method : `${m.status} ${m.cseq.method}`;

export class Network {
  readonly clock = new FakeClock();
  /** Everything sent, in order, dropped messages included. */
  readonly log: Wire[] = [];
  private readonly nodes = new Map<string, Node>();
  private readonly queue: { wire: Wire; source: Endpoint; dest: Endpoint }[] = [];
  private readonly dropRules = new Set<(w: Wire) => boolean>();

  attach(name: string, endpoint: Endpoint, receive: Node['receive']): MessageSender {
    this.nodes.set(keyOf(endpoint), { name, receive });
    return { send: (msg, dest) => this.post(endpoint, msg, dest) };
  }

  /** Loses every message `rule` matches until the returned function is called. */
  drop(rule: (w: Wire) => boolean): () => void {
    this.dropRules.add(rule);
    return () => void this.dropRules.delete(rule);
  }

  private post(source: Endpoint, msg: SipMessage, dest: Endpoint): void {
    const parsed = parseMessage(serializeMessage(msg));
    if (!parsed.ok) throw new Error(`${labelOf(msg)} does not survive the wire: ${parsed.reason}`);
    const wire: Wire = {
      from: this.nodes.get(keyOf(source))?.name ?? keyOf(source),
      to: this.nodes.get(keyOf(dest))?.name ?? keyOf(dest),
      msg: parsed.message,
      label: labelOf(parsed.message),
    };
    this.log.push(wire);
    if ([...this.dropRules].some((rule) => rule(wire))) return;
    this.queue.push({ wire, source, dest });
  }

  /** Delivers queued messages (and those they cause) synchronously. */
  flush(): void {
    for (let item = this.queue.shift(); item; item = this.queue.shift()) {
      this.nodes.get(keyOf(item.dest))?.receive(item.wire.msg, item.source);
    }
  }

  /** Delivers everything and lets pending promises (media set-up) run, until quiet. */
  async settle(): Promise<void> {
    for (let round = 0; round < 1000; round++) {
      this.flush();
      await new Promise((resolve) => setImmediate(resolve));
      if (this.queue.length === 0) return;
    }
    throw new Error('the network did not settle');
  }

  /** Moves the clock forward in steps, delivering what the timers send at each step. */
  async advance(ms: number, step = 100): Promise<void> {
    const end = this.clock.now() + ms;
    while (this.clock.now() < end) {
      this.clock.advance(Math.min(step, end - this.clock.now()));
      await this.settle();
    }
  }

  /** Labels of the messages sent from `from` to `to` (node names), in order. */
  between(from: string, to: string): string[] {
    return this.messages(from, to).map((w) => w.label);
  }

  messages(from: string, to: string, label?: string): Wire[] {
    return this.log.filter(
      (w) => w.from === from && w.to === to && (label === undefined || w.label === label),
    );
  }

  /** The last message `from` sent `to` with this label; throws when there is none. */
  last(from: string, to: string, label: string): SipMessage {
    const found = this.messages(from, to, label).at(-1);
    if (!found) throw new Error(`no ${label} from ${from} to ${to}; saw:\n${this.trace()}`);
    return found.msg;
  }

  /** The whole conversation, one line per message, for assertion messages. */
  trace(): string {
    return this.log.map((w) => `${w.from} → ${w.to}: ${w.label}`).join('\n');
  }
}

/** Hotline's side of the network: the real transaction layer and UA core, and a SipContext. */
export class Pbx {
  readonly name = 'pbx';
  readonly ua: UserAgentCore;
  readonly transactions: TransactionLayer;
  readonly ctx: SipContext;

  constructor(readonly net: Network) {
    const logger = silentLogger();
    const sender = net.attach(this.name, PBX_ENDPOINT, (msg, source) =>
      this.transactions.receive(msg, source),
    );
    this.ua = new UserAgentCore(sender, logger, SERVER_HEADER);
    this.transactions = new TransactionLayer({ sender, clock: net.clock, logger, core: this.ua });
    this.ctx = {
      transactions: this.transactions,
      sender,
      ua: this.ua,
      clock: net.clock,
      logger,
      localAddress: () => ({ host: PBX_ENDPOINT.address, port: PBX_ENDPOINT.port }),
      serverHeader: SERVER_HEADER,
      domain: DOMAIN,
      t1: 500,
      t2: 4000,
    };
  }

  /** Sets the out-of-dialog handler. */
  handle(onRequest: (req: SipRequest, txn: ServerTransaction) => void): void {
    this.ua.setHandler({ onRequest });
  }
}
