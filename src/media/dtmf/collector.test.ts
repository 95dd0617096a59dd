import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DtmfCollector } from './collector.js';
import type { DigitEvent, DtmfDigit } from './types.js';

const inband = (digit: DtmfDigit, timeMs: number): DigitEvent => ({
  source: 'inband',
  digit,
  timeMs,
  durationMs: 100,
  volume: 10,
});
const rfc = (digit: DtmfDigit, timeMs: number): DigitEvent => ({
  source: 'rfc4733',
  digit,
  timeMs,
  durationMs: 100,
  volume: 10,
  startTimestamp: 0,
  endedBy: 'end',
});
const info = (digit: DtmfDigit, timeMs: number): DigitEvent => ({
  source: 'info',
  digit,
  timeMs,
  durationMs: 250,
});

describe('DtmfCollector', () => {
  it('stamps each digit with the leg', () => {
    const c = new DtmfCollector({ legId: 'leg-1' });
    assert.deepEqual(c.accept(info('4', 10)), {
      source: 'info',
      digit: '4',
      timeMs: 10,
      durationMs: 250,
      legId: 'leg-1',
    });
  });

  it('disables in-band detection at the first telephone-event packet and drops its echo', () => {
    const c = new DtmfCollector({ legId: 'a' });
    assert.equal(c.inbandEnabled, true);
    c.noteTelephoneEvent();
    assert.equal(c.inbandEnabled, false);
    assert.equal(c.accept(inband('5', 1000)), undefined);
    assert.equal(c.accept(rfc('5', 1000))?.digit, '5');
    assert.equal(c.accept(inband('6', 5000)), undefined, 'for the rest of the leg');
    assert.deepEqual(c.stats, { accepted: 1, inbandSuppressed: 2, duplicates: 0 });
  });

  it('an RFC 4733 digit also disables in-band detection', () => {
    const c = new DtmfCollector({ legId: 'a' });
    c.accept(rfc('1', 0));
    assert.equal(c.inbandEnabled, false);
  });

  it('keeps the first report when an in-band digit completes before the RFC 4733 one', () => {
    const c = new DtmfCollector({ legId: 'a' });
    assert.equal(c.accept(inband('9', 1010))?.source, 'inband');
    assert.equal(c.accept(rfc('9', 1000)), undefined);
    assert.equal(c.stats.duplicates, 1);
  });

  it('treats INFO and RFC 4733 reports of one press as one digit, but not different keys or times', () => {
    const c = new DtmfCollector({ legId: 'a', duplicateWindowMs: 300 });
    assert.ok(c.accept(rfc('2', 0)));
    assert.equal(c.accept(info('2', 120)), undefined);
    assert.ok(c.accept(info('3', 130)), 'another key');
    assert.ok(c.accept(info('2', 700)), 'a later press');
    assert.ok(c.accept(rfc('2', 720)) === undefined);
  });

  it('never merges two presses from the same source', () => {
    const c = new DtmfCollector({ legId: 'a' });
    assert.ok(c.accept(rfc('7', 0)));
    assert.ok(c.accept(rfc('7', 150)));
  });
});
