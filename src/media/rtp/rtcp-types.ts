/**
 * RTCP packets (RFC 3550 §6.4–§6.6). Parsed packets are plain readonly values; the same
 * shapes are what the builder takes.
 */
import type { ReportBlock } from './receiver-stats.js';

export const RTCP_SR = 200;
export const RTCP_RR = 201;
export const RTCP_SDES = 202;
export const RTCP_BYE = 203;
export const RTCP_APP = 204;

/** SDES item types (RFC 3550 §6.5). */
export const SDES_CNAME = 1;

export interface RtcpSenderReport {
  readonly type: 'sr';
  readonly ssrc: number;
  readonly ntpSeconds: number;
  readonly ntpFraction: number;
  readonly rtpTimestamp: number;
  readonly packetCount: number;
  readonly octetCount: number;
  readonly reports: readonly ReportBlock[];
}

export interface RtcpReceiverReport {
  readonly type: 'rr';
  readonly ssrc: number;
  readonly reports: readonly ReportBlock[];
}

export interface SdesItem {
  readonly type: number;
  readonly text: string;
}

export interface SdesChunk {
  readonly ssrc: number;
  readonly items: readonly SdesItem[];
}

export interface RtcpSdes {
  readonly type: 'sdes';
  readonly chunks: readonly SdesChunk[];
}

export interface RtcpBye {
  readonly type: 'bye';
  readonly ssrcs: readonly number[];
  readonly reason?: string;
}

/** Any other packet type (APP, RTPFB, PSFB, XR…), kept as its raw body. */
export interface RtcpOther {
  readonly type: 'other';
  readonly packetType: number;
  /** The 5-bit count/subtype field. */
  readonly count: number;
  /** The bytes after the 4-byte header, padding removed. */
  readonly body: Uint8Array;
}

export type RtcpPacket = RtcpSenderReport | RtcpReceiverReport | RtcpSdes | RtcpBye | RtcpOther;

export type RtcpParseError =
  /** Fewer than 4 bytes where a packet header should start. */
  | 'RTCP_TOO_SHORT'
  | 'RTCP_BAD_VERSION'
  /** A length field runs past the end of the datagram. */
  | 'RTCP_TRUNCATED'
  /** Padding on a packet that is not the last, or a pad count that does not fit. */
  | 'RTCP_BAD_PADDING'
  /** An SR/RR/BYE whose count needs more bytes than its length gives. */
  | 'RTCP_BAD_COUNT'
  /** An SDES chunk or item that runs past its packet, or lacks its terminating null. */
  | 'RTCP_BAD_SDES';

export type ParseRtcpResult =
  | { readonly ok: true; readonly packets: readonly RtcpPacket[] }
  | { readonly ok: false; readonly error: RtcpParseError };
