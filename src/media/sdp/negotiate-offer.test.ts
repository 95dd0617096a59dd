import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { audioOf } from './audio.js';
import { AUDIO_VIDEO_HOLD, BARESIP } from './fixtures.js';
import { formatSdp } from './format.js';
import { LocalSession, acceptAnswer, answerOffer, createOffer } from './negotiate.js';
import { LOCAL, answer, crlf, offer, sdp, session } from './negotiate-testing.js';

describe('createOffer', () => {
  it('offers our codecs in our order with static types, telephone-event 0-16, ptime and direction', () => {
    const o = createOffer(session(), LOCAL);
    assert.equal(
      formatSdp(o),
      crlf([
        'v=0',
        'o=hotline 4242 7 IN IP4 203.0.113.5',
        's=-',
        'c=IN IP4 203.0.113.5',
        't=0 0',
        'm=audio 40000 RTP/AVP 8 0 101',
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:101 telephone-event/8000',
        'a=fmtp:101 0-16',
        'a=ptime:20',
        'a=sendrecv',
        'a=rtcp:40001',
      ]),
    );
    assert.deepEqual(sdp(formatSdp(o)), o);
  });

  it('offers hold as sendonly when asked', () => {
    const o = createOffer(session(), LOCAL, { direction: 'sendonly' });
    assert.equal(audioOf(o)?.direction, 'sendonly');
  });

  it('gives codecs without a static type a dynamic one that avoids the telephone-event type', () => {
    const o = createOffer(session(), { ...LOCAL, codecs: ['PCMU', 'L16x', 'X-Test'], telephoneEvent: 96 });
    assert.deepEqual(o.media[0]!.formats, ['0', '97', '98', '96']);
  });

  it('is answered by a phone and accepted: sipp answering PCMA', () => {
    const o = createOffer(session(), LOCAL);
    const a = sdp(
      offer('m=audio 6000 RTP/AVP 8 101', [
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:101 telephone-event/8000',
        'a=ptime:20',
      ]),
    );
    assert.deepEqual(acceptAnswer(o, a), {
      ok: true,
      format: { codec: 'PCMA', payloadType: 8, ptimeMs: 20, telephoneEvent: 101, direction: 'sendrecv' },
      remote: { address: '192.0.2.10', port: 6000, rtcpPort: 6001 },
    });
  });
});

describe('acceptAnswer', () => {
  const ours = createOffer(session(), LOCAL);

  it('takes the answer’s payload types, which may differ from ours for the same codec', () => {
    const a = sdp(
      offer('m=audio 6000 RTP/AVP 0 110', [
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:110 telephone-event/8000',
        'a=ptime:40',
      ]),
    );
    const r = acceptAnswer(ours, a);
    assert.ok(r.ok);
    assert.equal(r.format.codec, 'PCMU');
    assert.equal(r.format.telephoneEvent, 110);
    assert.equal(r.format.ptimeMs, 40);
  });

  it('has telephoneEvent null when the answer drops it', () => {
    const r = acceptAnswer(ours, sdp(offer('m=audio 6000 RTP/AVP 8')));
    assert.ok(r.ok);
    assert.equal(r.format.telephoneEvent, null);
    assert.equal(r.format.ptimeMs, 20, 'our offered ptime when the answer has none');
  });

  it('mirrors the answer’s direction into ours', () => {
    const recvonly = acceptAnswer(ours, sdp(offer('m=audio 6000 RTP/AVP 8', ['a=recvonly'])));
    assert.ok(recvonly.ok);
    assert.equal(recvonly.format.direction, 'sendonly');
    const held = acceptAnswer(ours, sdp(offer('m=audio 6000 RTP/AVP 8', [], 'c=IN IP4 0.0.0.0')));
    assert.ok(held.ok);
    assert.equal(held.format.direction, 'inactive');
    assert.equal(held.remote, null);
  });

  it('keeps our own hold: a sendonly offer answered recvonly stays sendonly', () => {
    const hold = createOffer(session(), LOCAL, { direction: 'sendonly' });
    const r = acceptAnswer(hold, sdp(offer('m=audio 6000 RTP/AVP 8', ['a=recvonly'])));
    assert.ok(r.ok);
    assert.equal(r.format.direction, 'sendonly');
  });

  it('refuses an answer whose codec we did not offer, naming it', () => {
    const r = acceptAnswer(ours, sdp(offer('m=audio 6000 RTP/AVP 18')));
    assert.deepEqual(r, { ok: false, reason: 'answer chose G729/8000, which we did not offer' });
  });

  it('refuses an answer that rejects the audio stream or has no codec', () => {
    assert.deepEqual(acceptAnswer(ours, sdp(offer('m=audio 0 RTP/AVP 8'))), {
      ok: false,
      reason: 'answer rejected the audio stream (port 0)',
    });
    const onlyEvents = acceptAnswer(
      ours,
      sdp(offer('m=audio 6000 RTP/AVP 101', ['a=rtpmap:101 telephone-event/8000'])),
    );
    assert.deepEqual(onlyEvents, { ok: false, reason: 'answer lists no audio codec' });
  });

  it('refuses an answer with a different number of m-lines', () => {
    const r = acceptAnswer(ours, sdp(AUDIO_VIDEO_HOLD));
    assert.deepEqual(r, { ok: false, reason: 'answer has 2 m-lines, the offer had 1' });
  });

  it('matches an answer codec without rtpmap by our offered payload type', () => {
    const dyn = createOffer(session(), { ...LOCAL, codecs: ['PCMA', 'X-Test'] });
    const r = acceptAnswer(dyn, sdp(offer('m=audio 6000 RTP/AVP 96')));
    assert.ok(r.ok);
    assert.equal(r.format.codec, 'X-Test');
  });
});

