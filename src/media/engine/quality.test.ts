import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ntpMiddle } from '../rtp/ntp.js';
import { parseRtcp } from '../rtp/rtcp-parse.js';
import { serializeRtcp } from '../rtp/rtcp-build.js';
import type { RtcpPacket, RtcpSenderReport } from '../rtp/rtcp-types.js';
import type { MediaEvent, StreamFormat } from '../relay/control.js';
import { MediaRelay } from '../relay/relay.js';
import { eventually, testPortRange } from '../relay/testing.js';
import { LO, RtpPeer, sine, wait } from './testing.js';

const PCMU: StreamFormat = {
  codec: 'PCMU',
  payloadType: 0,
  ptimeMs: 20,
  telephoneEvent: 101,
  direction: 'sendrecv',
};

function reports(peer: RtpPeer): RtcpPacket[][] {
  return peer.rtcp.map((r) => {
    const parsed = parseRtcp(r.data);
    assert.ok(parsed.ok, 'our RTCP parses');
    return [...parsed.packets];
  });
}

/** The phone's receiver report answering `sr` after holding it `holdMs`. */
function answer(sr: RtcpSenderReport, holdMs: number): Uint8Array {
  return serializeRtcp([
    {
      type: 'rr',
      ssrc: 0x0bb0,
      reports: [
        {
          ssrc: sr.ssrc,
          fractionLost: 0,
          cumulativeLost: 0,
          highestSeq: 0,
          jitter: 0,
          lsr: ntpMiddle(sr.ntpSeconds, sr.ntpFraction),
          dlsr: Math.round((holdMs * 65536) / 1000),
        },
      ],
    },
  ]);
}

