import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ulawToLinear } from '../codec/g711.js';
import { frameCodecOf } from './frame-codec.js';
import { RtpPacketizer } from './packetizer.js';

const PCMU = frameCodecOf('pcmu')!;

function frame(value: number): Int16Array {
  return new Int16Array(160).fill(value);
}

function capture(ptimeMs: number) {
  const sent: Buffer[] = [];
  const p = new RtpPacketizer(
    PCMU,
    0,
    ptimeMs,
    (b) => (sent.push(Buffer.from(b)), true),
    () => 0.5,
  );
  return { p, sent };
}

describe('RtpPacketizer', () => {
  it('splices 20 ms frames into 30 ms packets with continuous timestamps', () => {
    const { p, sent } = capture(30);
    for (let k = 0; k < 6; k++) p.push(frame(1000 * (k + 1)), 1000 + 160 * k, k === 0);
    assert.equal(sent.length, 4, '120 ms is four 30 ms packets');
    assert.ok(sent.every((b) => b.length === 12 + 240));
    assert.deepEqual(
      sent.map((b) => b.readUInt32BE(4)),
      [1000, 1240, 1480, 1720],
    );
    const seq = sent.map((b) => b.readUInt16BE(2));
    assert.deepEqual(seq, [seq[0], seq[0]! + 1, seq[0]! + 2, seq[0]! + 3]);
    assert.deepEqual(
      sent.map((b) => b[1]! & 0x80),
      [0x80, 0, 0, 0],
      'marker on the first packet only',
    );
    // The second packet holds the last 80 samples of frame 2 and the first 160 of frame 3.
    const second = sent[1]!;
    assert.equal(ulawToLinear(second[12]!), ulawToLinear(PCMU_CODE(2000)));
    assert.equal(ulawToLinear(second[12 + 80]!), ulawToLinear(PCMU_CODE(3000)));
    assert.equal(p.packetsSent, 4);
    assert.equal(p.octetsSent, 960);
  });

  it('makes two 10 ms packets of a frame, and drops a partial packet at a discontinuity', () => {
    const ten = capture(10);
    ten.p.push(frame(0), 0, false);
    assert.equal(ten.sent.length, 2);
    assert.deepEqual(
      ten.sent.map((b) => b.readUInt32BE(4)),
      [0, 80],
    );
    const thirty = capture(30);
    thirty.p.push(frame(1), 0, false); // 160 of 240 waiting
    thirty.p.push(frame(2), 5000, true); // not 160: the source jumped
    thirty.p.push(frame(3), 5160, false);
    assert.equal(thirty.sent.length, 1);
    assert.equal(thirty.sent[0]!.readUInt32BE(4), 5000);
    assert.equal(thirty.sent[0]![1]! & 0x80, 0x80);
  });

  it('sends telephone-events under its SSRC and keeps the header fields it is given', () => {
    const { p, sent } = capture(20);
    p.sendEvent({
      marker: true,
      payloadType: 101,
      sequenceNumber: 7,
      timestamp: 99,
      payload: Uint8Array.of(5, 0x8a, 0, 160),
    });
    assert.equal(sent.length, 1);
    const b = sent[0]!;
    assert.deepEqual(
      [b.length, b[1], b.readUInt16BE(2), b.readUInt32BE(4), b.readUInt32BE(8)],
      [16, 0x80 | 101, 7, 99, p.ssrc],
    );
    assert.deepEqual([...b.subarray(12)], [5, 0x8a, 0, 160]);
  });
});

function PCMU_CODE(v: number): number {
  const out = new Uint8Array(1);
  PCMU.encode(Int16Array.of(v), out);
  return out[0]!;
}
