import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DTMF_DIGITS } from './digits.js';
import { Rfc4733Receiver } from './rfc4733-receiver.js';
import { planTelephoneEvent } from './rfc4733-sender.js';
import { serializeTelephoneEvent } from './telephone-event.js';
import type { Rfc4733DigitEvent, RtpEventPacket } from './types.js';

const PT = 101;

interface P {
  ts: number;
  event?: number;
  dur: number;
  end?: boolean;
  marker?: boolean;
  seq?: number;
  at: number;
  pt?: number;
  ssrc?: number;
}

let nextSeq = 1000;
function pkt(p: P): RtpEventPacket {
  return {
    payloadType: p.pt ?? PT,
    marker: p.marker ?? false,
    sequenceNumber: p.seq ?? nextSeq++,
    timestamp: p.ts,
    ssrc: p.ssrc,
    payload: serializeTelephoneEvent({
      event: p.event ?? 5,
      end: p.end ?? false,
      reserved: false,
      volume: 10,
      duration: p.dur,
    }),
    arrivalMs: p.at,
  };
}

/** A press as a sender emits it: start, updates every 50 ms, three End packets. */
function press(ts: number, event: number, ms: number, at: number): RtpEventPacket[] {
  const out = [pkt({ ts, event, dur: 0, marker: true, at })];
  for (let t = 50; t < ms; t += 50) out.push(pkt({ ts, event, dur: t * 8, at: at + t }));
  for (let i = 0; i < 3; i++) out.push(pkt({ ts, event, dur: ms * 8, end: true, at: at + ms + i * 20 }));
  return out;
}

function feed(rx: Rfc4733Receiver, packets: readonly RtpEventPacket[]): Rfc4733DigitEvent[] {
  return packets.flatMap((p) => [...rx.push(p)]);
}

