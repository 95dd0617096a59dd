import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ntpMiddle } from './ntp.js';
import { ReceiverStats } from './receiver-stats.js';

/** Feeds packets `seqs` sent every 20 ms (160 timestamp units) and arriving on time. */
function feed(
  stats: ReceiverStats,
  seqs: readonly number[],
  jitterMs: (i: number) => number = () => 0,
): void {
  seqs.forEach((seq, i) => stats.update(seq & 0xffff, (seq * 160) >>> 0, 1000 + seq * 20 + jitterMs(i)));
}

describe('ReceiverStats (RFC 3550 A.1, A.3, A.8)', () => {
  it('keeps a new source on probation until two packets arrive in sequence', () => {
    const s = new ReceiverStats(8000);
    assert.equal(s.update(100, 0, 0), false);
    assert.equal(s.update(101, 160, 20), true);
    assert.equal(s.received, 1, 'counting starts with the packet that ends probation');
    assert.equal(s.expected, 1);
  });

  it('counts expected and lost packets and the fraction lost per report interval', () => {
    const s = new ReceiverStats(8000);
    const seqs = Array.from({ length: 101 }, (_, i) => i).filter((n) => n % 10 !== 5); // 10 lost of 100 after base
    feed(s, seqs);
    const snap = s.snapshot();
    assert.equal(snap.expected, 100);
    assert.equal(snap.lost, 10);
    const first = s.takeReportBlock(0xabc, 5000);
    assert.equal(first.cumulativeLost, 10);
    assert.equal(first.fractionLost, Math.floor((10 * 256) / 100));
    assert.equal(first.highestSeq, 100);
    feed(s, [101, 102, 103, 104]);
    const second = s.takeReportBlock(0xabc, 6000);
    assert.equal(second.fractionLost, 0, 'no loss in the second interval');
    assert.equal(second.cumulativeLost, 10);
  });

  it('counts sequence cycles across the wrap in the extended highest sequence number', () => {
    const s = new ReceiverStats(8000);
    feed(
      s,
      Array.from({ length: 20 }, (_, i) => 65530 + i),
    );
    assert.equal(s.highestSeq, 65536 + 13);
    assert.equal(s.snapshot().lost, 0);
  });

  it('counts duplicates as received, so loss can go negative as the RFC says', () => {
    const s = new ReceiverStats(8000);
    feed(s, [1, 2, 3, 3, 4]);
    assert.equal(s.snapshot().lost, -1);
    assert.equal(s.takeReportBlock(1, 0).fractionLost, 0);
  });

  it('refuses one large jump but accepts it as a restart when the next packet follows it', () => {
    const s = new ReceiverStats(8000);
    feed(s, [10, 11, 12]);
    assert.equal(s.update(40000, 0, 2000), false);
    assert.equal(s.update(40001, 160, 2020), true);
    assert.equal(s.expected, 1, 'statistics restart at the new base');
  });

  it('reports zero jitter for perfectly paced packets', () => {
    const s = new ReceiverStats(8000);
    feed(
      s,
      Array.from({ length: 50 }, (_, i) => i),
    );
    assert.equal(s.snapshot().jitter, 0);
  });

  it('converges to the mean absolute transit difference for alternating ±5 ms arrivals', () => {
    const s = new ReceiverStats(8000);
    feed(
      s,
      Array.from({ length: 2000 }, (_, i) => i),
      (i) => (i % 2 === 0 ? 5 : -5),
    );
    // Each D is 10 ms = 80 units; J converges to 80.
    assert.ok(Math.abs(s.snapshot().jitter - 80) < 0.5, String(s.snapshot().jitter));
    assert.ok(Math.abs(s.snapshot().jitterMs - 10) < 0.1);
    assert.equal(s.takeReportBlock(1, 0).jitter, 80);
  });

  it('computes jitter correctly across a timestamp wrap', () => {
    const s = new ReceiverStats(8000);
    const base = 0xffffffff - 160 * 10;
    for (let i = 0; i < 30; i++) s.update(i, (base + i * 160) >>> 0, i * 20);
    assert.equal(s.snapshot().jitter, 0);
  });

  it('echoes the last sender report as LSR with the delay since it as DLSR', () => {
    const s = new ReceiverStats(8000);
    feed(s, [1, 2, 3]);
    assert.equal(s.takeReportBlock(9, 0).lsr, 0);
    s.onSenderReport(0x83aa7e80, 0x80000000, 10_000);
    const block = s.takeReportBlock(9, 10_500);
    assert.equal(block.lsr, ntpMiddle(0x83aa7e80, 0x80000000));
    assert.equal(block.lsr, 0x7e808000);
    assert.equal(block.dlsr, 32768, '0.5 s in 1/65536 s');
  });
});
