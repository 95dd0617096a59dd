import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RTP_FULL, RTP_SIMPLE, hex } from './fixtures.js';
import {
  createRtpHeader,
  looksLikeRtcp,
  parseRtp,
  readRtpHeader,
  serializeRtp,
  writeRtpPacket,
} from './header.js';

describe('RTP header parsing', () => {
  it('reads the fixed header of a plain PCMU packet', () => {
    const r = parseRtp(RTP_SIMPLE);
    assert.ok(r.ok);
    assert.equal(r.header.version, 2);
    assert.equal(r.header.payloadType, 0);
    assert.equal(r.header.sequenceNumber, 1);
    assert.equal(r.header.timestamp, 160);
    assert.equal(r.header.ssrc, 0x12345678);
    assert.equal(r.header.marker, false);
    assert.equal(r.header.headerLength, 12);
    assert.deepEqual([...r.payload], [0xff, 0xff, 0xff, 0xff]);
  });

  it('reads marker, CSRCs, the extension and padding, leaving the payload between them', () => {
    const r = parseRtp(RTP_FULL);
    assert.ok(r.ok);
    const h = r.header;
    assert.equal(h.marker, true);
    assert.equal(h.payloadType, 8);
    assert.equal(h.sequenceNumber, 0xffff);
    assert.equal(h.timestamp, 0xffffffff);
    assert.equal(h.ssrc, 0xdeadbeef);
    assert.deepEqual([...h.csrcs.subarray(0, h.csrcCount)], [1, 2]);
    assert.equal(h.extensionProfile, 0xbede);
    assert.deepEqual(
      [...RTP_FULL.subarray(h.extensionOffset, h.extensionOffset + h.extensionLength)],
      [0x10, 0xaa, 0, 0],
    );
    assert.equal(h.paddingLength, 4);
    assert.deepEqual([...r.payload], [0xd5, 0xd5]);
  });

  it('refuses packets shorter than the fixed header and versions other than 2', () => {
    assert.deepEqual(parseRtp(RTP_SIMPLE.subarray(0, 11)), { ok: false, error: 'RTP_TOO_SHORT' });
    assert.deepEqual(parseRtp(new Uint8Array(0)), { ok: false, error: 'RTP_TOO_SHORT' });
    const v1 = RTP_SIMPLE.slice();
    v1[0] = 0x40;
    assert.deepEqual(parseRtp(v1), { ok: false, error: 'RTP_BAD_VERSION' });
  });

  it('refuses a CSRC count the packet cannot hold', () => {
    assert.deepEqual(parseRtp(hex('8f 00 0001 00000000 00000000 00000001')), {
      ok: false,
      error: 'RTP_CSRC_TRUNCATED',
    });
  });

  it('refuses an extension whose header or announced words are missing', () => {
    assert.deepEqual(parseRtp(hex('90 00 0001 00000000 00000000 bede')), {
      ok: false,
      error: 'RTP_EXTENSION_TRUNCATED',
    });
    assert.deepEqual(parseRtp(hex('90 00 0001 00000000 00000000 bede 0002 00000000')), {
      ok: false,
      error: 'RTP_EXTENSION_TRUNCATED',
    });
  });

  it('refuses a pad count of zero or larger than what follows the header', () => {
    assert.deepEqual(parseRtp(hex('a0 00 0001 00000000 00000000 ff00')), {
      ok: false,
      error: 'RTP_BAD_PADDING',
    });
    assert.deepEqual(parseRtp(hex('a0 00 0001 00000000 00000000 ff03')), {
      ok: false,
      error: 'RTP_BAD_PADDING',
    });
    const allPadding = parseRtp(hex('a0 00 0001 00000000 00000000 0002'));
    assert.ok(allPadding.ok);
    assert.equal(allPadding.payload.length, 0);
  });

  it('parses only the first `length` bytes of a larger receive buffer', () => {
    const buf = new Uint8Array(1500).fill(0xee);
    buf.set(RTP_SIMPLE);
    const h = createRtpHeader();
    assert.equal(readRtpHeader(buf, h, RTP_SIMPLE.length), null);
    assert.equal(h.payloadLength, 4);
    assert.equal(readRtpHeader(buf, h, 5), 'RTP_TOO_SHORT');
  });

  it('tells RTCP from RTP on a multiplexed port by the packet type byte', () => {
    assert.equal(looksLikeRtcp(hex('80 c8 0006')), true);
    assert.equal(looksLikeRtcp(RTP_SIMPLE), false);
    assert.equal(looksLikeRtcp(RTP_FULL), false, 'marker + PT 8 is 0x88');
  });
});

describe('RTP serialization', () => {
  it('writes the plain fixture byte for byte', () => {
    const bytes = serializeRtp(
      { payloadType: 0, sequenceNumber: 1, timestamp: 160, ssrc: 0x12345678 },
      hex('ffffffff'),
    );
    assert.deepEqual(bytes, RTP_SIMPLE);
  });

  it('writes the full fixture byte for byte', () => {
    const bytes = serializeRtp(
      {
        marker: true,
        payloadType: 8,
        sequenceNumber: 0xffff,
        timestamp: 0xffffffff,
        ssrc: 0xdeadbeef,
        csrcs: [1, 2],
        extension: { profile: 0xbede, data: hex('10aa0000') },
      },
      hex('d5d5'),
      4,
    );
    assert.deepEqual(bytes, RTP_FULL);
  });

  it('round-trips through parse into a reused header', () => {
    const out = new Uint8Array(200);
    const payload = Uint8Array.from({ length: 160 }, (_, i) => i);
    const n = writeRtpPacket(
      { payloadType: 8, sequenceNumber: 513, timestamp: 12345, ssrc: 7 },
      payload,
      out,
      10,
    );
    const h = createRtpHeader();
    assert.equal(readRtpHeader(out.subarray(10), h, n), null);
    assert.equal(h.sequenceNumber, 513);
    assert.deepEqual(out.subarray(10 + h.payloadOffset, 10 + h.payloadOffset + h.payloadLength), payload);
  });

  it('refuses out-of-range fields and buffers that are too small', () => {
    const base = { payloadType: 0, sequenceNumber: 0, timestamp: 0, ssrc: 0 };
    const p = new Uint8Array(4);
    assert.throws(() => serializeRtp({ ...base, payloadType: 128 }, p), { code: 'MEDIA_INVALID_ARGUMENT' });
    assert.throws(() => serializeRtp({ ...base, sequenceNumber: 65536 }, p), {
      code: 'MEDIA_INVALID_ARGUMENT',
    });
    assert.throws(() => serializeRtp({ ...base, ssrc: -1 }, p), { code: 'MEDIA_INVALID_ARGUMENT' });
    assert.throws(() => serializeRtp({ ...base, extension: { profile: 1, data: new Uint8Array(3) } }, p), {
      code: 'MEDIA_INVALID_ARGUMENT',
    });
    assert.throws(() => writeRtpPacket(base, p, new Uint8Array(15)), { code: 'MEDIA_INVALID_ARGUMENT' });
  });
});
