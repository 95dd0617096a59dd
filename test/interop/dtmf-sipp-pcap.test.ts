/**
 * sipp's own RFC 4733 captures (Debian package sip-tester), replayed through the receiver
 * with the capture's timing. The files are part of this machine's test environment: when
 * they are missing the test fails and says so, it does not skip.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Rfc4733Receiver } from '../../src/media/dtmf/rfc4733-receiver.js';
import { parseTelephoneEvent } from '../../src/media/dtmf/telephone-event.js';
import { readPcapRtp, type CapturedRtp } from '../../src/media/dtmf/testing/pcap.js';
import type { Rfc4733DigitEvent } from '../../src/media/dtmf/types.js';

const DIR = '/usr/share/sip-tester';
const FILES: readonly (readonly [string, string])[] = [
  ...[...'0123456789'].map((d) => [d, d] as const),
  ['star', '*'],
  ['pound', '#'],
];

function capture(name: string): CapturedRtp[] {
  const file = `${DIR}/dtmf_2833_${name}.pcap`;
  assert.ok(
    existsSync(file),
    `${file} is missing: install Debian's sip-tester package (sipp), whose captures this test replays`,
  );
  return readPcapRtp(file);
}

function replay(packets: readonly CapturedRtp[]): Rfc4733DigitEvent[] {
  const rx = new Rfc4733Receiver({ payloadType: 101 });
  const t0 = packets[0]?.timeMs ?? 0;
  const events = packets.flatMap((p) => [...rx.push({ ...p, arrivalMs: p.timeMs - t0 })]);
  return [...events, ...rx.poll(1e9)];
}

describe("sipp's dtmf_2833 captures", () => {
  for (const [name, digit] of FILES) {
    it(`dtmf_2833_${name}.pcap yields exactly one digit ${digit}`, () => {
      const events = replay(capture(name));
      assert.deepEqual(
        events.map((e) => [e.digit, e.endedBy]),
        [[digit, 'end']],
      );
      assert.equal(events[0]?.durationMs, 280, 'sipp holds each key 2240 units');
    });
  }

  it('holds 10 telephone-event packets, marker first, the last three with the End bit', () => {
    for (const [name] of FILES) {
      const packets = capture(name);
      assert.equal(packets.length, 10, name);
      assert.ok(packets.every((p) => p.payloadType === 101 && p.timestamp === packets[0]?.timestamp));
      assert.deepEqual(
        packets.map((p) => p.marker),
        [true, ...Array<boolean>(9).fill(false)],
      );
      assert.deepEqual(
        packets.map((p) => parseTelephoneEvent(p.payload).end),
        [...Array<boolean>(7).fill(false), true, true, true],
      );
    }
  });

  it('yields the digit once when the capture arrives reversed, or twice over', () => {
    const packets = capture('5');
    assert.deepEqual(
      replay([...packets].reverse()).map((e) => e.digit),
      ['5'],
    );
    assert.deepEqual(
      replay([...packets, ...packets]).map((e) => e.digit),
      ['5'],
    );
  });

  it('yields the digit from the capture minus its start and End packets, by timeout', () => {
    const events = replay(capture('8').slice(1, 7));
    assert.deepEqual(
      events.map((e) => [e.digit, e.endedBy]),
      [['8', 'timeout']],
    );
  });

  it("reads sipp's g711a.pcap as 236 PCMA packets of 240 bytes (the pcap reader itself)", () => {
    const file = `${DIR}/g711a.pcap`;
    assert.ok(existsSync(file), `${file} is missing: install Debian's sip-tester package`);
    const packets = readPcapRtp(file);
    assert.equal(packets.length, 236);
    assert.ok(packets.every((p) => p.payloadType === 8 && p.payload.length === 240));
  });
});
