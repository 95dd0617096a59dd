/**
 * RTP fixed header, CSRC list, header extension and padding (RFC 3550 §5.1, §5.3.1).
 *
 * `readRtpHeader` fills a caller-owned header object and returns an error code or null,
 * so a receive loop allocates nothing per packet. Every length is checked against the
 * buffer before it is used: a packet that lies about its CSRC count, extension length or
 * padding is refused, and nothing is read past `length`.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 *   |                           timestamp                           |
 *   |           synchronization source (SSRC) identifier            |
 *   |            contributing source (CSRC) identifiers  (CC×)      |
 */
import { MediaError } from '../errors.js';
import type { ParseRtpResult, RtpHeader, RtpHeaderInit, RtpParseError } from './types.js';

export const RTP_FIXED_HEADER_LENGTH = 12;

/** A blank header to reuse with `readRtpHeader`. */
export function createRtpHeader(): RtpHeader {
  return {
    version: 0,
    padding: false,
    extension: false,
    marker: false,
    payloadType: 0,
    sequenceNumber: 0,
    timestamp: 0,
    ssrc: 0,
    csrcCount: 0,
    csrcs: new Uint32Array(15),
    extensionProfile: 0,
    extensionOffset: 0,
    extensionLength: 0,
    headerLength: 0,
    payloadOffset: 0,
    payloadLength: 0,
    paddingLength: 0,
  };
}

function u32(buf: Uint8Array, at: number): number {
  return ((buf[at]! << 24) | (buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!) >>> 0;
}

/**
 * True when the second byte says RTCP (packet types 192–223, RFC 5761 §4): the test that
 * separates RTCP from RTP on a multiplexed port.
 */
export function looksLikeRtcp(buf: Uint8Array, length = buf.length): boolean {
  return length >= 2 && buf[1]! >= 192 && buf[1]! <= 223;
}

/**
 * Parses the header of `buf[0, length)` into `into`. Returns null when the packet is
 * valid, else why it is not (then `into` holds partial values and must not be used).
 */
export function readRtpHeader(buf: Uint8Array, into: RtpHeader, length = buf.length): RtpParseError | null {
  const end = Math.min(length, buf.length);
  if (end < RTP_FIXED_HEADER_LENGTH) return 'RTP_TOO_SHORT';
  const b0 = buf[0]!;
  const b1 = buf[1]!;
  into.version = b0 >> 6;
  if (into.version !== 2) return 'RTP_BAD_VERSION';
  into.padding = (b0 & 0x20) !== 0;
  into.extension = (b0 & 0x10) !== 0;
  into.csrcCount = b0 & 0x0f;
  into.marker = (b1 & 0x80) !== 0;
  into.payloadType = b1 & 0x7f;
  into.sequenceNumber = (buf[2]! << 8) | buf[3]!;
  into.timestamp = u32(buf, 4);
  into.ssrc = u32(buf, 8);
  let at = RTP_FIXED_HEADER_LENGTH;
  if (at + 4 * into.csrcCount > end) return 'RTP_CSRC_TRUNCATED';
  for (let i = 0; i < into.csrcCount; i++, at += 4) into.csrcs[i] = u32(buf, at);
  into.extensionProfile = 0;
  into.extensionOffset = 0;
  into.extensionLength = 0;
  if (into.extension) {
    if (at + 4 > end) return 'RTP_EXTENSION_TRUNCATED';
    into.extensionProfile = (buf[at]! << 8) | buf[at + 1]!;
    const bytes = 4 * ((buf[at + 2]! << 8) | buf[at + 3]!);
    at += 4;
    if (at + bytes > end) return 'RTP_EXTENSION_TRUNCATED';
    into.extensionOffset = at;
    into.extensionLength = bytes;
    at += bytes;
  }
  into.headerLength = at;
  into.paddingLength = 0;
  if (into.padding) {
    // RFC 3550 §5.1: the last octet counts the padding, itself included.
    const pad = buf[end - 1]!;
    if (pad === 0 || pad > end - at) return 'RTP_BAD_PADDING';
    into.paddingLength = pad;
  }
  into.payloadOffset = at;
  into.payloadLength = end - at - into.paddingLength;
  return null;
}

/** Parses a packet into a fresh header and a payload view (convenient, allocates). */
export function parseRtp(buf: Uint8Array, length = buf.length): ParseRtpResult {
  const header = createRtpHeader();
  const error = readRtpHeader(buf, header, length);
  if (error !== null) return { ok: false, error };
  const payload = buf.subarray(header.payloadOffset, header.payloadOffset + header.payloadLength);
  return { ok: true, header, payload };
}

function checkField(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new MediaError('MEDIA_INVALID_ARGUMENT', `RTP ${name} ${value} is outside 0…${max}`, {
      [name]: value,
    });
  }
}

