import type { Endpoint, SipRequest } from '../message/types.js';
import { isReliable } from '../transport/types.js';

const DEFAULT_SIP_PORT = 5060;

/**
 * Where a server transaction sends its responses (RFC 3261 §18.2.2, RFC 3581 §4).
 *
 * - Reliable transports: back over the connection the request came in on.
 * - UDP: to the source address. The transport stamps `received` only when it differs from
 *   the sent-by host, and always with the source address, so the source address is what
 *   `received` would say; trusting a `received` or `rport` value we did not write ourselves
 *   would let a peer aim our responses at a third party.
 * - UDP port: with `rport` (RFC 3581) the source port; otherwise the sent-by port, 5060 by default.
 *
 * `maddr` (multicast) is deliberately ignored, for the same reason.
 */
export function responseDestination(req: SipRequest, source: Endpoint): Endpoint {
  if (isReliable(source.transport)) return source;
  const via = req.vias[0];
  if (via === undefined) return source;
  const port = via.params.rport !== undefined ? source.port : (via.port ?? DEFAULT_SIP_PORT);
  if (port === source.port && source.connectionId === undefined) return source;
  return { transport: source.transport, address: source.address, port };
}
