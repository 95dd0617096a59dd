import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  RTCP_BYE_BYTES,
  RTCP_EMPTY_RR_BYTES,
  RTCP_SDES_BYTES,
  RTCP_SR_BYTES,
  concat,
  hex,
} from './fixtures.js';
import { NTP_UNIX_OFFSET_SECONDS, ntpFromUnixMs, ntpMiddleFromUnixMs, roundTripMs } from './ntp.js';
import { findCname, sdesCname, serializeRtcp } from './rtcp-build.js';
import { parseRtcp } from './rtcp-parse.js';
import type { RtcpPacket } from './rtcp-types.js';

const SR: RtcpPacket = {
  type: 'sr',
  ssrc: 0x11223344,
  ntpSeconds: 0x83aa7e80,
  ntpFraction: 0x80000000,
  rtpTimestamp: 8000,
  packetCount: 50,
  octetCount: 8000,
  reports: [
    {
      ssrc: 0x55667788,
      fractionLost: 64,
      cumulativeLost: -2,
      highestSeq: 0x10005,
      jitter: 16,
      lsr: 0x7e808000,
      dlsr: 0x10000,
    },
  ],
};

describe('RTCP parsing', () => {
  it('reads a compound SR + SDES + BYE datagram', () => {
    const r = parseRtcp(concat(RTCP_SR_BYTES, RTCP_SDES_BYTES, RTCP_BYE_BYTES));
    assert.ok(r.ok);
    assert.deepEqual(r.packets[0], SR);
    assert.deepEqual(r.packets[1], sdesCname(0x11223344, 'a@b'));
    assert.deepEqual(r.packets[2], { type: 'bye', ssrcs: [0x11223344], reason: 'done' });
    assert.equal(findCname(r.packets, 0x11223344), 'a@b');
    assert.equal(findCname(r.packets, 1), undefined);
  });

  it('reads an RR without report blocks and keeps unknown packet types as raw bodies', () => {
    const app = hex('81 cc 0002 11223344 6e616d65'); // APP, subtype 1, name "name"
    const r = parseRtcp(concat(RTCP_EMPTY_RR_BYTES, app));
    assert.ok(r.ok);
    assert.deepEqual(r.packets[0], { type: 'rr', ssrc: 0x11223344, reports: [] });
    assert.deepEqual(r.packets[1], {
      type: 'other',
      packetType: 204,
      count: 1,
      body: hex('11223344 6e616d65'),
    });
    assert.deepEqual(
      serializeRtcp(r.packets),
      concat(RTCP_EMPTY_RR_BYTES, app),
      'and writes them back unchanged',
    );
  });

  it('refuses datagrams whose lengths do not add up', () => {
    assert.deepEqual(parseRtcp(new Uint8Array(0)), { ok: false, error: 'RTCP_TOO_SHORT' });
    assert.deepEqual(parseRtcp(RTCP_SR_BYTES.subarray(0, 40)), { ok: false, error: 'RTCP_TRUNCATED' });
    assert.deepEqual(parseRtcp(concat(RTCP_EMPTY_RR_BYTES, hex('80c9'))), {
      ok: false,
      error: 'RTCP_TOO_SHORT',
    });
    assert.deepEqual(parseRtcp(hex('40 c9 0001 11223344')), { ok: false, error: 'RTCP_BAD_VERSION' });
  });

  it('refuses a report count that needs more bytes than the packet has', () => {
    assert.deepEqual(parseRtcp(hex('81 c9 0001 11223344')), { ok: false, error: 'RTCP_BAD_COUNT' });
    assert.deepEqual(parseRtcp(hex('82 cb 0001 11223344')), { ok: false, error: 'RTCP_BAD_COUNT' });
    assert.deepEqual(parseRtcp(hex('81 cb 0002 11223344 09616263')), { ok: false, error: 'RTCP_BAD_COUNT' });
  });

  it('refuses SDES items that overrun the packet or lack the null terminator', () => {
    assert.deepEqual(parseRtcp(hex('81 ca 0003 11223344 0109614062')), {
      ok: false,
      error: 'RTCP_TRUNCATED',
    });
    assert.deepEqual(parseRtcp(hex('81 ca 0002 11223344 01 09 6140')), { ok: false, error: 'RTCP_BAD_SDES' });
    assert.deepEqual(parseRtcp(hex('81 ca 0002 11223344 01 02 6140')), { ok: false, error: 'RTCP_BAD_SDES' });
  });

  it('accepts padding only on the last packet, with a count that fits', () => {
    const padded = hex('a0 c9 0002 11223344 00000004');
    assert.ok(parseRtcp(padded).ok);
    assert.deepEqual(parseRtcp(concat(padded, RTCP_EMPTY_RR_BYTES)), {
      ok: false,
      error: 'RTCP_BAD_PADDING',
    });
    assert.deepEqual(parseRtcp(hex('a0 c9 0002 11223344 00000009')), {
      ok: false,
      error: 'RTCP_BAD_PADDING',
    });
  });
});

