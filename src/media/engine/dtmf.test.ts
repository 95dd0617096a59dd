import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DtmfDetector } from '../dtmf/detector.js';
import { tonesOf } from '../dtmf/digits.js';
import { dbm0ToPeak } from '../dtmf/levels.js';
import { Rfc4733Receiver } from '../dtmf/rfc4733-receiver.js';
import type { DtmfDigit } from '../dtmf/types.js';
import type { MediaEvent, StreamFormat } from '../relay/control.js';
import { MediaRelay } from '../relay/relay.js';
import { eventually, testPortRange } from '../relay/testing.js';
import { LO, RtpPeer, wait } from './testing.js';

const RFC4733: StreamFormat = {
  codec: 'PCMU',
  payloadType: 0,
  ptimeMs: 20,
  telephoneEvent: 101,
  direction: 'sendrecv',
};
const INBAND: StreamFormat = { ...RFC4733, telephoneEvent: null };

/** A keypad: each digit's two tones at `dbm0` for 100 ms, then 100 ms of silence. */
function keypad(digits: readonly DtmfDigit[], dbm0: number, startAt = 1600): (n: number) => number {
  const peak = dbm0ToPeak(dbm0);
  return (n) => {
    const k = Math.floor((n - startAt) / 1600);
    if (n < startAt || k >= digits.length || (n - startAt) % 1600 >= 800) return 0;
    const { lowHz, highHz } = tonesOf(digits[k]!);
    return peak * (Math.sin((2 * Math.PI * lowHz * n) / 8000) + Math.sin((2 * Math.PI * highHz * n) / 8000));
  };
}

function digitsOf(events: readonly MediaEvent[]): string {
  return events.map((e) => (e.type === 'dtmf' ? e.digit : '')).join('');
}

