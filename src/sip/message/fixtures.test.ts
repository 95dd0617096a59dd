/**
 * Sample messages and helpers shared by the message tests. Named *.test.ts only so the
 * build leaves it out; it declares no tests itself (importing it must not add any).
 */
import assert from 'node:assert/strict';
import { parseMessage } from './parse.js';
import type { SipMessage, SipRequest } from './types.js';
export { seededRandom } from '../../platform/random.js';

/** Joins header lines with CRLF, adds the empty line, then the body. */
export function sip(lines: readonly string[], body = ''): Buffer {
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`, 'utf8');
}

export const SDP = [
  'v=0',
  'o=alice 2890844526 2890844526 IN IP4 192.0.2.10',
  's=-',
  'c=IN IP4 192.0.2.10',
  't=0 0',
  'm=audio 49170 RTP/AVP 0 8 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  '',
].join('\r\n');

export const INVITE_LINES = [
  'INVITE sip:1001@pbx.example.com SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK74bf9;rport',
  'Max-Forwards: 70',
  'From: "Alice" <sip:alice@example.com>;tag=9fxced76sl',
  'To: <sip:1001@pbx.example.com>',
  'Call-ID: 3848276298220188511@192.0.2.10',
  'CSeq: 1 INVITE',
  'Contact: <sip:alice@192.0.2.10:5060;transport=udp>',
  'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS',
  'Supported: replaces, timer',
  'User-Agent: Softphone 1.0',
  'Content-Type: application/sdp',
  `Content-Length: ${Buffer.byteLength(SDP)}`,
];

/** A typical INVITE with an SDP offer. */
export const INVITE = sip(INVITE_LINES, SDP);

/** A 200 OK with two Vias, Record-Route and a tagged To. */
export const OK_200 = sip([
  'SIP/2.0 200 OK',
  'Via: SIP/2.0/TCP proxy.example.com;branch=z9hG4bK2d4790.1;received=198.51.100.7',
  'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK74bf9;rport=5060;received=192.0.2.10',
  'Record-Route: <sip:proxy.example.com;lr>',
  'From: "Alice" <sip:alice@example.com>;tag=9fxced76sl',
  'To: <sip:1001@pbx.example.com>;tag=8321234356',
  'Call-ID: 3848276298220188511@192.0.2.10',
  'CSeq: 1 INVITE',
  'Contact: <sip:1001@192.0.2.20>',
  'Content-Length: 0',
]);

export const REGISTER = sip([
  'REGISTER sip:pbx.example.com SIP/2.0',
  'Via: SIP/2.0/TCP [2001:db8::9]:5070;branch=z9hG4bKnashds7',
  'Max-Forwards: 70',
  'To: Bob <sip:bob@pbx.example.com>',
  'From: Bob <sip:bob@pbx.example.com>;tag=456248',
  'Call-ID: 843817637684230@998sdasdh09',
  'CSeq: 1826 REGISTER',
  'Contact: <sip:bob@[2001:db8::9]:5070;transport=tcp>;expires=3600;+sip.instance="<urn:uuid:0C1A>"',
  'Authorization: Digest username="bob", realm="pbx.example.com", nonce="ab,c", uri="sip:pbx.example.com"',
  'Content-Length: 0',
]);

export const SAMPLES: readonly Buffer[] = [INVITE, OK_200, REGISTER];

export function mustParse(buf: Buffer): SipMessage {
  const result = parseMessage(buf);
  if (!result.ok) assert.fail(`expected to parse, got "${result.reason}"`);
  return result.message;
}

export function mustParseRequest(buf: Buffer): SipRequest {
  const msg = mustParse(buf);
  assert.equal(msg.kind, 'request');
  return msg as SipRequest;
}

/** Expects a parse failure and returns its reason. */
export function mustFail(buf: Buffer): string {
  const result = parseMessage(buf);
  if (result.ok) assert.fail('expected a parse failure');
  assert.ok(result.reason.length > 0);
  return result.reason;
}
