import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { audioOf, rewriteAudio } from './audio.js';
import { ALL_FIXTURES, AUDIO_VIDEO_HOLD, BARESIP, LINPHONE, SIPP_UAC, WEBRTC } from './fixtures.js';
import { formatSdp } from './format.js';
import { parseSdp } from './parse.js';
import type { SessionDescription } from './types.js';

function parsed(text: string): SessionDescription {
  const r = parseSdp(text);
  if (!r.ok) assert.fail(`parse failed: ${r.reason}`);
  return r.sdp;
}

function reasonOf(text: string): string {
  const r = parseSdp(text);
  assert.equal(r.ok, false, 'expected a rejection');
  return r.ok ? '' : r.reason;
}

describe('parseSdp / formatSdp', () => {
  for (const [name, text] of Object.entries(ALL_FIXTURES)) {
    it(`round-trips the ${name} SDP byte for byte`, () => {
      assert.equal(formatSdp(parsed(text)), text);
    });
  }

  it('accepts bare LF line endings and writes CRLF', () => {
    const lf = SIPP_UAC.replace(/\r\n/g, '\n');
    assert.equal(formatSdp(parsed(lf)), SIPP_UAC);
  });

  it('reads the origin, session connection and timing of sipp’s offer', () => {
    const sdp = parsed(SIPP_UAC);
    assert.deepEqual(sdp.origin, {
      username: 'user1',
      sessionId: '53655765',
      sessionVersion: '2353687637',
      netType: 'IN',
      addrType: 'IP4',
      address: '127.0.0.1',
    });
    assert.deepEqual(sdp.connection, { netType: 'IN', addrType: 'IP4', address: '127.0.0.1' });
    assert.deepEqual(sdp.timings, [{ start: '0', stop: '0', repeats: [] }]);
    assert.equal(sdp.media.length, 1);
    assert.deepEqual(sdp.media[0]!.formats, ['0']);
  });

  it('keeps unknown attributes raw and in order, including a leading space in the value', () => {
    const sdp = parsed(WEBRTC);
    assert.deepEqual(sdp.attributes, [
      { name: 'group', value: 'BUNDLE 0' },
      { name: 'extmap-allow-mixed' },
      { name: 'msid-semantic', value: ' WMS 5f2e7c4e-stream' },
    ]);
    const names = sdp.media[0]!.attributes.map((a) => a.name);
    assert.deepEqual(names.slice(0, 6), [
      'rtcp',
      'candidate',
      'candidate',
      'ice-ufrag',
      'ice-pwd',
      'ice-options',
    ]);
  });

  it('reads a repeat line and a port count', () => {
    const text =
      'v=0\r\no=- 1 1 IN IP4 h\r\ns= \r\nt=3034423619 3042462419\r\nr=604800 3600 0 90000\r\nm=audio 5000/2 RTP/AVP 0\r\n';
    const sdp = parsed(text);
    assert.deepEqual(sdp.timings[0]!.repeats, ['604800 3600 0 90000']);
    assert.equal(sdp.media[0]!.portCount, 2);
    assert.equal(sdp.sessionName, ' ');
    assert.equal(formatSdp(sdp), text);
  });

  const rejections: Array<[string, string, RegExp]> = [
    ['an empty body', '', /v=0/],
    ['a version other than 0', 'v=1\r\n', /v=0/],
    ['a missing origin', 'v=0\r\ns=-\r\nt=0 0\r\n', /missing o=/],
    ['a missing session name', 'v=0\r\no=- 1 1 IN IP4 h\r\nt=0 0\r\n', /missing s=/],
    ['an origin with 5 fields', 'v=0\r\no=- 1 IN IP4 h\r\ns=-\r\n', /o= needs 6/],
    ['a non-numeric sess-version', 'v=0\r\no=- 1 x IN IP4 h\r\ns=-\r\n', /sess-version/],
    ['an unknown type letter', 'v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nx=1\r\n', /x= not allowed/],
    ['a line without "="', 'v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nhello\r\n', /line 4 is not/],
    ['an m= port above 65535', 'v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nm=audio 70000 RTP/AVP 0\r\n', /port/],
    [
      'an RTP payload type above 127',
      'v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nm=audio 5 RTP/AVP 200\r\n',
      /0\.\.127/,
    ],
    ['an m= line without formats', 'v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nm=audio 5 RTP/AVP\r\n', /m= needs/],
    ['r= before any t=', 'v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nr=1 2 3\r\n', /r= without t=/],
    [
      't= inside a media section',
      'v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nm=audio 5 RTP/AVP 0\r\nt=0 0\r\n',
      /media level/,
    ],
    ['two c= lines in one media', `${SIPP_UAC}c=IN IP4 1.1.1.1\r\nc=IN IP4 2.2.2.2\r\n`, /duplicate c=/],
    ['a bad attribute name', 'v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\na=bad name\r\n', /attribute name/],
    ['an oversized body', `v=0\r\n${'a=x\r\n'.repeat(20000)}`, /longer than/],
  ];
  for (const [what, text, reason] of rejections) {
    it(`rejects ${what} with a reason`, () => {
      assert.match(reasonOf(text), reason);
    });
  }
});

