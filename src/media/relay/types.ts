import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/log.js';
import type { MediaError } from '../errors.js';

/** The relay's contract with the call layer. Knows nothing of SIP. */

/** Opaque endpoint id, unique for the life of a MediaRelay. */
export type EndpointId = string;

export interface RelayOptions {
  /** Lowest port the relay may bind; RTP takes even ports, RTCP the odd one above. */
  readonly portMin: number;
  /** Highest port the relay may bind (an RTCP port at most). */
  readonly portMax: number;
  /** Worker threads owning the sockets; default 1. */
  readonly workers?: number;
  /**
   * Latch onto the first source that sends to an endpoint, whatever its address
   * (default true: phones behind NAT advertise private addresses). When false, only a
   * source with the address given to setRemote may latch.
   */
  readonly latchAnySource?: boolean;
  /** Silence of the latched source after which another source may take over; default 2000 ms. */
  readonly relatchAfterMs?: number;
  /**
   * Emit `rtp-timeout` once when a configured endpoint whose phone should be sending
   * (our direction sendrecv or recvonly) has sent nothing for this long, after it sent
   * something. Default 0: off.
   */
  readonly rtpTimeoutMs?: number;
  /** Mean interval of the RTCP reports the engine sends for streams it terminates; default 5000 ms. */
  readonly rtcpIntervalMs?: number;
  /** How long a worker may take to answer a request; default 5000 ms. */
  readonly requestTimeoutMs?: number;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Called once when a worker thread dies, with the endpoints that died with it. */
  readonly onWorkerFailed?: (failure: WorkerFailure) => void;
}

export interface WorkerFailure {
  readonly worker: number;
  readonly endpoints: readonly EndpointId[];
  readonly error: MediaError;
}

export interface CreateEndpointOptions {
  /** Local IP address to bind (not a host name). */
  readonly bindAddress: string;
  /** Address to put in SDP when it differs from bindAddress (NAT, 0.0.0.0 binds). */
  readonly advertisedAddress?: string;
  /**
   * Place the endpoint in the same worker as this one. Endpoints that will be connected
   * should be created near each other; connect() moves one otherwise.
   */
  readonly near?: EndpointId;
  /** Overrides RelayOptions.latchAnySource for this endpoint. */
  readonly latchAnySource?: boolean;
}

export interface EndpointInfo {
  readonly id: EndpointId;
  /** Even RTP port; RTCP is on port + 1. */
  readonly port: number;
  readonly rtcpPort: number;
  /** The address to advertise in SDP (advertisedAddress, else bindAddress). */
  readonly address: string;
}

/** Where the peer said (in its SDP) it receives media. */
export interface RemoteAddress {
  readonly address: string;
  readonly port: number;
  /** Default port + 1 (RFC 3550 §11), or a=rtcp (RFC 3605). */
  readonly rtcpPort?: number;
  /** Default: address. */
  readonly rtcpAddress?: string;
}

export type EndpointMode = 'idle' | 'echo' | 'relay';

export interface EndpointStats {
  /** RTP packets accepted from the endpoint's (latched) source. */
  readonly packetsIn: number;
  readonly bytesIn: number;
  /** RTP packets sent out of this endpoint's socket to its remote. */
  readonly packetsOut: number;
  readonly bytesOut: number;
  /** Accepted packets that went nowhere: endpoint idle, or the destination not yet known. */
  readonly packetsDropped: number;
  /** Packets refused because they came from a source that may not latch (anti-hijack). */
  readonly packetsRejected: number;
  readonly rtcpPacketsIn: number;
  readonly rtcpPacketsOut: number;
  /** Failed sends (reported by the socket). */
  readonly sendErrors: number;
  /** ms since the epoch of the last accepted RTP packet, null if none yet: the call layer's silence timer. */
  readonly lastPacketAt: number | null;
  /** The source RTP is latched to, if any. */
  readonly latched: { readonly address: string; readonly port: number } | null;
  readonly mode: EndpointMode;
}
