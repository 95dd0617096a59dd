import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ALAW_DECODE,
  ALAW_TO_ULAW,
  PCMA_SILENCE,
  PCMU_SILENCE,
  ULAW_DECODE,
  ULAW_TO_ALAW,
  alawToLinear,
  alawToUlaw,
  decodeAlaw,
  decodeUlaw,
  encodeAlaw,
  encodeUlaw,
  linearToAlaw,
  linearToUlaw,
  ulawToAlaw,
  ulawToLinear,
} from './g711.js';

/** Every 16-bit value, once. */
const ALL = Int16Array.from({ length: 65536 }, (_, i) => i - 32768);

/** Half the quantisation step of the µ-law segment a code belongs to (16-bit scale). */
function ulawHalfStep(code: number): number {
  return 4 << ((~code >> 4) & 7);
}

/** Half the quantisation step of the A-law segment a code belongs to (16-bit scale). */
function alawHalfStep(code: number): number {
  const segment = ((code ^ 0x55) >> 4) & 7;
  return segment === 0 ? 8 : 4 << segment;
}

describe('G.711 µ-law', () => {
  it('decodes the standard code points', () => {
    assert.equal(ulawToLinear(0xff), 0, '0xFF is positive zero');
    assert.equal(ulawToLinear(0x7f), 0, '0x7F is negative zero');
    assert.equal(ulawToLinear(0x80), 32124, 'largest positive value');
    assert.equal(ulawToLinear(0x00), -32124, 'largest negative value');
    assert.equal(ulawToLinear(0xfe), 8);
    assert.equal(ulawToLinear(0xef), 132, 'first value of segment 1');
    assert.equal(PCMU_SILENCE, 0xff);
  });

  it('encodes zero to 0xFF, small negatives to 0x7F, and saturates beyond the clip level', () => {
    assert.equal(linearToUlaw(0), 0xff);
    assert.equal(linearToUlaw(-1), 0x7f);
    assert.equal(linearToUlaw(32767), 0x80);
    assert.equal(linearToUlaw(-32768), 0x00);
    assert.equal(linearToUlaw(1_000_000), 0x80);
  });

  it('reproduces every sample within half a quantisation step', () => {
    const codes = new Uint8Array(ALL.length);
    const back = new Int16Array(ALL.length);
    encodeUlaw(ALL, codes);
    decodeUlaw(codes, back);
    for (let i = 0; i < ALL.length; i++) {
      const x = ALL[i]!;
      if (Math.abs(x) > 32124 + 4 * 128) continue; // beyond the clip level the error grows
      const err = Math.abs(back[i]! - x);
      assert.ok(
        err <= ulawHalfStep(codes[i]!),
        `x=${x} decoded ${back[i]} (code 0x${codes[i]!.toString(16)})`,
      );
    }
  });

  it('is a fixed point after one round trip (decode ∘ encode ∘ decode = decode)', () => {
    for (let code = 0; code < 256; code++) {
      const again = linearToUlaw(ULAW_DECODE[code]!);
      assert.equal(ULAW_DECODE[again], ULAW_DECODE[code], `code 0x${code.toString(16)}`);
    }
  });

  it('encodes monotonically: a larger sample never decodes smaller', () => {
    let prev = -Infinity;
    for (const x of ALL) {
      const y = ulawToLinear(linearToUlaw(x));
      assert.ok(y >= prev, `at ${x}`);
      prev = y;
    }
  });
});

