import { isIP } from 'node:net';
import type { Endpoint, SipUri } from '../message/types.js';
import type { Binding } from './types.js';

/**
 * Where to send a request for a registered contact.
 *
 * - Over TCP, TLS and WebSocket the phone's own connection is reused: phones rarely accept
 *   incoming connections, and a browser never does (RFC 5626 flow reuse, RFC 7118 §5).
 * - Over UDP, when the Contact names the very address the REGISTER came from, the phone is
 *   not behind NAT and its Contact port is where it listens (it may send from another port,
 *   as sipp and some gateways do).
 * - Otherwise the Contact is a private address behind NAT: send to the address and port the
 *   REGISTER really came from, which the NAT keeps open (what Asterisk calls rewrite_contact).
 */
export function contactTarget(binding: Pick<Binding, 'source'>, contact: SipUri): Endpoint {
  const { source } = binding;
  if (source.transport !== 'UDP') return source;
  if (isIP(contact.host) !== 0 && contact.host === source.address) {
    const transport = contact.params.transport?.toUpperCase();
    if (transport === undefined || transport === 'UDP') {
      return { transport: 'UDP', address: contact.host, port: contact.port ?? 5060 };
    }
  }
  return source;
}
