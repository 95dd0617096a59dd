import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AUDIO_VIDEO_HOLD, BARESIP, LINPHONE, SIPP_UAC, WEBRTC } from './fixtures.js';
import { formatSdp } from './format.js';
import { LOCAL, answer, crlf, offer, rejection, sdp } from './negotiate-testing.js';

/** sipp's usual uac_pcap-style offer: PCMU only, RFC 4733 events, 30 ms. */
const SIPP_PTIME30 = offer('m=audio 6000 RTP/AVP 0 101', [
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-15',
  'a=ptime:30',
]);

/** A baresip offer with wideband codecs first. */
const BARESIP_WIDEBAND = crlf([
  'v=0',
  'o=- 3951893120 2193786411 IN IP4 192.168.1.20',
  's=-',
  'c=IN IP4 192.168.1.20',
  't=0 0',
  'm=audio 10004 RTP/AVP 96 9 0 8 101',
  'b=AS:128',
  'a=rtpmap:96 opus/48000/2',
  'a=fmtp:96 stereo=1;sprop-stereo=1',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-15',
  'a=sendrecv',
  'a=rtcp-rsize',
]);

describe('answerOffer', () => {
  it('answers sipp’s PCMU offer with PCMU, its telephone-event type and its 30 ms ptime', () => {
    const r = answer(SIPP_PTIME30);
    assert.deepEqual(r.format, {
      codec: 'PCMU',
      payloadType: 0,
      ptimeMs: 30,
      telephoneEvent: 101,
      direction: 'sendrecv',
    });
    assert.deepEqual(r.remote, { address: '192.0.2.10', port: 6000, rtcpPort: 6001 });
    assert.equal(
      formatSdp(r.answer),
      crlf([
        'v=0',
        'o=hotline 4242 7 IN IP4 203.0.113.5',
        's=-',
        'c=IN IP4 203.0.113.5',
        't=0 0',
        'm=audio 40000 RTP/AVP 0 101',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:101 telephone-event/8000',
        'a=fmtp:101 0-16',
        'a=ptime:30',
        'a=sendrecv',
        'a=rtcp:40001',
      ]),
    );
  });

  it('answers sipp’s built-in offer without telephone-event with telephoneEvent null and our ptime', () => {
    const r = answer(SIPP_UAC);
    assert.equal(r.format.codec, 'PCMU');
    assert.equal(r.format.telephoneEvent, null);
    assert.equal(r.format.ptimeMs, 20);
    assert.deepEqual(r.answer.media[0]!.formats, ['0']);
    assert.ok(!r.answer.media[0]!.attributes.some((a) => a.value?.includes('telephone-event')));
  });

  it('follows the offer’s order, not ours, when both G.711 laws are offered (baresip)', () => {
    const r = answer(BARESIP);
    assert.equal(r.format.codec, 'PCMU');
    assert.equal(r.format.payloadType, 0);
    assert.equal(r.format.telephoneEvent, 101);
    assert.deepEqual(r.remote, { address: '192.168.1.20', port: 10002, rtcpPort: 10003 });
  });

  it('skips opus and G.722 offered first and picks the first G.711 law (baresip wideband)', () => {
    const r = answer(BARESIP_WIDEBAND);
    assert.equal(r.format.codec, 'PCMU');
    assert.deepEqual(r.answer.media[0]!.formats, ['0', '101']);
    const pcmaFirst = answer(BARESIP_WIDEBAND, undefined, { ...LOCAL, codecs: ['PCMA'] });
    assert.equal(pcmaFirst.format.codec, 'PCMA');
    assert.equal(pcmaFirst.format.payloadType, 8);
  });

  it('picks the 8 kHz telephone-event among several clock rates and honours a=rtcp (Linphone)', () => {
    const r = answer(LINPHONE);
    assert.equal(r.format.codec, 'PCMU');
    assert.equal(r.format.telephoneEvent, 100);
    assert.deepEqual(r.remote, { address: '10.20.30.40', port: 7078, rtcpPort: 7079 });
    assert.deepEqual(r.answer.media[0]!.formats, ['0', '100']);
  });

  it('maps a dynamic payload type by its rtpmap name, case-insensitively', () => {
    const r = answer(
      offer('m=audio 5004 RTP/AVP 97 98', ['a=rtpmap:97 speex/8000', 'a=rtpmap:98 pcma/8000']),
    );
    assert.equal(r.format.codec, 'PCMA', 'our spelling of the name');
    assert.equal(r.format.payloadType, 98, 'the offer’s payload type');
    assert.ok(r.answer.media[0]!.attributes.some((a) => a.name === 'rtpmap' && a.value === '98 PCMA/8000'));
  });

  it('reads static payload types without a=rtpmap from the RFC 3551 table', () => {
    assert.equal(answer(offer('m=audio 5004 RTP/AVP 18 8')).format.codec, 'PCMA');
  });

  it('does not take a G.711 name at a clock rate other than 8000, nor a stereo one', () => {
    const reason = rejection(
      offer('m=audio 5004 RTP/AVP 96 97', ['a=rtpmap:96 PCMU/16000', 'a=rtpmap:97 PCMA/8000/2']),
    );
    assert.match(reason, /PCMU\/16000/);
  });

  it('falls back to our ptime when the offer’s is not a multiple of 10 ms within 10..60', () => {
    for (const p of ['25', '80', '5', '20.5']) {
      const r = answer(offer('m=audio 5004 RTP/AVP 8', [`a=ptime:${p}`]));
      assert.equal(r.format.ptimeMs, 20, `ptime ${p}`);
    }
    assert.equal(answer(offer('m=audio 5004 RTP/AVP 8', ['a=ptime:60'])).format.ptimeMs, 60);
    assert.equal(answer(offer('m=audio 5004 RTP/AVP 8', ['a=ptime:10'])).format.ptimeMs, 10);
  });

  it('stays within the offer’s a=maxptime when it has no a=ptime', () => {
    const r = answer(offer('m=audio 5004 RTP/AVP 8', ['a=maxptime:10']), undefined, {
      ...LOCAL,
      ptimeMs: 30,
    });
    assert.equal(r.format.ptimeMs, 10);
  });

  it('answers a sendonly hold with recvonly: we must not send', () => {
    const r = answer(offer('m=audio 5004 RTP/AVP 0', ['a=sendonly']));
    assert.equal(r.format.direction, 'recvonly');
    assert.ok(r.answer.media[0]!.attributes.some((a) => a.name === 'recvonly'));
    assert.notEqual(r.remote, null, 'the phone still has an address: it sends music on hold');
  });

  it('answers recvonly with sendonly, and inactive with inactive', () => {
    assert.equal(answer(offer('m=audio 5004 RTP/AVP 0', ['a=recvonly'])).format.direction, 'sendonly');
    assert.equal(answer(offer('m=audio 5004 RTP/AVP 0', ['a=inactive'])).format.direction, 'inactive');
  });

  it('reads a session-level direction attribute', () => {
    const text = crlf([
      'v=0',
      'o=- 1 1 IN IP4 192.0.2.10',
      's=-',
      'c=IN IP4 192.0.2.10',
      't=0 0',
      'a=sendonly',
      'm=audio 5004 RTP/AVP 0',
    ]);
    assert.equal(answer(text).format.direction, 'recvonly');
  });

  it('treats the RFC 2543 hold c=0.0.0.0 as inactive with no remote address', () => {
    const r = answer(offer('m=audio 5004 RTP/AVP 0', [], 'c=IN IP4 0.0.0.0'));
    assert.equal(r.format.direction, 'inactive');
    assert.equal(r.remote, null);
    assert.equal(r.answer.connection?.address, '203.0.113.5', 'our own address is always real');
  });

  it('answers the legacy audio+video hold: audio inactive, video declined with port 0', () => {
    const r = answer(AUDIO_VIDEO_HOLD);
    assert.equal(r.format.direction, 'inactive');
    assert.equal(r.format.ptimeMs, 30);
    assert.equal(r.remote, null);
    assert.equal(r.answer.media.length, 2, 'as many m-lines as the offer (RFC 3264 §6)');
    assert.deepEqual(r.answer.media[1], {
      kind: 'video',
      port: 0,
      proto: 'RTP/AVP',
      formats: ['99'],
      bandwidths: [],
      attributes: [],
    });
  });

  it('keeps a disabled (port 0) audio stream disabled and inactive', () => {
    const r = answer(offer('m=audio 0 RTP/AVP 0'));
    assert.equal(r.answer.media[0]!.port, 0);
    assert.equal(r.format.direction, 'inactive');
    assert.equal(r.remote, null);
    assert.ok(!r.answer.media[0]!.attributes.some((a) => a.name === 'rtcp'));
  });

  it('combines the offer with our wish: we hold a sendrecv call with sendonly', () => {
    const r = answer(BARESIP, { direction: 'sendonly' });
    assert.equal(r.format.direction, 'sendonly');
    const both = answer(offer('m=audio 5004 RTP/AVP 0', ['a=sendonly']), { direction: 'sendonly' });
    assert.equal(both.format.direction, 'inactive', 'both sides holding');
  });

  it('omits a=rtcp when we have no RTCP port', () => {
    const { rtcpPort: _unused, ...noRtcp } = LOCAL;
    const r = answer(SIPP_UAC, undefined, noRtcp);
    assert.ok(!r.answer.media[0]!.attributes.some((a) => a.name === 'rtcp'));
  });

  it('writes IP6 for an IPv6 relay address', () => {
    const r = answer(SIPP_UAC, undefined, { ...LOCAL, address: '2001:db8::5' });
    assert.deepEqual(r.answer.connection, { netType: 'IN', addrType: 'IP6', address: '2001:db8::5' });
    assert.equal(r.answer.origin.addrType, 'IP6');
  });

  it('takes the plain RTP copy of an audio stream also offered with SRTP, declining the other', () => {
    const text = crlf([
      'v=0',
      'o=- 1 1 IN IP4 192.0.2.10',
      's=-',
      'c=IN IP4 192.0.2.10',
      't=0 0',
      'm=audio 5006 RTP/SAVP 8',
      'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz',
      'm=audio 5004 RTP/AVP 8',
    ]);
    const r = answer(text);
    assert.equal(r.answer.media[0]!.port, 0);
    assert.equal(r.answer.media[1]!.port, LOCAL.port);
    assert.equal(r.remote?.port, 5004);
  });

  it('rejects an offer without audio with 488 saying so', () => {
    const text = crlf([
      'v=0',
      'o=- 1 1 IN IP4 192.0.2.10',
      's=-',
      'c=IN IP4 192.0.2.10',
      't=0 0',
      'm=video 5000 RTP/AVP 99',
    ]);
    assert.equal(rejection(text), 'offer has no audio stream');
  });

  it('rejects a WebRTC offer with 488 naming its transport', () => {
    assert.match(rejection(WEBRTC), /UDP\/TLS\/RTP\/SAVPF/);
  });

  it('rejects an offer with no common codec with 488 listing what was offered', () => {
    const reason = rejection(
      offer('m=audio 5004 RTP/AVP 96 9 18 101', [
        'a=rtpmap:96 opus/48000/2',
        'a=rtpmap:101 telephone-event/48000',
      ]),
    );
    assert.equal(
      reason,
      'no common audio codec: offered opus/48000, G722/8000, G729/8000, telephone-event/48000; we support PCMA, PCMU',
    );
  });

  it('names an unmapped dynamic payload type in the 488 reason', () => {
    assert.match(rejection(offer('m=audio 5004 RTP/AVP 97')), /payload type 97/);
  });

  it('produces answers that format, parse back and format again unchanged', () => {
    for (const text of [SIPP_PTIME30, BARESIP, BARESIP_WIDEBAND, LINPHONE, AUDIO_VIDEO_HOLD, SIPP_UAC]) {
      const a = answer(text).answer;
      const again = sdp(formatSdp(a));
      assert.deepEqual(again, a);
      assert.equal(formatSdp(again), formatSdp(a));
    }
  });
});
