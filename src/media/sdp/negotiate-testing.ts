/** Shared by the negotiation tests: a local media description, SDP helpers, a minimal offer. */
import assert from 'node:assert/strict';
import { LocalSession, answerOffer, type LocalMedia } from './negotiate.js';
import { parseSdp } from './parse.js';
import type { SessionDescription } from './types.js';

export const LOCAL: LocalMedia = {
  address: '203.0.113.5',
  port: 40000,
  rtcpPort: 40001,
  codecs: ['PCMA', 'PCMU'],
  telephoneEvent: 101,
  ptimeMs: 20,
};

export const crlf = (lines: readonly string[]): string => lines.join('\r\n') + '\r\n';

export function sdp(text: string): SessionDescription {
  const r = parseSdp(text);
  if (!r.ok) assert.fail(`parse failed: ${r.reason}`);
  return r.sdp;
}

export function session(): LocalSession {
  return new LocalSession({ sessionId: '4242', sessionVersion: '7' });
}

export function answer(
  offerText: string,
  opts?: Parameters<typeof answerOffer>[3],
  local: LocalMedia = LOCAL,
) {
  const r = answerOffer(session(), sdp(offerText), local, opts);
  if (!r.ok) assert.fail(`expected an answer, got 488: ${r.reason}`);
  return r;
}

export function rejection(offerText: string, local: LocalMedia = LOCAL): string {
  const r = answerOffer(session(), sdp(offerText), local);
  if (r.ok) assert.fail('expected a 488');
  assert.equal(r.status, 488);
  return r.reason;
}

/** A minimal audio offer around the given m-line and attributes. */
export function offer(mLine: string, attrs: readonly string[] = [], conn = 'c=IN IP4 192.0.2.10'): string {
  return crlf(['v=0', 'o=- 1 1 IN IP4 192.0.2.10', 's=-', conn, 't=0 0', mLine, ...attrs]);
}
