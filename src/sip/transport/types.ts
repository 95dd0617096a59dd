import type { Endpoint, SipMessage, TransportName } from '../message/types.js';

/** What the transaction layer needs from the transport layer. */
export interface MessageSender {
  /**
   * Serializes and sends. Never throws: a failure (no connection, socket closed) is
   * reported through `onError` so that a transaction can turn it into a 503 (RFC 3261 §8.1.3.1).
   */
  send(msg: SipMessage, dest: Endpoint, onError?: (err: Error) => void): void;
}

export function isReliable(transport: TransportName): boolean {
  return transport !== 'UDP';
}