describe('audioOf', () => {
  it('describes sipp’s offer from the session-level c=', () => {
    const a = audioOf(parsed(SIPP_UAC))!;
    assert.equal(a.address, '127.0.0.1');
    assert.equal(a.port, 6000);
    assert.equal(a.rtcpPort, 6001);
    assert.equal(a.disabled, false);
    assert.equal(a.direction, 'sendrecv');
    assert.deepEqual(a.codecs, [{ payloadType: 0, name: 'PCMU', clockRate: 8000 }]);
  });

  it('reads baresip’s codecs, telephone-event fmtp and ptime', () => {
    const a = audioOf(parsed(BARESIP))!;
    assert.equal(a.address, '192.168.1.20');
    assert.equal(a.ptime, 20);
    assert.deepEqual(
      a.codecs.map((c) => [c.payloadType, c.name, c.clockRate, c.fmtp]),
      [
        [0, 'PCMU', 8000, undefined],
        [8, 'PCMA', 8000, undefined],
        [101, 'telephone-event', 8000, '0-15'],
      ],
    );
  });

  it('combines static payload types with fmtp and reads a=rtcp in Linphone’s offer', () => {
    const a = audioOf(parsed(LINPHONE))!;
    assert.equal(a.rtcpPort, 7079);
    const g729 = a.codecs.find((c) => c.payloadType === 18);
    assert.deepEqual(g729, { payloadType: 18, name: 'G729', clockRate: 8000, fmtp: 'annexb=yes' });
    assert.deepEqual(a.codecs[0], {
      payloadType: 96,
      name: 'opus',
      clockRate: 48000,
      channels: 2,
      fmtp: 'useinbandfec=1',
    });
  });

  it('reports a null address for c=0.0.0.0, rtcp-mux, and session-level direction', () => {
    const web = audioOf(parsed(WEBRTC))!;
    assert.equal(web.address, null);
    assert.equal(web.rtcpMux, true);
    assert.equal(web.port, 9);
    const hold = audioOf(parsed(AUDIO_VIDEO_HOLD))!;
    assert.equal(hold.address, null);
    assert.equal(hold.direction, 'sendonly');
    assert.equal(hold.ptime, 30);
    assert.equal(hold.maxptime, 60);
  });

  it('lets a media-level direction override the session level', () => {
    const text = AUDIO_VIDEO_HOLD.replace('a=ptime:30', 'a=ptime:30\r\na=inactive');
    assert.equal(audioOf(parsed(text))!.direction, 'inactive');
  });

  it('marks a port-0 stream disabled and returns null without audio', () => {
    const declined = audioOf(parsed(SIPP_UAC.replace('m=audio 6000', 'm=audio 0')))!;
    assert.equal(declined.disabled, true);
    assert.equal(declined.rtcpPort, undefined);
    const videoOnly = 'v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\nm=video 5000 RTP/AVP 99\r\n';
    assert.equal(audioOf(parsed(videoOnly)), null);
  });
});

