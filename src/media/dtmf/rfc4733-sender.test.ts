import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DTMF_DIGITS } from './digits.js';
import { Rfc4733Receiver } from './rfc4733-receiver.js';
import { planTelephoneEvent, type TelephoneEventPlanInput } from './rfc4733-sender.js';
import { parseTelephoneEvent } from './telephone-event.js';

const BASE: TelephoneEventPlanInput = {
  digit: '5',
  durationMs: 160,
  timestamp: 123_456,
  sequenceNumber: 7,
  ssrc: 0xdeadbeef,
  payloadType: 101,
};

describe('planTelephoneEvent', () => {
  it('starts with the marker, updates every 50 ms and ends with three End packets', () => {
    const plan = planTelephoneEvent(BASE);
    const rows = plan.packets.map((p) => {
      const ev = parseTelephoneEvent(p.payload);
      return [p.atMs, p.marker, p.sequenceNumber, ev.event, ev.end, ev.duration];
    });
    assert.deepEqual(rows, [
      [0, true, 7, 5, false, 0],
      [50, false, 8, 5, false, 400],
      [100, false, 9, 5, false, 800],
      [150, false, 10, 5, false, 1200],
      [160, false, 11, 5, true, 1280],
      [180, false, 12, 5, true, 1280],
      [200, false, 13, 5, true, 1280],
    ]);
    assert.ok(
      plan.packets.every((p) => p.timestamp === 123_456 && p.ssrc === 0xdeadbeef && p.payloadType === 101),
    );
    assert.equal(plan.nextSequenceNumber, 14);
    assert.equal(plan.durationUnits, 1280);
    assert.equal(parseTelephoneEvent(plan.packets[0]!.payload).volume, 10);
  });

  it('wraps the sequence number at 65535 and the timestamp at 2^32', () => {
    const plan = planTelephoneEvent({ ...BASE, sequenceNumber: 65534, timestamp: 0xffff_ffff });
    assert.deepEqual(
      plan.packets.map((p) => p.sequenceNumber),
      [65534, 65535, 0, 1, 2, 3, 4],
    );
    assert.equal(plan.nextSequenceNumber, 5);
    assert.ok(plan.packets.every((p) => p.timestamp === 0xffff_ffff));
  });

  it('splits a hold beyond 0xFFFF units into segments, each closed at 0xFFFF', () => {
    const plan = planTelephoneEvent({ ...BASE, durationMs: 10_000, timestamp: 1000 });
    const segmentEnd = plan.packets.find((p) => parseTelephoneEvent(p.payload).duration === 0xffff);
    assert.ok(segmentEnd, 'an update reports the full first segment');
    assert.equal(segmentEnd.timestamp, 1000);
    const later = plan.packets.filter((p) => p.timestamp === 1000 + 0xffff);
    assert.ok(later.length > 0 && later.every((p) => !p.marker));
    const last = plan.packets.at(-1)!;
    assert.equal(parseTelephoneEvent(last.payload).duration, 80_000 - 0xffff);
    assert.equal(plan.durationUnits, 80_000);
  });

  it('round-trips every key at several durations through the receiver', () => {
    for (const digit of DTMF_DIGITS) {
      for (const durationMs of [40, 100, 250, 1000]) {
        const rx = new Rfc4733Receiver({ payloadType: 101 });
        const plan = planTelephoneEvent({ ...BASE, digit, durationMs });
        const events = plan.packets.flatMap((p) => [...rx.push({ ...p, arrivalMs: 5000 + p.atMs })]);
        assert.equal(events.length, 1, `${digit} ${durationMs}`);
        assert.equal(events[0]?.digit, digit);
        assert.equal(events[0]?.durationMs, durationMs);
        assert.equal(events[0]?.timeMs, 5000);
      }
    }
  });

  it('honours volume, update interval, End copies and spacing', () => {
    const plan = planTelephoneEvent({
      ...BASE,
      durationMs: 100,
      volume: 20,
      updateIntervalMs: 20,
      endPackets: 1,
      endSpacingMs: 0,
    });
    assert.deepEqual(
      plan.packets.map((p) => p.atMs),
      [0, 20, 40, 60, 80, 100],
    );
    assert.ok(plan.packets.every((p) => parseTelephoneEvent(p.payload).volume === 20));
  });

  it('refuses bad input with DTMF_INVALID_ARGUMENT', () => {
    for (const bad of [
      { digit: 'E' as '5' },
      { durationMs: 10 },
      { durationMs: 70_000 },
      { durationMs: Number.NaN },
      { volume: 64 },
      { payloadType: 200 },
      { endPackets: 0 },
      { updateIntervalMs: 0 },
    ]) {
      assert.throws(
        () => planTelephoneEvent({ ...BASE, ...bad }),
        { code: 'DTMF_INVALID_ARGUMENT' },
        JSON.stringify(bad),
      );
    }
  });
});
