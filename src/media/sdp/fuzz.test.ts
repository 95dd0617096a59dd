import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { audioOf, rewriteAudio } from './audio.js';
import { ALL_FIXTURES } from './fixtures.js';
import { formatSdp } from './format.js';
import { parseSdp } from './parse.js';
import { seededRandom as mulberry32 } from '../../platform/random.js';

const ALPHABET = 'v=o-s c:t a/m 0123456789 IN IP4 RTP/AVP rtpmap:\r\n\t.xyz\u0000\u00e9';

function mutate(text: string, rnd: () => number): string {
  const chars = [...text];
  const edits = 1 + Math.floor(rnd() * 8);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(rnd() * (chars.length + 1));
    const op = rnd();
    const ch = ALPHABET[Math.floor(rnd() * ALPHABET.length)]!;
    if (op < 0.4) chars.splice(at, 1);
    else if (op < 0.8) chars.splice(at, 0, ch);
    else chars.splice(at, Math.floor(rnd() * 30));
  }
  return chars.join('');
}

describe('SDP fuzzing', () => {
  it('never throws on mutated SDPs, and what parses formats to a fixed point', () => {
    const rnd = mulberry32(0x5d9);
    const fixtures = Object.values(ALL_FIXTURES);
    let accepted = 0;
    for (let i = 0; i < 5000; i++) {
      const input = mutate(fixtures[i % fixtures.length]!, rnd);
      const r = parseSdp(input);
      if (!r.ok) {
        assert.equal(typeof r.reason, 'string');
        continue;
      }
      accepted++;
      const once = formatSdp(r.sdp);
      const again = parseSdp(once);
      assert.ok(again.ok, `formatted output must re-parse: ${JSON.stringify(once)}`);
      assert.equal(formatSdp(again.sdp), once);
      audioOf(r.sdp);
      formatSdp(rewriteAudio(r.sdp, { address: '10.0.0.1', port: 20000, sessionVersionBump: true }));
    }
    assert.ok(accepted > 100, `some mutations should still parse (got ${accepted})`);
  });

  it('never throws on random bytes', () => {
    const rnd = mulberry32(42);
    for (let i = 0; i < 2000; i++) {
      const len = Math.floor(rnd() * 300);
      let s = i % 2 === 0 ? 'v=0\r\n' : '';
      for (let j = 0; j < len; j++) s += String.fromCharCode(Math.floor(rnd() * 128));
      const r = parseSdp(s);
      assert.equal(typeof r.ok, 'boolean');
    }
  });

  it('rejects values that are not strings instead of throwing', () => {
    assert.equal(parseSdp(undefined as unknown as string).ok, false);
    assert.equal(parseSdp(42 as unknown as string).ok, false);
  });
});
