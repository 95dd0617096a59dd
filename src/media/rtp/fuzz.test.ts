import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  RTCP_BYE_BYTES,
  RTCP_EMPTY_RR_BYTES,
  RTCP_SDES_BYTES,
  RTCP_SR_BYTES,
  RTP_FULL,
  RTP_SIMPLE,
  concat,
} from './fixtures.js';
import { createRtpHeader, readRtpHeader } from './header.js';
import { JitterBuffer } from './jitter-buffer.js';
import { ReceiverStats } from './receiver-stats.js';
import { parseRtcp } from './rtcp-parse.js';
import { seededRandom as mulberry32 } from '../../platform/random.js';

const SEEDS = [
  RTP_SIMPLE,
  RTP_FULL,
  concat(RTCP_SR_BYTES, RTCP_SDES_BYTES, RTCP_BYE_BYTES),
  RTCP_EMPTY_RR_BYTES,
];

/** Random bytes, or a fixture with bytes flipped, cut, or extended. */
function sample(rnd: () => number, i: number): Uint8Array {
  if (i % 3 === 0) return Uint8Array.from({ length: Math.floor(rnd() * 80) }, () => Math.floor(rnd() * 256));
  const seed = SEEDS[i % SEEDS.length]!;
  const cut = Math.floor(rnd() * (seed.length + 8));
  const out = new Uint8Array(cut);
  out.set(seed.subarray(0, Math.min(cut, seed.length)));
  const edits = 1 + Math.floor(rnd() * 4);
  for (let e = 0; e < edits && out.length > 0; e++)
    out[Math.floor(rnd() * out.length)] = Math.floor(rnd() * 256);
  return out;
}

describe('RTP/RTCP fuzzing', () => {
  it('10 000 random and mutated datagrams never throw, and accepted RTP stays inside its buffer', () => {
    const rnd = mulberry32(0x3550);
    const header = createRtpHeader();
    const stats = new ReceiverStats(8000);
    const jb = new JitterBuffer({ mode: 'adaptive' });
    const frame = new Int16Array(160);
    const pcm = new Int16Array(512);
    let rtpOk = 0;
    let rtcpOk = 0;
    for (let i = 0; i < 10_000; i++) {
      const buf = sample(rnd, i);
      if (readRtpHeader(buf, header) === null) {
        rtpOk++;
        assert.ok(header.payloadOffset + header.payloadLength + header.paddingLength === buf.length);
        assert.ok(header.payloadLength >= 0 && header.extensionOffset + header.extensionLength <= buf.length);
        stats.update(header.sequenceNumber, header.timestamp, i * 20);
        jb.push(header.timestamp, pcm, Math.min(header.payloadLength, pcm.length), i * 20);
        jb.pull(frame);
      }
      const r = parseRtcp(buf);
      if (r.ok) rtcpOk++;
      else assert.equal(typeof r.error, 'string');
    }
    assert.ok(rtpOk > 500, `some mutations still parse as RTP (${rtpOk})`);
    assert.ok(rtcpOk > 50, `some mutations still parse as RTCP (${rtcpOk})`);
    assert.ok(Number.isFinite(stats.snapshot().jitter));
  });
});
