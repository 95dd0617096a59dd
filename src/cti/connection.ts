/**
 * One client connection: its identity, its watch list, keepalive and the send-buffer
 * guard. The server owns the socket's lifetime; this class only decides when to cut it.
 */
import type { WebSocket } from 'ws';
import type { Logger } from '../platform/log.js';
import type { Subscriber } from './audience.js';
import type { WatchHandler } from './dispatch.js';
import type { AgentStatus, CtiRequest } from './protocol.js';
import type { CtiBackend, CtiIdentity } from './types.js';

/** WebSocket close codes this server uses (4000–4999 is the range for applications, RFC 6455 §7.4.2). */
export const CTI_CLOSE_CODES = {
  /** The client did not read fast enough: its send buffer passed the limit. */
  SLOW_CONSUMER: 4008,
  /** The client stopped answering pings. */
  NO_PONG: 4009,
  /** The server is shutting down (RFC 6455 "going away"). */
  GOING_AWAY: 1001,
} as const;

export interface ConnectionLimits {
  readonly maxBufferedBytes: number;
  readonly maxMissedPongs: number;
  /** After a close frame, how long a silent peer has before the socket is destroyed. */
  readonly closeGraceMs: number;
}

export interface WatchResult {
  readonly queues: string[];
  readonly agents: string[];
  readonly agentStatus: AgentStatus[];
}

export class CtiConnection implements Subscriber, WatchHandler {
  readonly watchedQueues = new Set<string>();
  readonly watchedAgents = new Set<string>();
  private awaitingPong = false;
  private missedPongs = 0;
  private closing = false;

  constructor(
    private readonly ws: WebSocket,
    readonly identity: CtiIdentity,
    private readonly backend: CtiBackend,
    private readonly limits: ConnectionLimits,
    readonly logger: Logger,
  ) {
    ws.on('pong', () => {
      this.awaitingPong = false;
      this.missedPongs = 0;
    });
  }

  get isOpen(): boolean {
    return !this.closing && this.ws.readyState === this.ws.OPEN;
  }

  /** Sends one message; cuts the connection off when its unsent bytes pass the limit. */
  send(message: object): void {
    if (!this.isOpen) return;
    this.ws.send(JSON.stringify(message));
    if (this.ws.bufferedAmount > this.limits.maxBufferedBytes) {
      this.logger.warn(
        { token: this.identity.name, agent: this.identity.agent, bufferedBytes: this.ws.bufferedAmount },
        'CTI client too slow: send buffer over the limit, closing the connection',
      );
      this.close(CTI_CLOSE_CODES.SLOW_CONSUMER, 'send buffer overflow');
    }
  }

  /** Called once per ping interval: counts the unanswered ping, then sends the next one. */
  heartbeat(): void {
    if (!this.isOpen) return;
    if (this.awaitingPong) this.missedPongs++;
    if (this.missedPongs >= this.limits.maxMissedPongs) {
      this.logger.warn(
        { token: this.identity.name, agent: this.identity.agent, missedPongs: this.missedPongs },
        'CTI client stopped answering pings, closing the connection',
      );
      this.close(CTI_CLOSE_CODES.NO_PONG, 'no pong');
      return;
    }
    this.awaitingPong = true;
    this.ws.ping();
  }

  /** Sends a close frame; a peer that does not finish the handshake in time is destroyed. */
  close(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.ws.close(code, reason);
    const timer = setTimeout(() => this.ws.terminate(), this.limits.closeGraceMs);
    timer.unref();
    this.ws.once('close', () => clearTimeout(timer));
  }

  async watch(request: Extract<CtiRequest, { type: 'watch' | 'unwatch' }>): Promise<WatchResult> {
    const queues = request.queues ?? [];
    const agents = request.agents ?? [];
    if (request.type === 'watch') {
      for (const q of queues) this.watchedQueues.add(q);
      for (const a of agents) this.watchedAgents.add(a);
    } else if (request.queues === undefined && request.agents === undefined) {
      this.watchedQueues.clear();
      this.watchedAgents.clear();
    } else {
      for (const q of queues) this.watchedQueues.delete(q);
      for (const a of agents) this.watchedAgents.delete(a);
    }
    const watchedAgents = [...this.watchedAgents];
    const status = watchedAgents.length === 0 ? [] : await this.backend.agentStatus(watchedAgents);
    return { queues: [...this.watchedQueues], agents: watchedAgents, agentStatus: [...status] };
  }
}