describe('LocalSession', () => {
  it('keeps the version while the content is unchanged (RFC 3264 §8)', () => {
    const s = session();
    const a1 = answer(BARESIP).answer; // another session, to compare shapes
    const first = answerOffer(s, sdp(BARESIP), LOCAL);
    const again = answerOffer(s, sdp(BARESIP), LOCAL);
    assert.ok(first.ok && again.ok);
    assert.equal(first.answer.origin.sessionVersion, '7');
    assert.equal(again.answer.origin.sessionVersion, '7');
    assert.deepEqual(again.answer, a1);
    assert.equal(s.last, again.answer);
  });

  it('increments the version by one when the content changes, and only then', () => {
    const s = session();
    const versions: string[] = [];
    const push = (r: ReturnType<typeof answerOffer>) => {
      assert.ok(r.ok);
      versions.push(r.answer.origin.sessionVersion);
    };
    push(answerOffer(s, sdp(BARESIP), LOCAL));
    push(answerOffer(s, sdp(offer('m=audio 5004 RTP/AVP 0', ['a=sendonly'])), LOCAL)); // hold
    push(answerOffer(s, sdp(offer('m=audio 5004 RTP/AVP 0', ['a=sendonly'])), LOCAL)); // same again
    push(answerOffer(s, sdp(BARESIP), LOCAL)); // resume
    versions.push(createOffer(s, LOCAL).origin.sessionVersion); // our own re-offer
    assert.deepEqual(versions, ['7', '8', '8', '9', '10']);
    assert.equal(s.sessionVersion, '10');
  });

  it('keeps the o= line identical apart from the version, even if the relay address moves', () => {
    const s = session();
    const a = createOffer(s, LOCAL);
    const b = createOffer(s, { ...LOCAL, address: '203.0.113.9' });
    assert.deepEqual({ ...b.origin, sessionVersion: a.origin.sessionVersion }, a.origin);
    assert.equal(b.origin.sessionVersion, '8');
    assert.equal(b.connection?.address, '203.0.113.9');
  });

  it('counts beyond 2^53 without losing precision', () => {
    const s = new LocalSession({ sessionId: '1', sessionVersion: '9007199254740993' });
    createOffer(s, LOCAL);
    assert.equal(createOffer(s, LOCAL, { direction: 'inactive' }).origin.sessionVersion, '9007199254740994');
  });

  it('draws a random numeric session id by default, with the username hotline', () => {
    const a = createOffer(new LocalSession(), LOCAL);
    const b = createOffer(new LocalSession(), LOCAL);
    assert.match(a.origin.sessionId, /^\d+$/);
    assert.notEqual(a.origin.sessionId, b.origin.sessionId);
    assert.equal(a.origin.username, 'hotline');
  });

  it('refuses a non-numeric session id or version', () => {
    assert.throws(() => new LocalSession({ sessionId: 'abc' }), RangeError);
    assert.throws(() => new LocalSession({ sessionVersion: '-1' }), RangeError);
  });
});
