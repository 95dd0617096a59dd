/**
 * The default music-on-hold class: a short, deterministic piece synthesised here, so the
 * program ships no third-party audio. Eight bars at 80 bpm (24 s) over I–vi–IV–V and
 * I–iii–IV–V in C major: a soft sine pad, an FM bass and an FM electric-piano arpeggio.
 *
 * Rendered for the telephone band: every voice's FM sidebands stay below 3.6 kHz, and
 * notes that ring past the end wrap around to the start, so the piece loops without a
 * seam. The result is scaled to an RMS of −18 dBm0 (quiet enough to sit under prompts,
 * loud enough through G.711). Pure: the same options give the same samples.
 */
import { dbm0ToRms } from '../audio/level.js';
import { encodeWav } from '../audio/wav-format.js';

export interface MusicOnHoldOptions {
  /** Default 8000. */
  readonly sampleRate?: number;
  /** RMS level of the whole piece. Default −18 dBm0. */
  readonly levelDbm0?: number;
}

interface Note {
  /** MIDI note number (60 = middle C). */
  readonly midi: number;
  readonly startBeat: number;
  readonly beats: number;
  readonly voice: 'pad' | 'bass' | 'keys';
}

const BPM = 80;
const BEATS_PER_BAR = 4;

/** Chord tones (root position) and bass note of each bar. */
const BARS: readonly { readonly chord: readonly number[]; readonly bass: number }[] = [
  { chord: [60, 64, 67], bass: 48 }, // C
  { chord: [57, 60, 64], bass: 45 }, // Am
  { chord: [53, 57, 60], bass: 53 }, // F
  { chord: [55, 59, 62], bass: 55 }, // G
  { chord: [60, 64, 67], bass: 48 }, // C
  { chord: [52, 55, 59], bass: 52 }, // Em
  { chord: [53, 57, 60], bass: 53 }, // F
  { chord: [55, 59, 62], bass: 55 }, // G
];

/** Eighth-note arpeggio shapes: indexes into [root, third, fifth, root+12, third+12]. */
const PATTERNS: readonly (readonly number[])[] = [
  [0, 2, 3, 4, 3, 2, 1, 2],
  [0, 1, 2, 3, 4, 3, 2, 3],
];

function score(): Note[] {
  const notes: Note[] = [];
  BARS.forEach((bar, i) => {
    const start = i * BEATS_PER_BAR;
    // An octave up from where a band would play them: phones cut below 300 Hz.
    for (const midi of bar.chord)
      notes.push({ midi: midi + 12, startBeat: start, beats: BEATS_PER_BAR, voice: 'pad' });
    notes.push({ midi: bar.bass + 12, startBeat: start, beats: 1.5, voice: 'bass' });
    notes.push({ midi: bar.bass + 12, startBeat: start + 2, beats: 1.5, voice: 'bass' });
    const [r, t, f] = bar.chord as [number, number, number];
    const tones = [r + 12, t + 12, f + 12, r + 24, t + 24];
    const pattern = PATTERNS[i < 4 ? 0 : 1]!;
    pattern.forEach((k, step) => {
      notes.push({ midi: tones[k]!, startBeat: start + step / 2, beats: 0.5, voice: 'keys' });
    });
  });
  return notes;
}

function hz(midi: number): number {
  return 440 * 2 ** ((midi - 69) / 12);
}

interface Voice {
  readonly gain: number;
  readonly attack: number;
  /** Amplitude decay time constant in seconds (Infinity: sustained). */
  readonly decay: number;
  readonly release: number;
  /** FM: modulator ratio and starting index (0: plain sine); the index decays with `indexDecay`. */
  readonly ratio: number;
  readonly index: number;
  readonly indexDecay: number;
}

const VOICES: Readonly<Record<Note['voice'], Voice>> = {
  pad: { gain: 0.12, attack: 0.5, decay: Infinity, release: 0.6, ratio: 1, index: 0, indexDecay: 1 },
  bass: { gain: 0.35, attack: 0.01, decay: 0.8, release: 0.15, ratio: 1, index: 1.8, indexDecay: 0.4 },
  keys: { gain: 0.4, attack: 0.005, decay: 0.7, release: 0.25, ratio: 1, index: 1.4, indexDecay: 0.5 },
};

/** Adds one note into `acc`, wrapping past the end to the start. */
function renderNote(acc: Float64Array, note: Note, rate: number): void {
  const v = VOICES[note.voice];
  const f = hz(note.midi);
  const secondsPerBeat = 60 / BPM;
  const start = Math.round(note.startBeat * secondsPerBeat * rate);
  const held = note.beats * secondsPerBeat;
  const total = Math.round((held + v.release) * rate);
  // Keep the highest FM sideband, about f · (index + 2), under 3.6 kHz.
  const index = Math.max(0, Math.min(v.index, 3600 / f - 2));
  const w = 2 * Math.PI * f;
  for (let i = 0; i < total; i++) {
    const t = i / rate;
    const attack = t < v.attack ? t / v.attack : 1;
    const decay = Number.isFinite(v.decay) ? Math.exp(-t / v.decay) : 1;
    const release = t > held ? Math.max(0, 1 - (t - held) / v.release) : 1;
    const env = v.gain * attack * decay * release;
    const mod = index === 0 ? 0 : index * Math.exp(-t / v.indexDecay) * Math.sin(w * v.ratio * t);
    const at = (start + i) % acc.length;
    acc[at] = acc[at]! + env * Math.sin(w * t + mod);
  }
}

/** The default music-on-hold piece as 16-bit mono samples (24 s at 8 kHz). */
export function renderMusicOnHold(options: MusicOnHoldOptions = {}): Int16Array {
  const rate = options.sampleRate ?? 8000;
  const seconds = (BARS.length * BEATS_PER_BAR * 60) / BPM;
  const acc = new Float64Array(Math.round(seconds * rate));
  for (const note of score()) renderNote(acc, note, rate);
  let sum = 0;
  for (const x of acc) sum += x * x;
  const scale = dbm0ToRms(options.levelDbm0 ?? -18) / Math.sqrt(sum / acc.length);
  const out = new Int16Array(acc.length);
  for (let i = 0; i < acc.length; i++) {
    const v = Math.round(acc[i]! * scale);
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return out;
}

/** The default music-on-hold piece as a mono PCM16 WAV file. */
export function renderMusicOnHoldWav(options: MusicOnHoldOptions = {}): Uint8Array {
  const sampleRate = options.sampleRate ?? 8000;
  return encodeWav({ encoding: 'pcm16', sampleRate, channels: 1 }, renderMusicOnHold(options));
}