describe('stream quality, RTCP and rtp-timeout', () => {
  let relay: MediaRelay;

  before(async () => {
    relay = await MediaRelay.start({
      ...testPortRange(16),
      rtcpIntervalMs: 200,
      rtpTimeoutMs: 300,
      requestTimeoutMs: 20_000,
    });
  });
  after(async () => {
    await relay.shutdown();
  });

  async function party(format = PCMU, near?: string) {
    const phone = await RtpPeer.open();
    const ep = await relay.createEndpoint({ bindAddress: LO, ...(near ? { near } : {}) });
    const events: MediaEvent[] = [];
    phone.acceptFrom(ep.port, ep.rtcpPort);
    relay.listen(ep.id, (e) => events.push(e));
    await relay.setRemote(ep.id, phone.remote);
    await relay.configure(ep.id, format);
    return { phone, events, ...ep };
  }

  it('counts the packets a phone skipped as lost', async () => {
    const p = await party();
    const clean = await relay.quality(p.id);
    assert.deepEqual([clean.packetsReceived, clean.mos, clean.rttMs], [0, null, null]);
    const talker = p.phone.talk(p.port, {
      codec: 'PCMU',
      payloadType: 0,
      ptimeMs: 20,
      signal: sine(440, 3000),
      drop: (i) => i % 10 === 5,
    });
    await eventually(() => talker.sent >= 90, 4000, '100 packets');
    p.phone.stopTalking();
    await wait(50);
    const q = await relay.quality(p.id);
    const total = q.packetsReceived + q.packetsLost;
    assert.ok(q.packetsLost >= 8 && q.packetsLost <= 11, `lost ${q.packetsLost} of ${total}`);
    assert.ok(Math.abs(q.lossPercent - 10) < 2, `loss ${q.lossPercent} %`);
    // The test process is the phone: on a busy machine its 20 ms pacing wobbles.
    assert.ok(q.jitterMs >= 0 && q.jitterMs < 60, `jitter ${q.jitterMs} ms`);
    assert.ok(q.mos !== null && q.mos > 1 && q.mos < 4.2, `MOS ${q.mos} shows the loss`);
    await relay.close(p.id);
    await p.phone.close();
  });

  it('sends sender reports while it sends, and measures the round trip from the answers', async () => {
    const p = await party();
    p.phone.talk(p.port, { codec: 'PCMU', payloadType: 0, ptimeMs: 20, signal: sine(440, 3000) });
    await relay.play(p.id, { playId: 'tone', items: [{ tone: 'dial' }] });
    await eventually(() => reports(p.phone).some((r) => r[0]!.type === 'sr'), 2000, 'a sender report');
    const sr = reports(p.phone).find((r) => r[0]!.type === 'sr')!;
    const head = sr[0] as RtcpSenderReport;
    assert.ok(head.packetCount > 0 && head.octetCount === head.packetCount * 160);
    assert.equal(sr[1]!.type, 'sdes', 'with a CNAME');
    assert.equal(head.reports.length, 1, 'and a report block about the phone’s stream');
    await wait(10);
    p.phone.send(answer(head, 10), p.port + 1);
    await wait(30);
    const q = await relay.quality(p.id);
    // Loopback: near 0, unless the machine is so busy that the answer waits to be read.
    assert.ok(q.rttMs !== null && q.rttMs >= 0 && q.rttMs < 250, `round trip ${q.rttMs} ms on loopback`);
    assert.ok(q.mos !== null && q.mos > 3.5, `MOS ${q.mos}`);
    await relay.stopPlay(p.id);
    p.phone.stopTalking();
    await relay.close(p.id);
    await p.phone.close();
  });

  it('sends receiver reports when it has nothing to send', async () => {
    const p = await party();
    p.phone.talk(p.port, { codec: 'PCMU', payloadType: 0, ptimeMs: 20, signal: sine(440, 3000) });
    await eventually(() => p.phone.rtcp.length >= 2, 2000, 'two reports');
    p.phone.stopTalking();
    const all = reports(p.phone);
    assert.ok(all.every((r) => r[0]!.type === 'rr'));
    assert.equal(p.phone.rtp.length, 0, 'an idle endpoint sends no RTP');
    await relay.close(p.id);
    await p.phone.close();
  });

  it('measures the round trip of a relayed leg from the sender reports it forwarded', async () => {
    const a = await party();
    const b = await party(PCMU, a.id);
    await relay.connect(a.id, b.id);
    const ntpSeconds = 3_900_000_000;
    const sr: RtcpSenderReport = {
      type: 'sr',
      ssrc: 0xaaaa,
      ntpSeconds,
      ntpFraction: 0x12340000,
      rtpTimestamp: 0,
      packetCount: 1,
      octetCount: 160,
      reports: [],
    };
    const sent = Buffer.from(serializeRtcp([sr]));
    a.phone.send(sent, a.port + 1);
    // Before connect() each endpoint sent its own receiver reports: look for ours.
    await eventually(() => b.phone.rtcp.some((r) => r.data.equals(sent)), 2000, 'the SR relayed untouched');
    await wait(5);
    const reply = Buffer.from(answer(sr, 5));
    b.phone.send(reply, b.port + 1);
    await eventually(() => a.phone.rtcp.some((r) => r.data.equals(reply)), 2000, 'the answer relayed back');
    const q = await relay.quality(b.id);
    assert.ok(q.rttMs !== null && q.rttMs < 250, `B's leg: ${q.rttMs} ms`);
    assert.equal((await relay.quality(a.id)).rttMs, null, 'A’s leg is not measured by B’s answer');
    await Promise.all([relay.close(a.id), relay.close(b.id)]);
    await Promise.all([a.phone.close(), b.phone.close()]);
  });

  it('reports RTP silence once per silence, only while the phone should be sending', async () => {
    const p = await party();
    const burst = async () => {
      const t = p.phone.talk(p.port, { codec: 'PCMU', payloadType: 0, ptimeMs: 20, signal: () => 0 });
      await eventually(() => t.sent >= 5, 1000);
      p.phone.stopTalking();
    };
    await burst();
    await eventually(() => p.events.length === 1, 2000, 'rtp-timeout');
    await wait(400);
    assert.equal(p.events.length, 1, 'once');
    const e = p.events[0]!;
    assert.ok(e.type === 'rtp-timeout' && e.id === p.id && e.silentMs >= 300 && e.silentMs < 700);
    await burst();
    await eventually(() => p.events.length === 2, 2000, 'a second silence');
    await relay.configure(p.id, { ...PCMU, direction: 'inactive' });
    await burst();
    await wait(600);
    assert.equal(p.events.length, 2, 'inactive: the phone need not send');
    await relay.close(p.id);
    await p.phone.close();
  });
});
