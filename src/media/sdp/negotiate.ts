import { randomInt } from 'node:crypto';
import type { MediaDirection, StreamFormat } from '../relay/control.js';
import { audioOf } from './audio.js';
import { formatSdp } from './format.js';
import type { Attribute, AudioStream, Codec, MediaDescription, SessionDescription } from './types.js';

/**
 * SDP offer/answer (RFC 3264) for a B2BUA that anchors, and may transcode, media. Each
 * phone sees an SDP of our own — our relay address, our codec choice — so every leg is
 * negotiated on its own and the two legs never need the same codec.
 *
 * Pure: no I/O. The only state is LocalSession's o= line, which RFC 3264 §8 ties to the
 * dialog rather than to one exchange.
 */

/** What we can do on one leg: the relay endpoint and the codecs the engine can encode. */
export interface LocalMedia {
  readonly address: string;
  readonly port: number;
  /** Written as `a=rtcp` (RFC 3605) when given. */
  readonly rtcpPort?: number;
  /** Encoding names in our order of preference, e.g. `['PCMA', 'PCMU']`. */
  readonly codecs: readonly string[];
  /** RFC 4733 payload type we offer, e.g. 101. */
  readonly telephoneEvent: number;
  /** Packetization we ask for, e.g. 20. */
  readonly ptimeMs: number;
}

/** Where the phone wants its RTP (and RTCP). */
export interface RemoteMedia {
  readonly address: string;
  readonly port: number;
  readonly rtcpPort?: number;
  readonly rtcpAddress?: string;
}

export interface NegotiateOptions {
  /** Our wish, combined with what the peer allows: `sendonly` when we hold, `inactive`, … */
  readonly direction?: MediaDirection;
}

export type AnswerResult =
  | {
      readonly ok: true;
      readonly answer: SessionDescription;
      readonly format: StreamFormat;
      readonly remote: RemoteMedia | null;
    }
  | { readonly ok: false; readonly status: 488; readonly reason: string };

export type AcceptResult =
  | { readonly ok: true; readonly format: StreamFormat; readonly remote: RemoteMedia | null }
  | { readonly ok: false; readonly reason: string };

export interface LocalSessionOptions {
  /** Decimal sess-id; random by default. */
  readonly sessionId?: string;
  /** Decimal sess-version of the first description; 1 by default. */
  readonly sessionVersion?: string;
}

const USERNAME = 'hotline';
const DECIMAL = /^\d{1,20}$/;
const CLOCK = 8000;
/** RFC 4733 §3.2 events 0–15 (DTMF) and 16 (flash). */
const EVENTS = '0-16';
/** Plain RTP only: SRTP and DTLS (WebRTC) need keys we do not handle. AVPF is AVP plus feedback. */
const PROTOS: ReadonlySet<string> = new Set(['RTP/AVP', 'RTP/AVPF']);
/** RFC 3551 §6 static payload types of the 8 kHz codecs we might offer. */
const STATIC_PT: Readonly<Record<string, number>> = { PCMU: 0, GSM: 3, G723: 4, PCMA: 8, G722: 9, G729: 18 };

/**
 * Our side of one dialog's SDP: the o= line (RFC 8866 §5.2) shared by every offer and
 * answer we send on it. RFC 3264 §8: the version increments exactly when the content
 * changes; an unchanged description is sent again with the same version. The o= address
 * is the one of the first description, so the o= line stays identical apart from the
 * version as §8 requires, even if the relay address later changes.
 */
export class LocalSession {
  readonly sessionId: string;
  #version: bigint;
  #address: string | undefined;
  #lastKey: string | undefined;
  #last: SessionDescription | undefined;

  constructor(opts: LocalSessionOptions = {}) {
    // sess-id is numeric (RFC 8866 §5.2); 47 bits stay well inside what peers parse.
    const id = opts.sessionId ?? String(randomInt(1, 2 ** 47));
    const version = opts.sessionVersion ?? '1';
    if (!DECIMAL.test(id)) throw new RangeError(`SDP session id "${id}" is not a decimal number`);
    if (!DECIMAL.test(version))
      throw new RangeError(`SDP session version "${version}" is not a decimal number`);
    this.sessionId = id;
    this.#version = BigInt(version);
  }

  /** The version of the last description produced (or of the first one to come). */
  get sessionVersion(): string {
    return this.#version.toString();
  }

