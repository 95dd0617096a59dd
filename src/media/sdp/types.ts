/**
 * The SDP contract (RFC 8866, which obsoletes RFC 4566). Parsed descriptions are readonly
 * values (STYLE principle 19): helpers return new descriptions instead of mutating.
 *
 * Every line we do not interpret is kept verbatim and in order, so that an SDP survives
 * parse → format unchanged apart from line endings.
 */

/** `o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>` (RFC 8866 §5.2). */
export interface Origin {
  readonly username: string;
  readonly sessionId: string;
  /** Kept as a decimal string: real stacks use 64-bit values beyond Number.MAX_SAFE_INTEGER. */
  readonly sessionVersion: string;
  readonly netType: string;
  readonly addrType: string;
  readonly address: string;
}

/** `c=<nettype> <addrtype> <connection-address>` (RFC 8866 §5.7). */
export interface Connection {
  readonly netType: string;
  readonly addrType: string;
  /** As written, including a multicast `/ttl/count` suffix if any. */
  readonly address: string;
}

/** `b=<bwtype>:<bandwidth>` (RFC 8866 §5.8). */
export interface Bandwidth {
  readonly type: string;
  readonly value: string;
}

/** `t=<start-time> <stop-time>` with its `r=` lines (RFC 8866 §5.9, §5.10). */
export interface Timing {
  readonly start: string;
  readonly stop: string;
  readonly repeats: readonly string[];
}

/** `a=<name>` (property) or `a=<name>:<value>` (value attribute), RFC 8866 §5.13. */
export interface Attribute {
  readonly name: string;
  readonly value?: string;
}

/** `m=<media> <port>[/<number of ports>] <proto> <fmt> ...` and its lines (RFC 8866 §5.14). */
export interface MediaDescription {
  readonly kind: string;
  readonly port: number;
  readonly portCount?: number;
  readonly proto: string;
  readonly formats: readonly string[];
  /** `i=` */
  readonly title?: string;
  readonly connection?: Connection;
  readonly bandwidths: readonly Bandwidth[];
  /** `k=` (obsolete, kept for round trips). */
  readonly key?: string;
  /** All `a=` lines in order, known ones included (rtpmap, fmtp, ptime, direction, rtcp…). */
  readonly attributes: readonly Attribute[];
}

export interface SessionDescription {
  /** `v=`, always 0. */
  readonly version: number;
  readonly origin: Origin;
  /** `s=`; "-" or " " when the sender had nothing to say. */
  readonly sessionName: string;
  readonly information?: string;
  readonly uri?: string;
  readonly emails: readonly string[];
  readonly phones: readonly string[];
  readonly connection?: Connection;
  readonly bandwidths: readonly Bandwidth[];
  readonly timings: readonly Timing[];
  /** `z=` (raw). */
  readonly timeZones?: string;
  readonly key?: string;
  readonly attributes: readonly Attribute[];
  readonly media: readonly MediaDescription[];
}

export type ParseSdpResult =
  { readonly ok: true; readonly sdp: SessionDescription } | { readonly ok: false; readonly reason: string };

/** RFC 3264 §5.1 stream direction. */
export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** One payload format of an RTP m-line, from `a=rtpmap`/`a=fmtp` or the RFC 3551 static table. */
export interface Codec {
  readonly payloadType: number;
  /** Encoding name as written (`PCMU`, `opus`, `telephone-event`); absent for an unmapped dynamic type. */
  readonly name?: string;
  readonly clockRate?: number;
  readonly channels?: number;
  readonly fmtp?: string;
}

/** The first audio stream of an SDP, in the terms the call layer needs for anchoring. */
export interface AudioStream {
  /** Index of the m-line in `sdp.media`. */
  readonly index: number;
  /**
   * Where to send RTP: media-level `c=` or else session-level. `null` when absent or the
   * unspecified address 0.0.0.0 / :: (the RFC 2543 way to put a call on hold, RFC 3264 §8.4).
   */
  readonly address: string | null;
  readonly addrType: string | null;
  /** 0 means the stream is rejected or disabled (RFC 3264 §6). */
  readonly port: number;
  /** `port === 0`. */
  readonly disabled: boolean;
  /** RTCP port: `a=rtcp` (RFC 3605) or else port + 1. Undefined when disabled. */
  readonly rtcpPort?: number;
  /** An explicit RTCP address from `a=rtcp:<port> IN IP4 <addr>`. */
  readonly rtcpAddress?: string;
  /** `a=rtcp-mux` (RFC 5761): RTCP travels on the RTP port. */
  readonly rtcpMux: boolean;
  readonly proto: string;
  readonly codecs: readonly Codec[];
  /** Media-level direction attribute, else session-level, else sendrecv (RFC 3264 §5.1). */
  readonly direction: Direction;
  readonly ptime?: number;
  readonly maxptime?: number;
}

export interface RewriteAudioOptions {
  /** Our relay address, written to `c=` (and `o=`). */
  readonly address: string;
  /** Our relay RTP port, written to the audio `m=` line. */
  readonly port: number;
  /** Our RTCP port for `a=rtcp`; defaults to port + 1. */
  readonly rtcpPort?: number;
  /** Increment `o=` sess-version (RFC 3264 §8: each new offer/answer from us changes it). */
  readonly sessionVersionBump?: boolean;
}
