/**
 * Builds the ACD runtime for the server: queue log sinks (the database, and the file when
 * `queueLog.file` is set), music and prompts from the shared media pieces, and the router's
 * way of sending a call on (overflow, exit key).
 */
import { AcdService, type AcdServiceDeps } from '../acd/runtime/index.js';
import type { CallControl } from '../call/control/control.js';
import type { Speech } from '../call/control/speech.js';
import type { Contact } from '../call/control/types.js';
import { configuredPrompts } from '../ivr/adapters/call-channel.js';
import type { MusicOnHold } from '../media/moh/index.js';
import type { Config } from '../platform/config/index.js';
import type { Logger } from '../platform/log.js';
import type { QueueLogSink } from '../report/queue-log.js';
import { QueueLogFile, resolveQueueLogPath } from '../report/queue-log-file.js';

export interface AcdSetupOptions {
  readonly config: Config;
  readonly current: () => Config;
  readonly dataDir: string;
  readonly promptsDir: string;
  readonly control: CallControl;
  readonly speech: Speech;
  readonly musicOnHold: MusicOnHold;
  readonly queueLog: QueueLogSink;
  readonly route: AcdServiceDeps['route'];
  readonly contactsOf: (extension: string) => readonly Contact[];
  readonly logger: Logger;
}

export async function setUpAcd(o: AcdSetupOptions): Promise<{ acd: AcdService; close(): Promise<void> }> {
  const sinks: QueueLogSink[] = [o.queueLog];
  let file: QueueLogFile | undefined;
  if (o.config.queueLog.file !== undefined) {
    file = await QueueLogFile.open(resolveQueueLogPath(o.config.queueLog.file, o.dataDir), o.logger);
    sinks.push(file);
  }
  const acd = new AcdService({
    control: o.control,
    speech: o.speech,
    config: () => o.current().acd,
    musicOnHold: (cls) => Promise.resolve(o.musicOnHold.select(cls).files.map((f) => ({ file: f }))),
    prompts: (specs) => configuredPrompts(o.speech, o.promptsDir, specs),
    queueLog: sinks,
    route: o.route,
    contactsOf: o.contactsOf,
    logger: o.logger,
  });
  return {
    acd,
    close: async () => {
      acd.stop();
      await file?.close();
    },
  };
}
