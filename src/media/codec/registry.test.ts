import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CodecRegistry,
  G722_SPEC,
  PCMA,
  PCMA_SPEC,
  PCMU,
  PCMU_SPEC,
  defaultCodecRegistry,
} from './registry.js';
import type { CodecSpec } from './types.js';

describe('CodecRegistry', () => {
  it('finds PCMU by payload type 0 and PCMA by 8, and by rtpmap name case-insensitively', () => {
    const r = defaultCodecRegistry();
    assert.equal(r.byPayloadType(0)?.name, 'PCMU');
    assert.equal(r.byPayloadType(8)?.name, 'PCMA');
    assert.equal(r.byName('pcma', 8000), PCMA_SPEC);
    assert.equal(r.byName('PCMU', 16000), undefined, 'the clock rate is part of the identity');
    assert.equal(r.byPayloadType(18), undefined);
  });

  it('hands out the shared stateless G.711 codecs and sizes their payloads', () => {
    assert.equal(PCMU_SPEC.create(), PCMU);
    assert.equal(PCMU_SPEC.payloadBytes(20), 160);
    assert.equal(PCMA_SPEC.payloadBytes(30), 240);
  });

  it('encodes and decodes a frame through the codec interface', () => {
    const pcm = Int16Array.from({ length: 160 }, (_, i) => Math.round(8000 * Math.sin(i / 5)));
    for (const codec of [PCMU, PCMA]) {
      const bytes = new Uint8Array(160);
      const back = new Int16Array(160);
      assert.equal(codec.encode(pcm, bytes), 160);
      assert.equal(codec.decode(bytes, back), 160);
      for (let i = 0; i < 160; i++) assert.ok(Math.abs(back[i]! - pcm[i]!) <= 256, `${codec.name} at ${i}`);
    }
  });

  it('registers G.722 as payload type 9 on the 8 kHz RTP clock, sampling at 16 kHz', () => {
    const r = defaultCodecRegistry();
    assert.equal(r.byPayloadType(9), G722_SPEC);
    assert.equal(r.byName('g722', 8000), G722_SPEC);
    assert.equal(r.byName('G722', 16000), undefined, 'RFC 3551 §4.5.2: the rtpmap says 8000');
    assert.deepEqual(
      r.list().map((s) => s.name),
      ['PCMU', 'PCMA', 'G722'],
    );
    assert.equal(G722_SPEC.sampleRate, 16000);
    assert.equal(G722_SPEC.payloadBytes(20), 160, '64 kbit/s: 160 octets per 20 ms');
    assert.equal(G722_SPEC.stateless, false);
  });

  it('hands each G.722 stream its own state, coding 320 samples into 160 octets and back', () => {
    const [a, b] = [G722_SPEC.create(), G722_SPEC.create()];
    assert.notEqual(a, b);
    const pcm = Int16Array.from({ length: 320 }, (_, i) => Math.round(8000 * Math.sin(i / 5)));
    const bytes = new Uint8Array(160);
    const back = new Int16Array(320);
    assert.equal(a.encode(pcm, bytes), 160);
    assert.equal(a.decode(bytes, back), 320);
    // The same frame again continues the ADPCM from where it was, so it codes differently
    // from a fresh instance that starts from the initial state.
    const again = new Uint8Array(160);
    a.encode(pcm, again);
    const fresh = new Uint8Array(160);
    b.encode(pcm, fresh);
    assert.deepEqual(fresh, bytes);
    assert.notDeepEqual(again, bytes);
  });

  it('refuses a second codec with the same name and clock rate, and bad payload types', () => {
    const r = defaultCodecRegistry();
    assert.throws(() => r.register(PCMU_SPEC), { code: 'MEDIA_INVALID_ARGUMENT' });
    const bad: CodecSpec = { ...PCMU_SPEC, name: 'X', payloadType: 128 };
    assert.throws(() => r.register(bad), { code: 'MEDIA_INVALID_ARGUMENT' });
  });

  it('does not index dynamic payload types, which only SDP can bind', () => {
    const r = new CodecRegistry();
    const dyn: CodecSpec = { ...PCMU_SPEC, name: 'L16', payloadType: 96 };
    r.register(dyn);
    assert.equal(r.byPayloadType(96), undefined);
    assert.equal(r.byName('l16', 8000), dyn);
    assert.deepEqual(
      r.list().map((s) => s.name),
      ['L16'],
    );
  });
});
