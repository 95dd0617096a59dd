/**
 * Writes a SipMessage to bytes (RFC 3261 §7). Header order follows the advice of
 * RFC 3261 §7.3.1 (Via, Route, … first, so proxies find them fast); Content-Length is
 * always written and always computed from the body (§18.3, §20.14).
 */
import { formatVia } from './headers.js';
import type { NameAddr, SipMessage } from './types.js';
import { formatNameAddr, formatUri } from './uri.js';

function addressList(name: string, list: readonly NameAddr[]): string {
  if (list.length === 0) return '';
  let line = `${name}: ${formatNameAddr(list[0] as NameAddr)}`;
  for (let i = 1; i < list.length; i++) line += `, ${formatNameAddr(list[i] as NameAddr)}`;
  return `${line}\r\n`;
}

function isContentLength(name: string): boolean {
  return name.length === 14 && name.toLowerCase() === 'content-length';
}

/** The start line and headers, up to and including the empty line. */
export function serializeHead(msg: SipMessage): string {
  let out =
    msg.kind === 'request'
      ? `${msg.method} ${formatUri(msg.uri)} SIP/2.0\r\n`
      : `SIP/2.0 ${msg.status} ${msg.reason}\r\n`;
  // One line per Via, so a proxy can strip the top one without reparsing a list.
  for (const via of msg.vias) out += `Via: ${formatVia(via)}\r\n`;
  if (msg.maxForwards !== undefined) out += `Max-Forwards: ${msg.maxForwards}\r\n`;
  out += addressList('Route', msg.routes);
  out += addressList('Record-Route', msg.recordRoutes);
  out += `From: ${formatNameAddr(msg.from)}\r\nTo: ${formatNameAddr(msg.to)}\r\n`;
  out += `Call-ID: ${msg.callId}\r\nCSeq: ${msg.cseq.seq} ${msg.cseq.method}\r\n`;
  out += msg.contactWildcard ? 'Contact: *\r\n' : addressList('Contact', msg.contacts);
  for (const h of msg.headers) {
    // Content-Length is derived from the body; a stray copy in `headers` would contradict it.
    if (!isContentLength(h.name)) out += `${h.name}: ${h.value}\r\n`;
  }
  if (msg.contentType !== undefined) out += `Content-Type: ${msg.contentType}\r\n`;
  return `${out}Content-Length: ${msg.body.length}\r\n\r\n`;
}

export function serializeMessage(msg: SipMessage): Buffer {
  const head = serializeHead(msg);
  if (msg.body.length === 0) return Buffer.from(head, 'utf8');
  const headBytes = Buffer.byteLength(head, 'utf8');
  const out = Buffer.allocUnsafe(headBytes + msg.body.length);
  out.write(head, 0, 'utf8');
  msg.body.copy(out, headBytes);
  return out;
}
