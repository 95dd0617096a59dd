import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { G722Decoder, G722Encoder } from '../../src/media/codec/index.js';

/**
 * Hotline's G.722 against an independent one: spandsp's, which baresip's g722 module links
 * (Debian libspandsp2, installed with baresip-core). A small C filter around the library is
 * built with the system compiler; both codecs then code the same audio and must agree bit
 * for bit. This is the proof the registry asks for before G.722 meets a real phone (the
 * ITU test sequences are not on this machine).
 */

const SOURCE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'harness', 'spandsp-g722.c');
const LIBRARY = '/usr/lib/x86_64-linux-gnu/libspandsp.so.2';
const RATE = 16000;

/** Speech-like test audio: a rising chirp, a chord and noise under a moving envelope, then a full-scale square burst. */
function testSignal(seconds: number): Int16Array {
  const n = seconds * RATE;
  const x = new Int16Array(n);
  let seed = 12345;
  for (let i = 0; i < n; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const noise = ((seed >>> 8) / 0x1000000 - 0.5) * 4000;
    const t = i / RATE;
    const chirp = Math.sin(2 * Math.PI * (100 * t + 600 * t * t));
    const chord = Math.sin(2 * Math.PI * 440 * t) + 0.5 * Math.sin(2 * Math.PI * 5500 * t);
    const envelope = 0.2 + 0.8 * Math.abs(Math.sin(2 * Math.PI * 0.7 * t));
    x[i] = Math.round(envelope * (12000 * chirp + 6000 * chord + noise));
  }
  for (let i = n - 4000; i < n - 2000; i++) x[i] = (i >> 4) & 1 ? 32767 : -32768;
  return x;
}

describe('G.722 is bit-exact with spandsp (the codec baresip uses)', () => {
  let dir: string;
  let filter: string;

  before(() => {
    assert.ok(existsSync(LIBRARY), `${LIBRARY} is missing: install baresip-core (it brings libspandsp2)`);
    dir = mkdtempSync(path.join(tmpdir(), 'g722-spandsp-'));
    filter = path.join(dir, 'spandsp-g722');
    execFileSync('cc', ['-O2', '-o', filter, SOURCE, LIBRARY], { stdio: ['ignore', 'ignore', 'pipe'] });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function spandsp(mode: 'encode' | 'decode', input: Uint8Array): Buffer {
    return execFileSync(filter, [mode], { input, maxBuffer: 64 << 20 });
  }

  it('encodes the same octets, frame by frame', (ctx) => {
    const pcm = testSignal(6);
    const theirs = spandsp('encode', new Uint8Array(pcm.buffer));
    const ours = new Uint8Array(pcm.length / 2);
    const encoder = new G722Encoder();
    for (let at = 0; at < pcm.length; at += 320) encoder.encode(pcm, ours, at, 320, at / 2);
    assert.equal(theirs.length, ours.length);
    const first = ours.findIndex((o, i) => o !== theirs[i]);
    assert.equal(
      first,
      -1,
      `first different octet at ${first}: ours ${ours[first]}, spandsp ${theirs[first]}`,
    );
    ctx.diagnostic(`${ours.length} octets equal`);
  });

  it('decodes the same samples, except where spandsp wraps past 16 bits and ours clips', (ctx) => {
    // spandsp's own octets of the test audio, then random octets, which drive both
    // decoders through every code and to the limits of their adaptation.
    const coded = spandsp('encode', new Uint8Array(testSignal(3).buffer));
    const random = new Uint8Array(48000);
    let seed = 99;
    for (let i = 0; i < random.length; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      random[i] = seed >>> 24;
    }
    const octets = Buffer.concat([coded, random]);
    const raw = spandsp('decode', octets);
    const theirs = new Int16Array(raw.buffer, raw.byteOffset, raw.length / 2);
    const ours = new Int16Array(2 * octets.length);
    const decoder = new G722Decoder();
    for (let at = 0; at < octets.length; at += 160) decoder.decode(octets, ours, at, 160, 2 * at);
    assert.equal(theirs.length, ours.length);
    let clipped = 0;
    for (let i = 0; i < ours.length; i++) {
      if (ours[i] === theirs[i]) continue;
      // spandsp stores the filter output in 16 bits without saturating: 40000 becomes −25536.
      const unwrapped = theirs[i]! + (theirs[i]! < 0 ? 65536 : -65536);
      const clips = (ours[i] === 32767 && unwrapped > 32767) || (ours[i] === -32768 && unwrapped < -32768);
      assert.ok(clips, `sample ${i}: ours ${ours[i]}, spandsp ${theirs[i]}`);
      clipped++;
    }
    assert.ok(clipped < ours.length / 100, `${clipped} samples clipped`);
    ctx.diagnostic(`${ours.length} samples compared, ${clipped} clipped by us where spandsp wraps`);
  });
});