/** The header length `init` serializes to. */
export function rtpHeaderLength(init: RtpHeaderInit): number {
  const csrcs = init.csrcs?.length ?? 0;
  return RTP_FIXED_HEADER_LENGTH + 4 * csrcs + (init.extension ? 4 + init.extension.data.length : 0);
}

function validateInit(init: RtpHeaderInit): void {
  checkField('payloadType', init.payloadType, 127);
  checkField('sequenceNumber', init.sequenceNumber, 0xffff);
  checkField('timestamp', init.timestamp, 0xffffffff);
  checkField('ssrc', init.ssrc, 0xffffffff);
  const csrcs = init.csrcs ?? [];
  if (csrcs.length > 15) throw new MediaError('MEDIA_INVALID_ARGUMENT', 'RTP carries at most 15 CSRCs');
  for (let i = 0; i < csrcs.length; i++) checkField('csrc', csrcs[i]!, 0xffffffff);
  if (init.extension) {
    checkField('extensionProfile', init.extension.profile, 0xffff);
    const len = init.extension.data.length;
    if (len % 4 !== 0 || len / 4 > 0xffff) {
      throw new MediaError('MEDIA_INVALID_ARGUMENT', `RTP extension length ${len} is not a multiple of 4`);
    }
  }
}

function putU32(out: Uint8Array, at: number, value: number): void {
  out[at] = value >>> 24;
  out[at + 1] = (value >>> 16) & 0xff;
  out[at + 2] = (value >>> 8) & 0xff;
  out[at + 3] = value & 0xff;
}

/**
 * Writes a complete packet — header, payload, then `paddingBytes` of padding (0 or
 * 1…255, the last byte holding the count) — into `out` at `offset`; returns its length.
 * Invalid fields or a too-small buffer are programming errors and throw.
 */
export function writeRtpPacket(
  init: RtpHeaderInit,
  payload: Uint8Array,
  out: Uint8Array,
  offset = 0,
  paddingBytes = 0,
): number {
  validateInit(init);
  checkField('paddingBytes', paddingBytes, 255);
  const headerLength = rtpHeaderLength(init);
  const total = headerLength + payload.length + paddingBytes;
  if (offset < 0 || offset + total > out.length) {
    throw new MediaError('MEDIA_INVALID_ARGUMENT', `RTP packet of ${total} bytes does not fit the buffer`);
  }
  const csrcs = init.csrcs ?? [];
  out[offset] = 0x80 | (paddingBytes > 0 ? 0x20 : 0) | (init.extension ? 0x10 : 0) | csrcs.length;
  out[offset + 1] = (init.marker ? 0x80 : 0) | init.payloadType;
  out[offset + 2] = init.sequenceNumber >> 8;
  out[offset + 3] = init.sequenceNumber & 0xff;
  putU32(out, offset + 4, init.timestamp);
  putU32(out, offset + 8, init.ssrc);
  let at = offset + RTP_FIXED_HEADER_LENGTH;
  for (let i = 0; i < csrcs.length; i++, at += 4) putU32(out, at, csrcs[i]!);
  if (init.extension) {
    const words = init.extension.data.length / 4;
    out[at] = init.extension.profile >> 8;
    out[at + 1] = init.extension.profile & 0xff;
    out[at + 2] = words >> 8;
    out[at + 3] = words & 0xff;
    out.set(init.extension.data, at + 4);
    at += 4 + init.extension.data.length;
  }
  out.set(payload, at);
  at += payload.length;
  if (paddingBytes > 0) {
    out.fill(0, at, at + paddingBytes - 1);
    out[at + paddingBytes - 1] = paddingBytes;
  }
  return total;
}

/** Serializes a packet into a new buffer (convenient, allocates). */
export function serializeRtp(init: RtpHeaderInit, payload: Uint8Array, paddingBytes = 0): Uint8Array {
  const out = new Uint8Array(rtpHeaderLength(init) + payload.length + paddingBytes);
  writeRtpPacket(init, payload, out, 0, paddingBytes);
  return out;
}
