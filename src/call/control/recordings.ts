/**
 * Call recordings as call control keeps them: a file per recording under the day's folder,
 * started and stopped in the media engine, and a database row once the file is closed.
 * Split from control.ts only to keep files small.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordingResult } from '../../media/index.js';
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/log.js';
import type { RecordingStore } from '../../report/recording.js';
import type { Call } from './call.js';
import type { Leg } from './leg.js';
import type { MediaEngine } from './types.js';

let recSeq = 0;

export class CallRecordings {
  private readonly owners = new Map<string, { call: Call; legs: Leg[] }>();

  constructor(
    private readonly deps: {
      readonly media: Pick<MediaEngine, 'startRecording' | 'pauseRecording' | 'stopRecording'>;
      readonly store: RecordingStore;
      readonly dir: string;
      readonly clock: Pick<Clock, 'now'>;
      readonly log: Logger;
    },
  ) {}

  /** Records `left` (and `right`, in stereo); resolves with the recording id, or null if it could not start. */
  async start(call: Call, left: Leg, right: Leg | null): Promise<string | null> {
    const recId = `rec-${Date.now().toString(36)}-${++recSeq}`;
    const day = new Date(this.deps.clock.now()).toISOString().slice(0, 10);
    const dir = join(this.deps.dir, day);
    const path = join(dir, `${call.id}-${recSeq}.wav`);
    try {
      await mkdir(dir, { recursive: true });
      await this.deps.media.startRecording({
        recId,
        path,
        left: left.endpoint.id,
        right: right ? right.endpoint.id : null,
      });
    } catch (err) {
      this.deps.log.error({ err, callId: call.id }, 'recording did not start');
      return null;
    }
    this.owners.set(recId, { call, legs: right ? [left, right] : [left] });
    return recId;
  }

  async pause(recId: string, paused: boolean): Promise<void> {
    await this.deps.media.pauseRecording(recId, paused);
  }

  /** Closes the file and writes its row; null when it could not be finished. */
  async stop(recId: string): Promise<{ id: number; file: RecordingResult } | null> {
    const owner = this.owners.get(recId);
    this.owners.delete(recId);
    try {
      const r = await this.deps.media.stopRecording(recId);
      if (!owner) return null;
      const id = await this.deps.store.insert({
        callId: owner.call.id,
        legs: owner.legs.map((l) => l.party.number),
        startedAt: r.startedAt,
        endedAt: r.endedAt,
        durationMs: r.durationMs,
        path: r.path,
        bytes: r.bytes,
        sha256: r.sha256,
        channels: r.channels,
      });
      return { id, file: r };
    } catch (err) {
      this.deps.log.error({ err, recId }, 'recording could not be finished');
      return null;
    }
  }
}
