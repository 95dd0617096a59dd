import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DtmfError } from './errors.js';
import { parseTelephoneEvent, serializeTelephoneEvent } from './telephone-event.js';

describe('telephone-event payload', () => {
  it('reads the bytes of a sipp End packet for digit 1 (event 1, E, volume 10, 2240 units)', () => {
    assert.deepEqual(parseTelephoneEvent(Uint8Array.of(0x01, 0x8a, 0x08, 0xc0)), {
      event: 1,
      end: true,
      reserved: false,
      volume: 10,
      duration: 2240,
    });
  });

  it('round-trips every field at its extremes', () => {
    for (const ev of [
      { event: 0, end: false, reserved: false, volume: 0, duration: 0 },
      { event: 255, end: true, reserved: false, volume: 63, duration: 0xffff },
      { event: 11, end: true, reserved: false, volume: 7, duration: 400 },
    ]) {
      assert.deepEqual(parseTelephoneEvent(serializeTelephoneEvent(ev)), ev);
    }
  });

  it('reads the R bit but never sends it', () => {
    assert.equal(parseTelephoneEvent(Uint8Array.of(5, 0x40 | 10, 0, 160)).reserved, true);
    const bytes = serializeTelephoneEvent({
      event: 5,
      end: false,
      reserved: true,
      volume: 10,
      duration: 160,
    });
    assert.equal((bytes[1] as number) & 0x40, 0);
  });

  it('writes into a caller buffer at an offset', () => {
    const buf = new Uint8Array(16);
    serializeTelephoneEvent({ event: 10, end: true, reserved: false, volume: 10, duration: 800 }, buf, 12);
    assert.deepEqual([...buf.subarray(12)], [10, 0x8a, 0x03, 0x20]);
  });

  it('rejects payloads that are not four bytes with DTMF_INVALID_PAYLOAD', () => {
    for (const n of [0, 3, 5, 8]) {
      assert.throws(
        () => parseTelephoneEvent(new Uint8Array(n)),
        (e: unknown) => e instanceof DtmfError && e.code === 'DTMF_INVALID_PAYLOAD',
      );
    }
  });

  it('refuses out-of-range fields and a too-small buffer on serialize', () => {
    const ok = { event: 1, end: false, reserved: false, volume: 10, duration: 10 };
    for (const bad of [
      { ...ok, event: 256 },
      { ...ok, volume: 64 },
      { ...ok, duration: 0x10000 },
      { ...ok, duration: -1 },
      { ...ok, event: 1.5 },
    ]) {
      assert.throws(() => serializeTelephoneEvent(bad), { code: 'DTMF_INVALID_PAYLOAD' });
    }
    assert.throws(() => serializeTelephoneEvent(ok, new Uint8Array(6), 3), { code: 'DTMF_INVALID_PAYLOAD' });
  });
});
