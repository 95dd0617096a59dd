import type { Attribute, Codec, Direction, MediaDescription } from './types.js';

/** Typed reads of the attributes the relay and the call layer care about. */

const DIRECTIONS: ReadonlySet<string> = new Set<Direction>(['sendrecv', 'sendonly', 'recvonly', 'inactive']);

/** RFC 3551 §6 static audio payload types, used when an m-line has no a=rtpmap for them. */
const STATIC_AUDIO: Readonly<Record<number, { name: string; clockRate: number; channels?: number }>> = {
  0: { name: 'PCMU', clockRate: 8000 },
  3: { name: 'GSM', clockRate: 8000 },
  4: { name: 'G723', clockRate: 8000 },
  5: { name: 'DVI4', clockRate: 8000 },
  6: { name: 'DVI4', clockRate: 16000 },
  7: { name: 'LPC', clockRate: 8000 },
  8: { name: 'PCMA', clockRate: 8000 },
  9: { name: 'G722', clockRate: 8000 },
  10: { name: 'L16', clockRate: 44100, channels: 2 },
  11: { name: 'L16', clockRate: 44100 },
  12: { name: 'QCELP', clockRate: 8000 },
  13: { name: 'CN', clockRate: 8000 },
  14: { name: 'MPA', clockRate: 90000 },
  15: { name: 'G728', clockRate: 8000 },
  16: { name: 'DVI4', clockRate: 11025 },
  17: { name: 'DVI4', clockRate: 22050 },
  18: { name: 'G729', clockRate: 8000 },
};

/** The last direction attribute in the list (RFC 3264 §5.1), if any. */
export function directionOf(attributes: readonly Attribute[]): Direction | undefined {
  let found: Direction | undefined;
  for (const a of attributes)
    if (a.value === undefined && DIRECTIONS.has(a.name)) found = a.name as Direction;
  return found;
}

export function attributeValue(attributes: readonly Attribute[], name: string): string | undefined {
  return attributes.find((a) => a.name === name)?.value;
}

export function hasAttribute(attributes: readonly Attribute[], name: string): boolean {
  return attributes.some((a) => a.name === name);
}

/** A positive number of milliseconds from a=ptime / a=maxptime, or undefined when malformed. */
export function millisOf(attributes: readonly Attribute[], name: 'ptime' | 'maxptime'): number | undefined {
  const text = attributeValue(attributes, name)?.trim();
  if (text === undefined || !/^\d{1,5}(\.\d{1,3})?$/.test(text)) return undefined;
  const n = Number(text);
  return n > 0 ? n : undefined;
}

/** `a=rtcp:<port> [IN IP4 <address>]` (RFC 3605). */
export function rtcpOf(attributes: readonly Attribute[]): { port: number; address?: string } | undefined {
  const value = attributeValue(attributes, 'rtcp');
  const m = value === undefined ? null : /^(\d{1,5})(?:[ \t]+IN[ \t]+IP[46][ \t]+(\S+))?[ \t]*$/.exec(value);
  if (!m || Number(m[1]) > 65535) return undefined;
  return m[2] === undefined ? { port: Number(m[1]) } : { port: Number(m[1]), address: m[2] };
}

/** The codecs of an RTP m-line in the order offered (order is preference, RFC 3264 §5.1). */
export function codecsOf(media: MediaDescription): Codec[] {
  if (!/RTP\//.test(media.proto)) return [];
  const maps = new Map<number, { name: string; clockRate: number; channels?: number }>();
  const fmtps = new Map<number, string>();
  for (const a of media.attributes) {
    if (a.value === undefined) continue;
    if (a.name === 'rtpmap') {
      const m = /^(\d{1,3})[ \t]+([^/\s]+)\/(\d{1,6})(?:\/(\d{1,2}))?[ \t]*$/.exec(a.value);
      if (m) maps.set(Number(m[1]), { name: m[2]!, clockRate: Number(m[3]), ...channels(m[4]) });
    } else if (a.name === 'fmtp') {
      const m = /^(\d{1,3})[ \t]+(.*)$/.exec(a.value);
      if (m) fmtps.set(Number(m[1]), m[2]!);
    }
  }
  return media.formats.map((fmt) => {
    const payloadType = Number(fmt);
    const map = maps.get(payloadType) ?? STATIC_AUDIO[payloadType];
    const fmtp = fmtps.get(payloadType);
    return { payloadType, ...map, ...(fmtp === undefined ? {} : { fmtp }) };
  });
}

function channels(text: string | undefined): { channels?: number } {
  return text === undefined ? {} : { channels: Number(text) };
}