  /** The last description produced, to send again (e.g. in a retransmitted 200). */
  get last(): SessionDescription | undefined {
    return this.#last;
  }

  /** A description with our o= line: the same version when the content is unchanged, else the next one. */
  describe(address: string, media: readonly MediaDescription[]): SessionDescription {
    const body: SessionDescription = {
      version: 0,
      origin: { username: USERNAME, sessionId: this.sessionId, sessionVersion: '0', ...inet(address) },
      sessionName: '-',
      emails: [],
      phones: [],
      connection: inet(address),
      bandwidths: [],
      timings: [{ start: '0', stop: '0', repeats: [] }],
      attributes: [],
      media,
    };
    const key = formatSdp(body);
    if (this.#lastKey !== undefined && key !== this.#lastKey) this.#version += 1n;
    this.#lastKey = key;
    this.#address ??= address;
    const origin = { ...body.origin, ...inet(this.#address), sessionVersion: this.#version.toString() };
    this.#last = { ...body, origin };
    return this.#last;
  }
}

function inet(address: string): { netType: 'IN'; addrType: string; address: string } {
  return { netType: 'IN', addrType: address.includes(':') ? 'IP6' : 'IP4', address };
}

/**
 * Answers a phone's offer (RFC 3264 §6). Picks the first codec in the offer's order that
 * we can encode, keeps the offer's payload types (§6.1), and answers every other m-line
 * with port 0. A 488 (RFC 3261 §21.4.26) says what was wrong.
 */
export function answerOffer(
  session: LocalSession,
  offer: SessionDescription,
  local: LocalMedia,
  opts: NegotiateOptions = {},
): AnswerResult {
  const audio = pickAudio(offer);
  if (audio === null) return notAcceptable('offer has no audio stream');
  if (!PROTOS.has(audio.proto.toUpperCase())) {
    return notAcceptable(`audio stream uses ${audio.proto}; only RTP/AVP is supported`);
  }
  const chosen = pickCodec(audio.codecs, local.codecs);
  if (chosen === undefined) {
    return notAcceptable(
      `no common audio codec: offered ${listCodecs(audio.codecs)}; we support ${local.codecs.join(', ')}`,
    );
  }
  const event = audio.codecs.find(isEvent8k);
  // a=ptime is what the offerer wants to receive (RFC 4566 §6): we send with it, and
  // put the same value in the answer.
  const ptimeMs = ptimeFor(audio, local.ptimeMs);
  const usable = !audio.disabled && audio.address !== null;
  // RFC 3264 §8.4: c=0.0.0.0 is the RFC 2543 hold; §6: a port-0 stream stays disabled.
  const theirs = usable ? audio.direction : 'inactive';
  const direction = intersect(MIRROR[theirs], opts.direction ?? 'sendrecv');
  const line = audioLine({
    port: audio.disabled ? 0 : local.port,
    proto: audio.proto,
    codecs: [chosen],
    event: event?.payloadType ?? null,
    ptimeMs,
    direction,
    rtcpPort: audio.disabled ? undefined : local.rtcpPort,
  });
  const media = offer.media.map((m, i) => (i === audio.index ? line : rejected(m)));
  const format: StreamFormat = {
    codec: chosen.name,
    payloadType: chosen.payloadType,
    ptimeMs,
    telephoneEvent: event?.payloadType ?? null,
    direction,
  };
  return { ok: true, answer: session.describe(local.address, media), format, remote: remoteOf(audio) };
}

/** Our offer (RFC 3264 §5): every codec we can encode in our order, telephone-event, ptime, direction. */
export function createOffer(
  session: LocalSession,
  local: LocalMedia,
  opts: NegotiateOptions = {},
): SessionDescription {
  const line = audioLine({
    port: local.port,
    proto: 'RTP/AVP',
    codecs: offerCodecs(local),
    event: local.telephoneEvent,
    ptimeMs: local.ptimeMs,
    direction: opts.direction ?? 'sendrecv',
    rtcpPort: local.rtcpPort,
  });
  return session.describe(local.address, [line]);
}

/**
 * Reads the phone's answer to our offer (RFC 3264 §7). The answer's first codec must be
 * one we offered; we send it with the answer's payload type, which is what the phone
 * expects to receive (§6.1).
 */
export function acceptAnswer(offer: SessionDescription, answer: SessionDescription): AcceptResult {
  const ours = audioOf(offer);
  if (ours === null) return { ok: false, reason: 'our offer has no audio stream' };
  // RFC 3264 §6: the answer has exactly as many m-lines as the offer, in the same order.
  if (answer.media.length !== offer.media.length) {
    return {
      ok: false,
      reason: `answer has ${answer.media.length} m-lines, the offer had ${offer.media.length}`,
    };
  }
  const theirs = audioAt(answer, ours.index);
  if (theirs === null) return { ok: false, reason: 'answer has no audio stream where we offered one' };
  if (theirs.disabled) return { ok: false, reason: 'answer rejected the audio stream (port 0)' };
  const first = theirs.codecs.find((c) => !isEvent(c) && !isComfortNoise(c));
  if (first === undefined) return { ok: false, reason: 'answer lists no audio codec' };
  const offered = ours.codecs.find((o) =>
    first.name === undefined ? o.payloadType === first.payloadType : sameCodec(o, first),
  );
  if (offered?.name === undefined || isEvent(offered)) {
    return { ok: false, reason: `answer chose ${label(first)}, which we did not offer` };
  }
  const usable = theirs.address !== null;
  const direction = intersect(ours.direction, MIRROR[usable ? theirs.direction : 'inactive']);
  const event = ours.codecs.some(isEvent8k) ? theirs.codecs.find(isEvent8k) : undefined;
  return {
    ok: true,
    format: {
      codec: offered.name,
      payloadType: first.payloadType,
      ptimeMs: validPtime(theirs.ptime) ?? validPtime(ours.ptime) ?? 20,
      telephoneEvent: event?.payloadType ?? null,
      direction,
    },
    remote: remoteOf(theirs),
  };
}

function notAcceptable(reason: string): AnswerResult {
  return { ok: false, status: 488, reason };
}

/**
 * The first audio m-line we can take, else the first audio m-line (to name its problem).
 * Some phones offer the same audio twice, SRTP first and plain RTP second.
 */
function pickAudio(sdp: SessionDescription): AudioStream | null {
  for (let i = 0; i < sdp.media.length; i++) {
    const m = sdp.media[i]!;
    if (m.kind === 'audio' && m.port !== 0 && PROTOS.has(m.proto.toUpperCase())) return audioAt(sdp, i);
  }
  return audioOf(sdp);
}

/** The audio stream of the m-line at `index`, read with audioOf's rules. */
function audioAt(sdp: SessionDescription, index: number): AudioStream | null {
  const m = sdp.media[index];
  if (m === undefined || m.kind !== 'audio') return null;
  const stream = audioOf({ ...sdp, media: [m] });
  return stream === null ? null : { ...stream, index };
}

interface Chosen {
  readonly name: string;
  readonly payloadType: number;
}

/** The first offered codec we support: by encoding name (static types are named by RFC 3551), 8 kHz mono. */
function pickCodec(offered: readonly Codec[], ours: readonly string[]): Chosen | undefined {
  for (const c of offered) {
    if (c.name === undefined || c.clockRate !== CLOCK || (c.channels ?? 1) !== 1) continue;
    const name = ours.find((n) => n.toLowerCase() === c.name!.toLowerCase());
    if (name !== undefined) return { name, payloadType: c.payloadType };
  }
  return undefined;
}

/** Payload types for our offer: RFC 3551 static ones where they exist, else dynamic from 96. */
function offerCodecs(local: LocalMedia): Chosen[] {
  const used = new Set<number>([local.telephoneEvent]);
  const out: Chosen[] = [];
  let next = 96;
  for (const name of local.codecs) {
    if (out.some((c) => c.name.toLowerCase() === name.toLowerCase())) continue;
    let pt = STATIC_PT[name.toUpperCase()];
    if (pt === undefined) {
      while (used.has(next)) next++;
      pt = next;
    }
    used.add(pt);
    out.push({ name, payloadType: pt });
  }
  return out;
}

function isEvent(c: Codec): boolean {
  return c.name?.toLowerCase() === 'telephone-event';
}

/** RFC 4733 §7.1.1: telephone-event at the audio codec's clock rate, which for us is 8000. */
function isEvent8k(c: Codec): boolean {
  return isEvent(c) && c.clockRate === CLOCK;
}

function isComfortNoise(c: Codec): boolean {
  return c.name?.toUpperCase() === 'CN';
}

function sameCodec(a: Codec, b: Codec): boolean {
  return a.name?.toLowerCase() === b.name?.toLowerCase() && a.clockRate === b.clockRate;
}

function label(c: Codec): string {
  if (c.name === undefined) return `payload type ${c.payloadType}`;
  return c.clockRate === undefined ? c.name : `${c.name}/${c.clockRate}`;
}

function listCodecs(codecs: readonly Codec[]): string {
  return codecs.length === 0 ? 'none' : codecs.map(label).join(', ');
}

/** The engine packetizes in 10 ms steps up to 60 ms. */
function validPtime(ms: number | undefined): number | undefined {
  return ms !== undefined && Number.isInteger(ms) && ms % 10 === 0 && ms >= 10 && ms <= 60 ? ms : undefined;
}

/** The offer's ptime when we can send it; else ours, lowered to respect an a=maxptime (RFC 4566 §6). */
function ptimeFor(audio: AudioStream, ours: number): number {
  const asked = validPtime(audio.ptime);
  if (asked !== undefined) return asked;
  if (audio.maxptime !== undefined && audio.maxptime < ours) {
    const capped = Math.floor(audio.maxptime / 10) * 10;
    if (capped >= 10) return capped;
  }
  return ours;
}

/** RFC 3264 §6.1: the answerer's direction as seen from the offer's. */
const MIRROR: Readonly<Record<MediaDirection, MediaDirection>> = {
  sendrecv: 'sendrecv',
  sendonly: 'recvonly',
  recvonly: 'sendonly',
  inactive: 'inactive',
};

function sends(d: MediaDirection): boolean {
  return d === 'sendrecv' || d === 'sendonly';
}

function receives(d: MediaDirection): boolean {
  return d === 'sendrecv' || d === 'recvonly';
}

/** What both allow: we send only if both let us, and likewise for receiving. */
function intersect(a: MediaDirection, b: MediaDirection): MediaDirection {
  const send = sends(a) && sends(b);
  const recv = receives(a) && receives(b);
  if (send) return recv ? 'sendrecv' : 'sendonly';
  return recv ? 'recvonly' : 'inactive';
}

function remoteOf(audio: AudioStream): RemoteMedia | null {
  if (audio.address === null || audio.disabled) return null;
  return {
    address: audio.address,
    port: audio.port,
    ...(audio.rtcpPort === undefined ? {} : { rtcpPort: audio.rtcpPort }),
    ...(audio.rtcpAddress === undefined ? {} : { rtcpAddress: audio.rtcpAddress }),
  };
}

interface AudioLineSpec {
  readonly port: number;
  readonly proto: string;
  readonly codecs: readonly Chosen[];
  readonly event: number | null;
  readonly ptimeMs: number;
  readonly direction: MediaDirection;
  readonly rtcpPort: number | undefined;
}

/** Our audio m-line. Static types get an a=rtpmap too: RFC 8866 §6.6 allows it and some phones expect it. */
function audioLine(spec: AudioLineSpec): MediaDescription {
  const attributes: Attribute[] = spec.codecs.map((c) => ({
    name: 'rtpmap',
    value: `${c.payloadType} ${c.name}/${CLOCK}`,
  }));
  const formats = spec.codecs.map((c) => String(c.payloadType));
  if (spec.event !== null) {
    formats.push(String(spec.event));
    attributes.push({ name: 'rtpmap', value: `${spec.event} telephone-event/${CLOCK}` });
    attributes.push({ name: 'fmtp', value: `${spec.event} ${EVENTS}` });
  }
  attributes.push({ name: 'ptime', value: String(spec.ptimeMs) }, { name: spec.direction });
  if (spec.rtcpPort !== undefined) attributes.push({ name: 'rtcp', value: String(spec.rtcpPort) });
  return { kind: 'audio', port: spec.port, proto: spec.proto, formats, bandwidths: [], attributes };
}

/** RFC 3264 §6: a stream we do not take is answered with port 0 and the offered formats. */
function rejected(m: MediaDescription): MediaDescription {
  return { kind: m.kind, port: 0, proto: m.proto, formats: m.formats, bandwidths: [], attributes: [] };
}