describe('Rfc4733Receiver', () => {
  it('reports one digit per press, closed by the first of the three End packets', () => {
    const rx = new Rfc4733Receiver({ payloadType: PT });
    const events = feed(rx, press(16000, 5, 160, 1000));
    assert.deepEqual(events, [
      {
        source: 'rfc4733',
        digit: '5',
        startTimestamp: 16000,
        timeMs: 1000,
        durationMs: 160,
        volume: 10,
        endedBy: 'end',
      },
    ]);
    assert.equal(rx.stats.duplicates, 2, 'the two redundant End packets');
  });

  it('drops redundant End packets that reuse one sequence number, as sipp sends them', () => {
    const rx = new Rfc4733Receiver({ payloadType: PT });
    const end = pkt({ ts: 800, dur: 800, end: true, seq: 7, at: 100 });
    const events = feed(rx, [pkt({ ts: 800, dur: 0, marker: true, at: 0 }), end, end, end]);
    assert.equal(events.length, 1);
  });

  it('opens a press on an update when the start packet was lost, dating it from the duration', () => {
    const rx = new Rfc4733Receiver({ payloadType: PT });
    const events = feed(rx, press(4000, 9, 200, 500).slice(2));
    assert.equal(events.length, 1);
    assert.equal(events[0]?.digit, '9');
    assert.equal(events[0]?.timeMs, 500, 'arrival of the update at +100 ms minus its 100 ms duration');
    assert.equal(events[0]?.durationMs, 200);
  });

  it('closes a press after endTimeoutMs of silence when all End packets were lost, and ignores a late End', () => {
    const rx = new Rfc4733Receiver({ payloadType: PT, endTimeoutMs: 300 });
    const packets = press(1234, 3, 250, 0);
    assert.deepEqual(feed(rx, packets.slice(0, -3)), []);
    assert.equal(rx.pressed, '3');
    assert.deepEqual(rx.poll(450), [], '250 ms after the last update at 200 ms');
    const [ev] = rx.poll(500);
    assert.equal(ev?.endedBy, 'timeout');
    assert.equal(ev?.durationMs, 200, 'the last duration heard');
    assert.equal(rx.pressed, undefined);
    assert.deepEqual(feed(rx, packets.slice(-3)), [], 'a late End of a reported press');
    assert.equal(rx.stats.timeouts, 1);
  });

  it('closes a press whose End packets were lost when the next press starts', () => {
    const rx = new Rfc4733Receiver({ payloadType: PT });
    const first = press(8000, 1, 150, 0).slice(0, -3);
    const second = press(8000 + 3200, 2, 150, 400);
    const events = feed(rx, [...first, ...second]);
    assert.deepEqual(
      events.map((e) => [e.digit, e.endedBy]),
      [
        ['1', 'superseded'],
        ['2', 'end'],
      ],
    );
  });

  it('reports two presses of the same key as two digits', () => {
    const rx = new Rfc4733Receiver({ payloadType: PT });
    const events = feed(rx, [...press(100, 7, 100, 0), ...press(100 + 2400, 7, 100, 300)]);
    assert.deepEqual(
      events.map((e) => e.digit),
      ['7', '7'],
    );
  });

  it('drops a late packet of an earlier press', () => {
    const rx = new Rfc4733Receiver({ payloadType: PT });
    const a = press(100, 4, 100, 0);
    const b = press(2500, 6, 100, 300);
    const events = feed(rx, [...a.slice(0, 2), ...b.slice(0, 1), a[2] as RtpEventPacket, ...b.slice(1)]);
    assert.deepEqual(
      events.map((e) => e.digit),
      ['4', '6'],
    );
    assert.equal(rx.stats.stale, 1);
  });

  it('follows a long press across the 0xFFFF-unit segments of RFC 4733 §2.5.1.3', () => {
    const rx = new Rfc4733Receiver({ payloadType: PT });
    const plan = planTelephoneEvent({
      digit: '#',
      durationMs: 20_000,
      timestamp: 0xffff_f000,
      sequenceNumber: 65000,
      ssrc: 1,
      payloadType: PT,
    });
    const events = feed(
      rx,
      plan.packets.map((p) => ({ ...p, arrivalMs: p.atMs })),
    );
    assert.equal(events.length, 1);
    assert.equal(events[0]?.digit, '#');
    assert.equal(events[0]?.durationMs, 20_000);
    assert.equal(events[0]?.startTimestamp, 0xffff_f000);
  });

  it('follows a sender that lets the 16-bit duration wrap in place', () => {
    const rx = new Rfc4733Receiver({ payloadType: PT });
    const packets: RtpEventPacket[] = [];
    for (let ms = 0; ms <= 9000; ms += 50) packets.push(pkt({ ts: 50, dur: (ms * 8) & 0xffff, at: ms }));
    packets.push(pkt({ ts: 50, dur: (9000 * 8) & 0xffff, end: true, at: 9000 }));
    const events = feed(rx, packets);
    assert.equal(events.length, 1);
    assert.equal(events[0]?.durationMs, 9000);
  });

  it('reports events 0–15 as the sixteen keys', () => {
    const rx = new Rfc4733Receiver({ payloadType: PT });
    const events = DTMF_DIGITS.flatMap((_, code) => feed(rx, press(code * 4000, code, 100, code * 500)));
    assert.deepEqual(
      events.map((e) => e.digit),
      [...DTMF_DIGITS],
    );
  });

  it('ignores hook flash (16) and tone events, counting each press once', () => {
    const rx = new Rfc4733Receiver({ payloadType: PT });
    const events = feed(rx, [
      ...press(0, 16, 300, 0),
      ...press(4000, 70, 200, 500),
      ...press(8000, 1, 100, 900),
    ]);
    assert.deepEqual(
      events.map((e) => e.digit),
      ['1'],
    );
    assert.equal(rx.stats.nonDigitEvents, 2);
  });

  it('ignores other payload types and counts malformed payloads', () => {
    const rx = new Rfc4733Receiver({ payloadType: PT });
    assert.deepEqual(rx.push(pkt({ ts: 1, dur: 0, end: true, at: 0, pt: 0 })), []);
    assert.deepEqual(rx.push({ ...pkt({ ts: 1, dur: 0, at: 0 }), payload: new Uint8Array(3) }), []);
    assert.deepEqual(rx.stats, {
      packets: 1,
      malformed: 1,
      duplicates: 0,
      stale: 0,
      nonDigitEvents: 0,
      timeouts: 0,
    });
  });

  it('closes the press in progress when the SSRC changes', () => {
    const rx = new Rfc4733Receiver({ payloadType: PT });
    feed(rx, [
      pkt({ ts: 10, dur: 0, marker: true, at: 0, ssrc: 1 }),
      pkt({ ts: 10, dur: 400, at: 50, ssrc: 1 }),
    ]);
    const events = feed(rx, [pkt({ ts: 10, event: 8, dur: 0, marker: true, at: 60, ssrc: 2 })]);
    assert.deepEqual(
      events.map((e) => [e.digit, e.endedBy]),
      [['5', 'superseded']],
    );
    assert.equal(rx.pressed, '8', 'the same timestamp on a new SSRC is a new press');
  });

  it('treats a timestamp far behind the last press as a restarted stream', () => {
    const rx = new Rfc4733Receiver({ payloadType: PT });
    const events = feed(rx, [...press(1_000_000, 2, 100, 0), ...press(500, 3, 100, 300)]);
    assert.deepEqual(
      events.map((e) => e.digit),
      ['2', '3'],
    );
  });

  it('flushes a press in progress when the stream goes away', () => {
    const rx = new Rfc4733Receiver({ payloadType: PT });
    feed(rx, press(0, 0, 300, 0).slice(0, 4));
    assert.deepEqual(
      rx.flush().map((e) => [e.digit, e.durationMs]),
      [['0', 150]],
    );
    assert.deepEqual(rx.flush(), []);
  });

  it('refuses a bad payload type or timeout with DTMF_INVALID_ARGUMENT', () => {
    assert.throws(() => new Rfc4733Receiver({ payloadType: 128 }), { code: 'DTMF_INVALID_ARGUMENT' });
    assert.throws(() => new Rfc4733Receiver({ payloadType: 101, endTimeoutMs: 0 }), {
      code: 'DTMF_INVALID_ARGUMENT',
    });
  });
});