describe('G.711 A-law', () => {
  it('decodes the standard code points', () => {
    assert.equal(alawToLinear(0xd5), 8, '0xD5 is the smallest positive value');
    assert.equal(alawToLinear(0x55), -8);
    assert.equal(alawToLinear(0xaa), 32256, 'largest positive value');
    assert.equal(alawToLinear(0x2a), -32256);
    assert.equal(alawToLinear(0xc5), 264, 'first value of segment 1');
    assert.equal(PCMA_SILENCE, 0xd5);
  });

  it('encodes zero to 0xD5 and saturates at the ends', () => {
    assert.equal(linearToAlaw(0), 0xd5);
    assert.equal(linearToAlaw(-1), 0x55);
    assert.equal(linearToAlaw(32767), 0xaa);
    assert.equal(linearToAlaw(-32768), 0x2a);
    assert.equal(linearToAlaw(-1_000_000), 0x2a);
  });

  it('reproduces every sample within half a quantisation step', () => {
    const codes = new Uint8Array(ALL.length);
    const back = new Int16Array(ALL.length);
    encodeAlaw(ALL, codes);
    decodeAlaw(codes, back);
    for (let i = 0; i < ALL.length; i++) {
      const x = ALL[i]!;
      if (Math.abs(x) > 32256 + 512) continue;
      const err = Math.abs(back[i]! - x);
      assert.ok(
        err <= alawHalfStep(codes[i]!),
        `x=${x} decoded ${back[i]} (code 0x${codes[i]!.toString(16)})`,
      );
    }
  });

  it('uses every one of the 256 codes and is symmetric around zero', () => {
    const seen = new Set<number>();
    for (const x of ALL) seen.add(linearToAlaw(x));
    assert.equal(seen.size, 256);
    for (let code = 0; code < 128; code++) assert.equal(ALAW_DECODE[code], -ALAW_DECODE[code | 0x80]!);
  });

  it('the frame encoders agree with the scalar encoders on every value', () => {
    const u = new Uint8Array(ALL.length);
    const a = new Uint8Array(ALL.length);
    encodeUlaw(ALL, u);
    encodeAlaw(ALL, a);
    for (let i = 0; i < ALL.length; i++) {
      assert.equal(u[i], linearToUlaw(ALL[i]!));
      assert.equal(a[i], linearToAlaw(ALL[i]!));
    }
  });
});

describe('PCMU ↔ PCMA transcoding', () => {
  it('equals decoding with one law and encoding with the other', () => {
    for (let code = 0; code < 256; code++) {
      assert.equal(ULAW_TO_ALAW[code], linearToAlaw(ULAW_DECODE[code]!));
      assert.equal(ALAW_TO_ULAW[code], linearToUlaw(ALAW_DECODE[code]!));
    }
  });

  it('maps silence to silence and keeps the sign of every code', () => {
    assert.equal(ULAW_TO_ALAW[PCMU_SILENCE], PCMA_SILENCE);
    assert.equal(ALAW_TO_ULAW[PCMA_SILENCE], 0xfe, 'A-law +8 is µ-law +8');
    for (let code = 0; code < 256; code++) {
      const u = ULAW_DECODE[code]!;
      const a = ALAW_DECODE[ULAW_TO_ALAW[code]!]!;
      if (u !== 0) assert.equal(Math.sign(a), Math.sign(u));
    }
  });

  it('A-law → µ-law → A-law keeps 240 codes and moves 16 to a neighbouring level', () => {
    let changed = 0;
    for (let code = 0; code < 256; code++) {
      const back = ULAW_TO_ALAW[ALAW_TO_ULAW[code]!]!;
      if (back === code) continue;
      changed++;
      const step = 2 * Math.max(alawHalfStep(code), alawHalfStep(back));
      assert.ok(Math.abs(ALAW_DECODE[back]! - ALAW_DECODE[code]!) <= step, `code 0x${code.toString(16)}`);
    }
    assert.equal(changed, 16);
  });

  it('a transcoded frame decodes within one A-law step of the µ-law original', () => {
    const u = Uint8Array.from({ length: 256 }, (_, i) => i);
    const a = new Uint8Array(256);
    ulawToAlaw(u, a);
    for (let i = 0; i < 256; i++) {
      assert.ok(Math.abs(ALAW_DECODE[a[i]!]! - ULAW_DECODE[i]!) <= alawHalfStep(a[i]!) + 1);
    }
    const inPlace = Uint8Array.from(u);
    ulawToAlaw(inPlace, inPlace);
    assert.deepEqual(inPlace, a, 'in place gives the same result');
    alawToUlaw(a, inPlace);
    assert.equal(inPlace[0xff], 0xfe, 'µ-law 0 → A-law +8 → µ-law +8');
  });
});

describe('G.711 frame functions', () => {
  it('write only `length` samples and refuse lengths the buffers cannot hold', () => {
    const pcm = Int16Array.from([0, 1000, -1000, 0]);
    const out = new Uint8Array(4).fill(0x11);
    assert.equal(encodeUlaw(pcm, out, 2), 2);
    assert.equal(out[2], 0x11);
    assert.throws(() => encodeUlaw(pcm, new Uint8Array(3)), { code: 'MEDIA_INVALID_ARGUMENT' });
    assert.throws(() => decodeAlaw(new Uint8Array(4), new Int16Array(4), 5), {
      code: 'MEDIA_INVALID_ARGUMENT',
    });
    assert.throws(() => ulawToAlaw(new Uint8Array(4), new Uint8Array(4), -1), {
      code: 'MEDIA_INVALID_ARGUMENT',
    });
  });
});
