/**
 * Per-frame cost of the media kernels on one thread.
 *
 *   npx tsx bench/media-kernels.ts [frames]
 *
 * Each kernel runs over a ring of 64 different 20 ms frames (so neither the branch
 * predictor nor the JIT sees one constant input) and prints nanoseconds per frame, the
 * median of five rounds. Every kernel owns its loop, so each call site stays monomorphic.
 */
import { decodeUlaw, encodeAlaw, encodeUlaw, ulawToAlaw } from '../src/media/codec/index.js';
import { G722FrameCodec } from '../src/media/engine/g722-frame.js';
import { Resampler, mixFrames } from '../src/media/audio/index.js';
import { JitterBuffer, createRtpHeader, readRtpHeader, serializeRtp } from '../src/media/rtp/index.js';
import { US_TONES, compileTone, renderTone } from '../src/media/tones/index.js';

const RING = 64;

function speech(samples: number, seed: number): Int16Array {
  // Two drifting partials and a little noise: speech-like amplitudes across all segments.
  let x = seed;
  return Int16Array.from({ length: samples }, (_, i) => {
    x = (x * 1103515245 + 12345) >>> 0;
    const noise = ((x >>> 16) & 0x3ff) - 512;
    return Math.round(6000 * Math.sin(i * (0.05 + seed * 0.001)) + 2500 * Math.sin(i * 0.31) + noise);
  });
}

const pcm8k = Array.from({ length: RING }, (_, k) => speech(160, k));
const pcm48k = Array.from({ length: RING }, (_, k) => speech(960, k));
const ulaw = pcm8k.map((f) => {
  const out = new Uint8Array(160);
  encodeUlaw(f, out);
  return out;
});
const packets = ulaw.map((payload, k) =>
  serializeRtp({ payloadType: 0, sequenceNumber: k, timestamp: k * 160, ssrc: 0x1234 }, payload),
);

type Kernel = (frames: number) => void;

const bytesOut = new Uint8Array(160);
const pcmOut = new Int16Array(160);
const resampleOut = new Int16Array(200);

const kernels: Record<string, Kernel> = {
  'G.711 µ-law encode 160': (n) => {
    for (let i = 0; i < n; i++) encodeUlaw(pcm8k[i & (RING - 1)]!, bytesOut);
  },
  'G.711 A-law encode 160': (n) => {
    for (let i = 0; i < n; i++) encodeAlaw(pcm8k[i & (RING - 1)]!, bytesOut);
  },
  'G.711 µ-law decode 160': (n) => {
    for (let i = 0; i < n; i++) decodeUlaw(ulaw[i & (RING - 1)]!, pcmOut);
  },
  'PCMU→PCMA transcode 160': (n) => {
    for (let i = 0; i < n; i++) ulawToAlaw(ulaw[i & (RING - 1)]!, bytesOut);
  },
  'mix 3×160 (saturating)': (n) => {
    const inputs = [pcm8k[0]!, pcm8k[1]!, pcm8k[2]!];
    for (let i = 0; i < n; i++) {
      inputs[0] = pcm8k[i & (RING - 1)]!;
      mixFrames(inputs, pcmOut);
    }
  },
  'G.722 encode 160 (8 kHz)': (n) => {
    const codec = new G722FrameCodec();
    for (let i = 0; i < n; i++) codec.encode(pcm8k[i & (RING - 1)]!, bytesOut);
  },
  'G.722 decode 160 (8 kHz)': (n) => {
    const codec = new G722FrameCodec();
    for (let i = 0; i < n; i++) codec.decode(ulaw[i & (RING - 1)]!, 0, 160, pcmOut);
  },
  'resample 48k→8k 20 ms': (n) => {
    const r = new Resampler(48000, 8000);
    for (let i = 0; i < n; i++) r.process(pcm48k[i & (RING - 1)]!, resampleOut);
  },
  'tone frame 440+480 Hz': (n) => {
    const tone = compileTone(US_TONES.ringback);
    for (let i = 0; i < n; i++) renderTone(tone, (i % 100) * 160, pcmOut); // the 2 s "on" part
  },
  'RTP header parse': (n) => {
    const header = createRtpHeader();
    for (let i = 0; i < n; i++) readRtpHeader(packets[i & (RING - 1)]!, header);
  },
  'jitter buffer push+pull': (n) => {
    const jb = new JitterBuffer({ mode: 'adaptive' });
    for (let i = 0; i < n; i++) {
      jb.push((i * 160) >>> 0, pcm8k[i & (RING - 1)]!, 160, i * 20);
      jb.pull(pcmOut);
    }
  },
};

function nsPerFrame(kernel: Kernel, frames: number): number {
  const start = process.hrtime.bigint();
  kernel(frames);
  return Number(process.hrtime.bigint() - start) / frames;
}

const frames = Number(process.argv[2] ?? 200_000);
console.log(`media kernels, ns per 20 ms frame (median of 5 rounds of ${frames} frames)`);
for (const [name, kernel] of Object.entries(kernels)) {
  nsPerFrame(kernel, Math.min(frames, 20_000)); // warm-up
  const rounds = Array.from({ length: 5 }, () => nsPerFrame(kernel, frames)).sort((a, b) => a - b);
  console.log(`${name.padEnd(26)} ${rounds[2]!.toFixed(0).padStart(8)} ns`);
}
