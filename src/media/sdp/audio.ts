import { codecsOf, directionOf, hasAttribute, millisOf, rtcpOf } from './attributes.js';
import type {
  Attribute,
  AudioStream,
  Connection,
  MediaDescription,
  RewriteAudioOptions,
  SessionDescription,
} from './types.js';

/** Reading and rewriting the audio stream of an SDP, for media anchoring by the B2BUA. */

function isUnspecified(address: string): boolean {
  return address === '0.0.0.0' || address === '::' || address === '0:0:0:0:0:0:0:0';
}

function audioIndex(sdp: SessionDescription): number {
  return sdp.media.findIndex((m) => m.kind === 'audio');
}

/** The first audio m-line, or null when the SDP carries no audio. */
export function audioOf(sdp: SessionDescription): AudioStream | null {
  const index = audioIndex(sdp);
  const m = sdp.media[index];
  if (m === undefined) return null;
  const conn = m.connection ?? sdp.connection;
  const address = conn === undefined || isUnspecified(hostOf(conn.address)) ? null : hostOf(conn.address);
  const rtcp = rtcpOf(m.attributes);
  const ptime = millisOf(m.attributes, 'ptime');
  const maxptime = millisOf(m.attributes, 'maxptime');
  const disabled = m.port === 0;
  return {
    index,
    address,
    addrType: address === null ? null : (conn?.addrType ?? null),
    port: m.port,
    disabled,
    ...(disabled ? {} : { rtcpPort: rtcp?.port ?? m.port + 1 }),
    ...(rtcp?.address === undefined || disabled ? {} : { rtcpAddress: rtcp.address }),
    rtcpMux: hasAttribute(m.attributes, 'rtcp-mux'),
    proto: m.proto,
    codecs: codecsOf(m),
    direction: directionOf(m.attributes) ?? directionOf(sdp.attributes) ?? 'sendrecv',
    ...(ptime === undefined ? {} : { ptime }),
    ...(maxptime === undefined ? {} : { maxptime }),
  };
}

/** Strips a multicast `/ttl/count` suffix. */
function hostOf(address: string): string {
  const slash = address.indexOf('/');
  return slash < 0 ? address : address.slice(0, slash);
}

/**
 * A new SDP whose first audio stream points at our relay: `c=` and the `m=` port become
 * ours, `a=rtcp` (RFC 3605) names our RTCP port, and `o=` carries our address. Codecs,
 * direction and every other attribute (ICE included) are left as they were.
 *
 * Kept on purpose:
 * - a declined stream (port 0) stays declined: anchoring must not revive it;
 * - a hold address 0.0.0.0 stays 0.0.0.0, so the legacy hold (RFC 3264 §8.4) still
 *   reaches the other side;
 * - the session-level `c=` is replaced only when no other m-line depends on it; otherwise
 *   it stays and the audio m-line gets its own `c=`. Replacing it otherwise also keeps
 *   the far side's addresses out of what we send (topology hiding).
 * An SDP without audio is returned unchanged apart from the version bump.
 */
export function rewriteAudio(sdp: SessionDescription, opts: RewriteAudioOptions): SessionDescription {
  const addrType = opts.address.includes(':') ? 'IP6' : 'IP4';
  const origin = {
    ...sdp.origin,
    netType: 'IN',
    addrType,
    address: opts.address,
    sessionVersion: opts.sessionVersionBump ? bump(sdp.origin.sessionVersion) : sdp.origin.sessionVersion,
  };
  const index = audioIndex(sdp);
  const audio = sdp.media[index];
  if (audio === undefined || audio.port === 0) return { ...sdp, origin };

  const ours: Connection = { netType: 'IN', addrType, address: opts.address };
  // A hold address stays as it is; any other address becomes ours.
  const swap = (c: Connection | undefined) =>
    c === undefined || isUnspecified(hostOf(c.address)) ? c : ours;
  const othersNeedSession = sdp.media.some((m, i) => i !== index && m.connection === undefined);
  let audioConn = audio.connection;
  if (audioConn !== undefined) audioConn = swap(audioConn);
  else if (sdp.connection === undefined || othersNeedSession) audioConn = swap(sdp.connection) ?? ours;
  const sessionConn = othersNeedSession ? sdp.connection : swap(sdp.connection);

  const newAudio: MediaDescription = {
    ...audio,
    port: opts.port,
    attributes: audio.attributes.map((a) => rewriteRtcp(a, opts, addrType)),
    ...(audioConn === undefined ? {} : { connection: audioConn }),
  };
  const media = sdp.media.map((m, i) => (i === index ? newAudio : m));
  return { ...sdp, origin, ...(sessionConn === undefined ? {} : { connection: sessionConn }), media };
}

function rewriteRtcp(a: Attribute, opts: RewriteAudioOptions, addrType: string): Attribute {
  if (a.name !== 'rtcp' || a.value === undefined) return a;
  const port = opts.rtcpPort ?? opts.port + 1;
  const withAddress = /IN[ \t]+IP/.test(a.value);
  return { name: 'rtcp', value: withAddress ? `${port} IN ${addrType} ${opts.address}` : `${port}` };
}

/** sess-version + 1, in decimal strings (values can exceed 2^53). */
function bump(version: string): string {
  return /^\d+$/.test(version) ? (BigInt(version) + 1n).toString() : version;
}