describe('DTMF', () => {
  let relay: MediaRelay;
  let phone: RtpPeer;
  let other: RtpPeer | undefined;
  const ids: string[] = [];

  before(async () => {
    relay = await MediaRelay.start({ ...testPortRange(16), requestTimeoutMs: 20_000 });
  });
  after(async () => {
    await relay.shutdown();
  });

  async function endpoint(format: StreamFormat, peer: RtpPeer, near?: string) {
    const ep = await relay.createEndpoint({ bindAddress: LO, ...(near ? { near } : {}) });
    ids.push(ep.id);
    peer.acceptFrom(ep.port, ep.rtcpPort);
    const events: MediaEvent[] = [];
    relay.listen(ep.id, (e) => events.push(e));
    await relay.setRemote(ep.id, peer.remote);
    await relay.configure(ep.id, format);
    return { ...ep, events };
  }

  async function hangUp(): Promise<void> {
    await Promise.all(ids.splice(0).map((id) => relay.close(id)));
    await phone.close();
    await other?.close();
    other = undefined;
  }

  it('reports each RFC 4733 press exactly once, whatever the redundancy and duplicates', async () => {
    phone = await RtpPeer.open();
    const ep = await endpoint(RFC4733, phone);
    const talker = phone.talk(ep.port, { codec: 'PCMU', payloadType: 0, ptimeMs: 20, signal: () => 0 });
    await wait(60);
    const t0 = Date.now();
    await talker.press('1', 100, 101, true);
    await wait(80);
    await talker.press('#', 160, 101);
    await wait(80);
    await talker.press('1', 100, 101, true);
    await wait(300);
    phone.stopTalking();
    assert.equal(digitsOf(ep.events), '1#1');
    for (const e of ep.events) {
      assert.ok(e.type === 'dtmf' && e.source === 'rfc4733' && e.id === ep.id);
      assert.ok(e.at >= t0 - 50 && e.at <= Date.now(), 'at is wall-clock time of the press');
    }
    const durations = ep.events.map((e) => (e.type === 'dtmf' ? e.durationMs : 0));
    assert.deepEqual(durations, [100, 160, 100]);
    await hangUp();
  });

  it('finds in-band digits at −20 dBm0 when no telephone-event was negotiated', async () => {
    phone = await RtpPeer.open();
    const ep = await endpoint(INBAND, phone);
    phone.talk(ep.port, { codec: 'PCMU', payloadType: 0, ptimeMs: 20, signal: keypad(['4', '0', '*'], -20) });
    await eventually(() => ep.events.length >= 3, 3000, 'three digits');
    await wait(300);
    phone.stopTalking();
    assert.equal(digitsOf(ep.events), '40*');
    assert.ok(
      ep.events.every(
        (e) => e.type === 'dtmf' && e.source === 'inband' && e.durationMs >= 50 && e.durationMs <= 160,
      ),
      JSON.stringify(ep.events),
    );
    await hangUp();
  });

  it('leaves in-band detection off with telephone-event negotiated, unless asked', async () => {
    phone = await RtpPeer.open();
    const ep = await endpoint(RFC4733, phone);
    phone.talk(ep.port, { codec: 'PCMU', payloadType: 0, ptimeMs: 20, signal: keypad(['9'], -15, 800) });
    await wait(500);
    assert.equal(ep.events.length, 0);
    await relay.setInbandDtmf(ep.id, true);
    phone.talk(ep.port, { codec: 'PCMU', payloadType: 0, ptimeMs: 20, signal: keypad(['8'], -15, 800) });
    await eventually(() => ep.events.length >= 1, 2000, 'the in-band digit');
    phone.stopTalking();
    assert.equal(digitsOf(ep.events), '8');
    await hangUp();
  });

  it('relays RFC 4733 packets to the peer under its own payload type, and not to a peer without it', async () => {
    phone = await RtpPeer.open();
    const peer = (other = await RtpPeer.open());
    const a = await endpoint(RFC4733, phone);
    const b = await endpoint({ ...RFC4733, telephoneEvent: 96 }, peer, a.id);
    await relay.connect(a.id, b.id);
    const talker = phone.talk(a.port, { codec: 'PCMU', payloadType: 0, ptimeMs: 20, signal: () => 0 });
    await wait(60);
    await talker.press('7', 100, 101);
    await eventually(() => a.events.length === 1, 2000, 'the digit');
    await wait(50);
    const events = peer.rtp.filter((p) => (p.data[1]! & 0x7f) === 96);
    assert.ok(events.length >= 4, `B got ${events.length} telephone-events as PT 96`);
    assert.equal(peer.rtp.filter((p) => (p.data[1]! & 0x7f) === 101).length, 0);
    assert.equal(digitsOf(a.events), '7', 'and A still reports the digit');

    await relay.configure(b.id, { ...RFC4733, telephoneEvent: null });
    const count = peer.rtp.length;
    await talker.press('3', 100, 101);
    await wait(50);
    phone.stopTalking();
    const after = peer.rtp.slice(count).filter((p) => (p.data[1]! & 0x7f) !== 0);
    assert.equal(after.length, 0, 'a peer without telephone-event gets none');
    assert.equal(digitsOf(a.events), '73');
    await hangUp();
  });

  it('sends digits as RFC 4733 events, audio paused around them', async () => {
    phone = await RtpPeer.open();
    const ep = await endpoint(RFC4733, phone);
    await relay.play(ep.id, { playId: 'bed', items: [{ tone: 'dial' }] });
    await wait(100);
    await relay.sendDtmf(ep.id, '12', 100);
    await wait(600);
    await relay.stopPlay(ep.id);
    const receiver = new Rfc4733Receiver({ payloadType: 101 });
    const got: string[] = [];
    for (const p of phone.rtp) {
      const d = p.data;
      const events = receiver.push({
        payloadType: d[1]! & 0x7f,
        marker: (d[1]! & 0x80) !== 0,
        sequenceNumber: d.readUInt16BE(2),
        timestamp: d.readUInt32BE(4),
        ssrc: d.readUInt32BE(8),
        payload: d.subarray(12),
        arrivalMs: p.at,
      });
      got.push(...events.map((e) => `${e.digit}/${e.durationMs}`));
    }
    assert.deepEqual(got, ['1/100', '2/100']);
    const kinds = phone.rtp.map((p) => ((p.data[1]! & 0x7f) === 101 ? 'E' : 'a')).join('');
    assert.match(kinds, /^a+E{5}a+E{5}a+$/, 'start, update, three ends; audio between the digits only');
    const seqs = phone.rtp.map((p) => p.data.readUInt16BE(2));
    assert.ok(
      seqs.every((s, i) => i === 0 || s === ((seqs[i - 1]! + 1) & 0xffff)),
      'one sequence for both',
    );
    await hangUp();
  });

  it('sends digits as in-band tones a detector recognises when telephone-event is absent', async () => {
    phone = await RtpPeer.open();
    const ep = await endpoint(INBAND, phone);
    await relay.sendDtmf(ep.id, '5#', 120);
    await wait(600);
    const audio = phone.audio(0, 'PCMU');
    const detector = new DtmfDetector();
    const digits: string[] = [];
    for (let at = 0; at + 160 <= audio.length; at += 160) {
      digits.push(...detector.process(audio.subarray(at, at + 160), at / 8).map((e) => e.digit));
    }
    digits.push(...detector.flush().map((e) => e.digit));
    assert.deepEqual(digits, ['5', '#']);
    await hangUp();
  });

  it('turns a telephone-event press into in-band tones for a transcoded peer without telephone-event', async () => {
    phone = await RtpPeer.open();
    const peer = (other = await RtpPeer.open());
    const a = await endpoint(RFC4733, phone);
    const b = await endpoint({ ...INBAND, codec: 'PCMA', payloadType: 8 }, peer, a.id);
    await relay.connect(a.id, b.id);
    const talker = phone.talk(a.port, { codec: 'PCMU', payloadType: 0, ptimeMs: 20, signal: () => 0 });
    await wait(100);
    await talker.press('6', 120, 101);
    await wait(400);
    phone.stopTalking();
    const audio = peer.audio(8, 'PCMA');
    const detector = new DtmfDetector();
    const digits: string[] = [];
    for (let at = 0; at + 160 <= audio.length; at += 160) {
      digits.push(...detector.process(audio.subarray(at, at + 160), at / 8).map((e) => e.digit));
    }
    digits.push(...detector.flush().map((e) => e.digit));
    assert.deepEqual(digits, ['6']);
    await hangUp();
  });

  it('rejects bad digits', async () => {
    phone = await RtpPeer.open();
    const ep = await endpoint(RFC4733, phone);
    await assert.rejects(relay.sendDtmf(ep.id, '12x'), { code: 'MEDIA_INVALID_ARGUMENT' });
    await assert.rejects(relay.sendDtmf(ep.id, '1', 5), { code: 'MEDIA_INVALID_ARGUMENT' });
    await hangUp();
  });
});
