/**
 * Plays a list of items (WAV files, call-progress tones, silence) to a party, one 20 ms
 * frame per call of read(), as a pure processor over an AudioCache: no timers, no I/O of
 * its own. The tick never waits on the disk: while the first file loads nothing is sent
 * yet (`wait`), and a later file still loading plays as silence, keeping time. A file
 * that fails ends the playback with reason `failed` and an error naming the file.
 *
 *   item 0 → item 1 → … → last ──loop──▶ item 0
 *                            └─────────▶ finished
 */
import type { PlayItem, PlayOptions } from '../relay/control.js';
import { compileTone, renderTone, type CompiledTone } from '../tones/generator.js';
import { DEFAULT_TONE_PROFILE, toneProfile } from '../tones/profiles.js';
import type { AudioCache, AudioHandle } from './audio-cache.js';
import { FRAME, RATE, type PlaySnapshot } from './types.js';

type Item =
  | { readonly kind: 'file'; readonly handle: AudioHandle }
  | { readonly kind: 'tone'; readonly tone: CompiledTone; readonly samples: number }
  | { readonly kind: 'silence'; readonly samples: number }
  | { readonly kind: 'invalid'; readonly error: string };

export type PlayerEnd =
  { readonly reason: 'finished' } | { readonly reason: 'failed'; readonly error: string };

/** `play`: the frame holds audio; `wait`: nothing to send yet; `end`: see `ended`. */
export type PlayerRead = 'play' | 'wait' | 'end';

export class Player {
  readonly playId: string;
  readonly interruptOnDtmf: boolean;
  /** Why the playback ended; null while it plays. */
  ended: PlayerEnd | null = null;
  private readonly items: Item[];
  private readonly loop: boolean;
  private index: number;
  private offset: number;
  /** Samples produced since the list last started: a loop of empty items must end. */
  private producedThisRound = 0;
  private started = false;
  private readonly scratch = new Int16Array(FRAME);

  constructor(
    private readonly options: PlayOptions,
    cache: AudioCache,
    from: { readonly item: number; readonly offset: number } = { item: 0, offset: 0 },
  ) {
    this.playId = options.playId;
    this.interruptOnDtmf = options.interruptOnDtmf === true;
    this.loop = options.loop === true;
    this.items = options.items.map((item) => compileItem(item, cache));
    this.index = Math.min(from.item, this.items.length);
    this.offset = from.offset;
  }

  /** Where the playback stands, to continue it in another worker. */
  snapshot(): PlaySnapshot {
    return { options: this.options, item: this.index, offset: this.offset };
  }

  /** Fills `out` (FRAME samples) with the next frame; only `play` frames are to be sent. */
  read(out: Int16Array): PlayerRead {
    const r = this.fillFrame(out);
    if (r === 'play') this.started = true;
    return r;
  }

  private fillFrame(out: Int16Array): PlayerRead {
    if (this.ended) return 'end';
    let filled = 0;
    while (filled < FRAME) {
      if (this.index >= this.items.length) {
        if (!this.loop || this.producedThisRound === 0 || this.items.length === 0) {
          this.ended = { reason: 'finished' };
          if (filled === 0) return 'end';
          out.fill(0, filled, FRAME);
          return 'play';
        }
        this.index = 0;
        this.offset = 0;
        this.producedThisRound = 0;
      }
      const item = this.items[this.index]!;
      const n = this.fill(item, out, filled);
      if (n < 0) return 'end'; // failed
      if (n === 0 && item.kind === 'file' && item.handle.status === 'loading') {
        if (!this.started && filled === 0) return 'wait';
        out.fill(0, filled, FRAME); // still loading: silence, try again next frame
        return 'play';
      }
      filled += n;
      this.producedThisRound += n;
    }
    return 'play';
  }

  /** Copies up to the rest of the frame from `item`; advances past finished items. −1 on failure. */
  private fill(item: Item, out: Int16Array, filled: number): number {
    const room = FRAME - filled;
    switch (item.kind) {
      case 'invalid':
        this.ended = { reason: 'failed', error: item.error };
        return -1;
      case 'file': {
        const h = item.handle;
        if (h.status === 'failed') {
          this.ended = { reason: 'failed', error: h.error ?? `cannot play ${h.path}` };
          return -1;
        }
        if (h.status === 'loading') return 0;
        const samples = h.samples!;
        const n = Math.min(room, samples.length - this.offset);
        for (let i = 0; i < n; i++) out[filled + i] = samples[this.offset + i]!;
        return this.advance(n, samples.length);
      }
      case 'tone': {
        const n = Math.min(room, item.samples - this.offset);
        renderTone(item.tone, this.offset, this.scratch, n);
        for (let i = 0; i < n; i++) out[filled + i] = this.scratch[i]!;
        return this.advance(n, item.samples);
      }
      case 'silence': {
        const n = Math.min(room, item.samples - this.offset);
        out.fill(0, filled, filled + n);
        return this.advance(n, item.samples);
      }
    }
  }

  private advance(n: number, length: number): number {
    this.offset += n;
    if (this.offset >= length) {
      this.index++;
      this.offset = 0;
    }
    return n;
  }
}

function compileItem(item: PlayItem, cache: AudioCache): Item {
  if ('file' in item) return { kind: 'file', handle: cache.open(item.file) };
  if ('tone' in item) {
    const profile = item.profile === undefined ? DEFAULT_TONE_PROFILE : toneProfile(item.profile);
    if (!profile) return { kind: 'invalid', error: `unknown tone profile ${item.profile}` };
    const ms = item.durationMs;
    // Sample counts stay safe integers: "until stopped" is years of audio.
    const samples = ms === undefined ? Number.MAX_SAFE_INTEGER : Math.round((ms * RATE) / 1000);
    return { kind: 'tone', tone: compileTone(profile[item.tone], RATE), samples };
  }
  return { kind: 'silence', samples: Math.round((item.silenceMs * RATE) / 1000) };
}