describe('RTCP building', () => {
  it('writes SR, SDES and BYE byte for byte as the fixtures', () => {
    const bytes = serializeRtcp([
      SR,
      sdesCname(0x11223344, 'a@b'),
      { type: 'bye', ssrcs: [0x11223344], reason: 'done' },
    ]);
    assert.deepEqual(bytes, concat(RTCP_SR_BYTES, RTCP_SDES_BYTES, RTCP_BYE_BYTES));
  });

  it('round-trips an RR with several blocks and a long CNAME', () => {
    const block = {
      ssrc: 1,
      fractionLost: 255,
      cumulativeLost: 0x7fffff,
      highestSeq: 0xffffffff,
      jitter: 0,
      lsr: 0,
      dlsr: 0,
    };
    const packets: RtcpPacket[] = [
      { type: 'rr', ssrc: 9, reports: [block, { ...block, ssrc: 2, cumulativeLost: -0x800000 }] },
      sdesCname(9, 'agent-1001@hotline.example.com'),
      { type: 'bye', ssrcs: [9, 10] },
    ];
    const r = parseRtcp(serializeRtcp(packets));
    assert.ok(r.ok);
    assert.deepEqual(r.packets, packets);
  });

  it('refuses CNAMEs over 255 bytes and more than 31 report blocks', () => {
    assert.throws(() => serializeRtcp([sdesCname(1, 'x'.repeat(256))]), { code: 'MEDIA_INVALID_ARGUMENT' });
    const block = { ssrc: 1, fractionLost: 0, cumulativeLost: 0, highestSeq: 0, jitter: 0, lsr: 0, dlsr: 0 };
    assert.throws(() => serializeRtcp([{ type: 'rr', ssrc: 1, reports: Array(32).fill(block) }]), {
      code: 'MEDIA_INVALID_ARGUMENT',
    });
  });
});

describe('NTP time and round trip', () => {
  it('converts Unix milliseconds to NTP seconds and fraction', () => {
    assert.deepEqual(ntpFromUnixMs(0), { seconds: NTP_UNIX_OFFSET_SECONDS, fraction: 0 });
    assert.deepEqual(ntpFromUnixMs(1500), { seconds: NTP_UNIX_OFFSET_SECONDS + 1, fraction: 0x80000000 });
  });

  it('computes RTT = A − LSR − DLSR as in RFC 3550 Figure 2', () => {
    // The RFC's example: A = 0xb710:8000 (46864.500 s), LSR = 0xb705:2000 (46853.125 s), DLSR = 0x0005:4000 (5.250 s).
    assert.equal(roundTripMs(0xb7108000, 0xb7052000, 0x00054000), 6125);
    assert.equal(roundTripMs(0xb7108000, 0, 0x00054000), undefined, 'no SR received yet');
    assert.equal(
      roundTripMs(0x00001000, 0xfffff000, 0x1000),
      1000 / 16,
      'across the wrap of the middle 32 bits',
    );
    assert.equal(roundTripMs(0x1000, 0x1000, 0x10), 0, 'clock skew never gives a negative RTT');
  });

  it('gives RTT from an SR sent and the RR that echoes it', () => {
    const sentAt = 1_700_000_000_000;
    const t = ntpFromUnixMs(sentAt);
    const lsr = ((t.seconds & 0xffff) << 16) | (t.fraction >>> 16);
    const dlsr = 65536 / 10; // the peer held it 100 ms
    const rtt = roundTripMs(ntpMiddleFromUnixMs(sentAt + 180), lsr >>> 0, dlsr);
    assert.ok(rtt !== undefined && Math.abs(rtt - 80) < 0.1, String(rtt));
  });
});
