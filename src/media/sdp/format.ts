import type { Attribute, Bandwidth, Connection, MediaDescription, SessionDescription } from './types.js';

/**
 * Serializes an SDP in the RFC 8866 §5 line order, with CRLF line endings and a final
 * CRLF. A description that came from `parseSdp` in canonical order formats back to the
 * same lines.
 */
export function formatSdp(sdp: SessionDescription): string {
  const lines: string[] = [`v=${sdp.version}`];
  const o = sdp.origin;
  lines.push(`o=${o.username} ${o.sessionId} ${o.sessionVersion} ${o.netType} ${o.addrType} ${o.address}`);
  lines.push(`s=${sdp.sessionName}`);
  if (sdp.information !== undefined) lines.push(`i=${sdp.information}`);
  if (sdp.uri !== undefined) lines.push(`u=${sdp.uri}`);
  for (const e of sdp.emails) lines.push(`e=${e}`);
  for (const p of sdp.phones) lines.push(`p=${p}`);
  if (sdp.connection) lines.push(connectionLine(sdp.connection));
  for (const b of sdp.bandwidths) lines.push(bandwidthLine(b));
  for (const t of sdp.timings) {
    lines.push(`t=${t.start} ${t.stop}`);
    for (const r of t.repeats) lines.push(`r=${r}`);
  }
  if (sdp.timeZones !== undefined) lines.push(`z=${sdp.timeZones}`);
  if (sdp.key !== undefined) lines.push(`k=${sdp.key}`);
  for (const a of sdp.attributes) lines.push(attributeLine(a));
  for (const m of sdp.media) pushMedia(lines, m);
  return lines.join('\r\n') + '\r\n';
}

function pushMedia(lines: string[], m: MediaDescription): void {
  const port = m.portCount === undefined ? `${m.port}` : `${m.port}/${m.portCount}`;
  lines.push(`m=${m.kind} ${port} ${m.proto} ${m.formats.join(' ')}`);
  if (m.title !== undefined) lines.push(`i=${m.title}`);
  if (m.connection) lines.push(connectionLine(m.connection));
  for (const b of m.bandwidths) lines.push(bandwidthLine(b));
  if (m.key !== undefined) lines.push(`k=${m.key}`);
  for (const a of m.attributes) lines.push(attributeLine(a));
}

function connectionLine(c: Connection): string {
  return `c=${c.netType} ${c.addrType} ${c.address}`;
}

function bandwidthLine(b: Bandwidth): string {
  return `b=${b.type}:${b.value}`;
}

function attributeLine(a: Attribute): string {
  return a.value === undefined ? `a=${a.name}` : `a=${a.name}:${a.value}`;
}
