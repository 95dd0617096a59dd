import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatSdp } from './format.js';
import { acceptAnswer, createOffer, type LocalMedia } from './negotiate.js';
import { LOCAL, answer, crlf, offer, rejection, sdp, session } from './negotiate-testing.js';

/** Hotline with its default codecs (`media.codecs`): G.711 first, G.722 last. */
const DEFAULT: LocalMedia = { ...LOCAL, codecs: ['PCMA', 'PCMU', 'G722'] };

/** A desk phone that prefers wideband: G.722 first, as Yealink and Polycom phones offer. */
const G722_FIRST = offer('m=audio 11780 RTP/AVP 9 8 0 101', [
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-15',
  'a=ptime:20',
  'a=sendrecv',
]);

/** baresip with only its g722 module: the static payload type alone, no rtpmap. */
const G722_ONLY = offer('m=audio 10000 RTP/AVP 9 101', ['a=rtpmap:101 telephone-event/8000']);

describe('G.722 in SDP negotiation', () => {
  it('answers G.722 to a phone that offers it first: payload type 9, G722/8000', () => {
    const r = answer(G722_FIRST, undefined, DEFAULT);
    assert.deepEqual(r.format, {
      codec: 'G722',
      payloadType: 9,
      ptimeMs: 20,
      telephoneEvent: 101,
      direction: 'sendrecv',
    });
    const text = formatSdp(r.answer);
    assert.match(text, /^m=audio 40000 RTP\/AVP 9 101\r$/m);
    assert.match(text, /^a=rtpmap:9 G722\/8000\r$/m, 'RFC 3551 keeps the 8000 clock rate for G.722');
  });

  it('answers G.722 to a phone that offers nothing else', () => {
    const r = answer(G722_ONLY, undefined, DEFAULT);
    assert.equal(r.format.codec, 'G722');
    assert.equal(r.format.payloadType, 9);
  });

  it('keeps the phone’s order: G.711 offered first is answered with G.711', () => {
    const r = answer(
      offer('m=audio 4000 RTP/AVP 8 9 101', ['a=rtpmap:101 telephone-event/8000']),
      undefined,
      DEFAULT,
    );
    assert.equal(r.format.codec, 'PCMA');
  });

  it('refuses a G.722-only offer with 488 when G.722 is configured off', () => {
    assert.match(rejection(G722_ONLY, { ...LOCAL, codecs: ['PCMA', 'PCMU'] }), /offered G722\/8000/);
  });

  it('offers G.711 first and G.722 last by default, and accepts a callee that answers G.722', () => {
    const ours = createOffer(session(), DEFAULT);
    const text = formatSdp(ours);
    assert.match(text, /^m=audio 40000 RTP\/AVP 8 0 9 101\r$/m);
    assert.match(text, /^a=rtpmap:9 G722\/8000\r$/m);
    const theirs = sdp(
      crlf([
        'v=0',
        'o=- 5 5 IN IP4 192.0.2.20',
        's=-',
        'c=IN IP4 192.0.2.20',
        't=0 0',
        'm=audio 30000 RTP/AVP 9 101',
        'a=rtpmap:9 G722/8000',
        'a=rtpmap:101 telephone-event/8000',
        'a=sendrecv',
      ]),
    );
    const r = acceptAnswer(ours, theirs);
    assert.ok(r.ok, r.ok ? '' : r.reason);
    assert.equal(r.format.codec, 'G722');
    assert.equal(r.format.payloadType, 9);
  });

  it('offers G.722 first when configured first', () => {
    const text = formatSdp(createOffer(session(), { ...LOCAL, codecs: ['G722', 'PCMA'] }));
    assert.match(text, /^m=audio 40000 RTP\/AVP 9 8 101\r$/m);
  });
});
