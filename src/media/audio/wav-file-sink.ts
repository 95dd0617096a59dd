/**
 * The file adapter for `StreamingWavWriter`: positional writes to a file opened for
 * exclusive creation (a recording never overwrites another). Durability against a
 * process crash comes from the writer's ordering; the page cache holds what was written.
 */
import { open } from 'node:fs/promises';
import type { WavSink } from './wav-writer.js';

export async function openWavFileSink(path: string): Promise<WavSink> {
  const handle = await open(path, 'wx');
  let closed = false;
  return {
    async write(data: Uint8Array, position: number): Promise<void> {
      let done = 0;
      while (done < data.length) {
        const { bytesWritten } = await handle.write(data, done, data.length - done, position + done);
        done += bytesWritten;
      }
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await handle.close();
    },
  };
}
