/**
 * G.722 in the engine, which works at 8 kHz (FRAME, RATE): decoding turns each octet into two
 * 16 kHz samples and halves the rate again; encoding doubles the rate and codes each pair of
 * samples as one octet. So one octet stands for one engine sample, as with G.711, and the
 * RTP clock stays at 8000 as RFC 3551 §4.5.2 keeps it for G.722.
 *
 * A raw relay between two G.722 phones never comes here and keeps the whole 50–7000 Hz band;
 * what the engine mixes, records, plays or transcodes is telephone-band audio.
 *
 * Stateful (the ADPCM and the resamplers' history): one instance per stream. Its encoder and
 * decoder are separate, the two directions never touch each other's state.
 */
import { Downsampler2, Upsampler2 } from '../audio/halfband.js';
import { G722Decoder, G722Encoder } from '../codec/g722.js';
import type { FrameCodec } from './frame-codec.js';

/** Engine samples converted per step: larger packets go through the same buffer in turns. */
const CHUNK = 480;

export class G722FrameCodec implements FrameCodec {
  readonly name = 'G722';
  readonly stateful = true;
  private readonly encoder = new G722Encoder();
  private readonly decoder = new G722Decoder();
  private readonly up = new Upsampler2();
  private readonly down = new Downsampler2();
  /** 16 kHz samples between the codec and the resamplers. */
  private readonly wide = new Int16Array(2 * CHUNK);

  decode(buf: Uint8Array, offset: number, length: number, out: Int16Array): number {
    const n = Math.max(0, Math.min(length, out.length, buf.length - offset));
    for (let done = 0; done < n;) {
      const k = Math.min(CHUNK, n - done);
      this.decoder.decode(buf, this.wide, offset + done, k);
      this.down.process(this.wide, 0, 2 * k, out, done);
      done += k;
    }
    return n;
  }

  encode(pcm: Int16Array, out: Uint8Array): number {
    const n = Math.min(pcm.length, out.length);
    for (let done = 0; done < n;) {
      const k = Math.min(CHUNK, n - done);
      this.up.process(pcm, done, k, this.wide);
      this.encoder.encode(this.wide, out, 0, 2 * k, done);
      done += k;
    }
    return n;
  }

  payloadBytes(samples: number): number {
    return samples;
  }
}
