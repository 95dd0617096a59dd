/**
 * The RTP/RTCP contract (RFC 3550). Parse failures are values, never exceptions: a
 * malformed packet from the network is an everyday event, not a programming error.
 */

/** Why an RTP packet was refused. */
export type RtpParseError =
  /** Fewer than the 12 bytes of the fixed header. */
  | 'RTP_TOO_SHORT'
  /** The version field is not 2. */
  | 'RTP_BAD_VERSION'
  /** The CSRC count announces more identifiers than the packet holds. */
  | 'RTP_CSRC_TRUNCATED'
  /** The X bit is set but the extension header or its announced words are missing. */
  | 'RTP_EXTENSION_TRUNCATED'
  /** The P bit is set but the pad count is 0 or larger than what follows the header. */
  | 'RTP_BAD_PADDING';

/**
 * A parsed RTP header (RFC 3550 §5.1). Offsets point into the buffer that was parsed:
 * the payload is `buf.subarray(payloadOffset, payloadOffset + payloadLength)`.
 */
export interface RtpHeader {
  version: number;
  padding: boolean;
  extension: boolean;
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  csrcCount: number;
  /** The first `csrcCount` entries are valid; preallocated for 15 so reuse allocates nothing. */
  readonly csrcs: Uint32Array;
  /** The 16-bit "defined by profile" field (0xBEDE for RFC 8285 one-byte headers). */
  extensionProfile: number;
  /** Where the extension data (after its 4-byte header) starts, and its length in bytes. */
  extensionOffset: number;
  extensionLength: number;
  /** Bytes of the fixed header, CSRC list and extension. */
  headerLength: number;
  payloadOffset: number;
  payloadLength: number;
  /** Pad bytes at the end, including the count byte itself (0 without the P bit). */
  paddingLength: number;
}

/** What a sender states to build a header; absent fields are 0 / false / empty. */
export interface RtpHeaderInit {
  readonly marker?: boolean;
  readonly payloadType: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly csrcs?: ArrayLike<number>;
  /** Header extension; `data.length` must be a multiple of 4 (RFC 3550 §5.3.1). */
  readonly extension?: { readonly profile: number; readonly data: Uint8Array };
}

export type ParseRtpResult =
  | { readonly ok: true; readonly header: Readonly<RtpHeader>; readonly payload: Uint8Array }
  | { readonly ok: false; readonly error: RtpParseError };