describe('rewriteAudio', () => {
  const relay = { address: '203.0.113.10', port: 30000 };

  it('points sipp’s offer at the relay and bumps the version, keeping the session id', () => {
    const before = parsed(SIPP_UAC);
    const after = rewriteAudio(before, { ...relay, sessionVersionBump: true });
    assert.equal(
      formatSdp(after),
      [
        'v=0',
        'o=user1 53655765 2353687638 IN IP4 203.0.113.10',
        's=-',
        'c=IN IP4 203.0.113.10',
        't=0 0',
        'm=audio 30000 RTP/AVP 0',
        'a=rtpmap:0 PCMU/8000',
        '',
      ].join('\r\n'),
    );
    assert.equal(formatSdp(before), SIPP_UAC, 'the input is not modified');
  });

  it('keeps codecs and direction and rewrites a=rtcp to our RTCP port', () => {
    const before = parsed(LINPHONE);
    const after = rewriteAudio(before, relay);
    assert.equal(after.origin.sessionVersion, before.origin.sessionVersion);
    const a = audioOf(after)!;
    assert.equal(a.address, relay.address);
    assert.equal(a.port, 30000);
    assert.equal(a.rtcpPort, 30001);
    assert.deepEqual(a.codecs, audioOf(before)!.codecs);
    assert.equal(a.direction, audioOf(before)!.direction);
  });

  it('leaves ICE attributes alone and bumps a 64-bit session version exactly', () => {
    const before = parsed(WEBRTC);
    const after = rewriteAudio(
      { ...before, origin: { ...before.origin, sessionVersion: '9007199254740993' } },
      { ...relay, sessionVersionBump: true },
    );
    assert.equal(after.origin.sessionVersion, '9007199254740994');
    assert.equal(after.origin.sessionId, '4611731400430051336');
    const keep = (s: SessionDescription) => s.media[0]!.attributes.filter((x) => x.name !== 'rtcp');
    assert.deepEqual(keep(after), keep(before));
    assert.deepEqual(after.media[0]!.attributes[0], { name: 'rtcp', value: '30001 IN IP4 203.0.113.10' });
  });

  it('gives audio its own c= when video still depends on the session c=, and keeps a 0.0.0.0 hold', () => {
    const before = parsed(AUDIO_VIDEO_HOLD);
    const after = rewriteAudio(before, relay);
    assert.deepEqual(after.connection, before.connection);
    assert.equal(after.media[0]!.connection?.address, '0.0.0.0');
    assert.equal(after.media[0]!.port, 30000);
    assert.deepEqual(after.media[1], before.media[1]);

    const active = parsed(AUDIO_VIDEO_HOLD.replace('c=IN IP4 0.0.0.0', 'c=IN IP4 198.51.100.2'));
    const moved = rewriteAudio(active, relay);
    assert.equal(moved.media[0]!.connection?.address, relay.address);
    assert.equal(moved.connection?.address, '198.51.100.2');
  });

  it('replaces both the session and the media c= when only audio uses them', () => {
    const text = SIPP_UAC.replace('a=rtpmap:0 PCMU/8000', 'c=IN IP4 127.0.0.9\r\na=rtpmap:0 PCMU/8000');
    const after = rewriteAudio(parsed(text), relay);
    assert.equal(after.connection?.address, relay.address);
    assert.equal(after.media[0]!.connection?.address, relay.address);
    assert.equal(formatSdp(after).includes('127.0.0'), false, 'no trace of the far side');
  });

  it('replaces a media-level c= and writes IP6 for an IPv6 relay address', () => {
    const after = rewriteAudio(parsed(BARESIP), { address: '2001:db8::10', port: 40000 });
    assert.deepEqual(after.media[0]!.connection, { netType: 'IN', addrType: 'IP6', address: '2001:db8::10' });
    assert.equal(after.origin.addrType, 'IP6');
  });

  it('does not revive a declined stream', () => {
    const after = rewriteAudio(parsed(SIPP_UAC.replace('m=audio 6000', 'm=audio 0')), relay);
    assert.equal(after.media[0]!.port, 0);
    assert.equal(after.connection?.address, '127.0.0.1');
  });
});
