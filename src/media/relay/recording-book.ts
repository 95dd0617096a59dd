import { MediaError } from '../errors.js';
import { checkRecording } from './checks.js';
import type { RecordingOptions, RecordingResult } from './control.js';
import type { Placement } from './placement.js';
import type { WorkerChannel } from './worker-channel.js';

/**
 * The main thread's side of the recordings: which worker writes each one. Both sides of
 * a recording live in one worker; `right` is moved to `left` (or the other way round)
 * unless that would break a bridge, which is refused with MEDIA_BUSY.
 */
export class RecordingBook {
  private readonly recordings = new Map<string, { channel: WorkerChannel }>();

  constructor(private readonly placement: Placement) {}

  async start(options: RecordingOptions): Promise<void> {
    const o = checkRecording(options);
    const left = await this.placement.ready(o.left);
    const right = o.right === null ? null : await this.placement.ready(o.right);
    if (this.recordings.has(o.recId)) {
      throw new MediaError('MEDIA_INVALID_ARGUMENT', `recording ${o.recId} exists`, { recId: o.recId });
    }
    const rec = { channel: left.channel };
    this.recordings.set(o.recId, rec);
    try {
      if (right !== null) await this.placement.colocate(left, right, true);
      rec.channel = left.channel;
      await rec.channel.request('startRecording', { options: o });
    } catch (err) {
      this.recordings.delete(o.recId);
      throw err;
    }
  }

  async pause(recId: string, paused: boolean): Promise<void> {
    await this.recording(recId).channel.request('pauseRecording', { recId, paused: paused === true });
  }

  /** Finishes the file and reports it; also after a side closed (the file was finished then). */
  async stop(recId: string): Promise<RecordingResult> {
    const rec = this.recording(recId);
    try {
      return await rec.channel.request('stopRecording', { recId });
    } finally {
      this.recordings.delete(recId);
    }
  }

  private recording(recId: string): { channel: WorkerChannel } {
    this.placement.assertOpen();
    const rec = this.recordings.get(recId);
    if (!rec) throw new MediaError('MEDIA_UNKNOWN_RECORDING', `no recording ${recId}`, { recId });
    return rec;
  }
}
