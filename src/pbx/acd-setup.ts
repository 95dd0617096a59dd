/**
 * Builds the ACD runtime for the server: queue log sinks (the database, and the file when
 * `queueLog.file` is set), music and prompts from the shared media pieces, the router's
 * way of sending a call on (overflow, exit key), and last-agent lookups in the CDRs.
 */
import { AcdService, type AcdServiceDeps, type LastAgentLookup } from '../acd/runtime/index.js';
import type { CallControl } from '../call/control/control.js';
import type { Speech } from '../call/control/speech.js';
import type { Contact } from '../call/control/types.js';
import { configuredPrompts } from '../ivr/adapters/call-channel.js';
import type { MusicOnHold } from '../media/moh/index.js';
import type { Config } from '../platform/config/index.js';
import type { Logger } from '../platform/log.js';
import type { QueueLogSink } from '../report/queue-log.js';
import { QueueLogFile, resolveQueueLogPath } from '../report/queue-log-file.js';
import type { CdrRepository } from '../store/index.js';

export interface AcdSetupOptions {
  readonly config: Config;
  readonly current: () => Config;
  readonly dataDir: string;
  readonly promptsDir: string;
  readonly control: CallControl;
  readonly speech: Speech;
  readonly musicOnHold: MusicOnHold;
  readonly queueLog: QueueLogSink;
  /** Where last-agent routing finds who served a caller before (the CDRs). */
  readonly cdrs?: Pick<CdrRepository, 'list'>;
  readonly route: AcdServiceDeps['route'];
  /** The random source of the random strategies (Math.random by default). */
  readonly rng?: () => number;
  readonly contactsOf: (extension: string) => readonly Contact[];
  /** Dials a caller back (queue callback): extensions directly, other numbers through the routes. */
  readonly dial?: AcdServiceDeps['dial'];
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
    ...(o.rng !== undefined ? { rng: o.rng } : {}),
    ...(o.dial !== undefined ? { dial: o.dial } : {}),
    ...(o.cdrs !== undefined ? { lastAgent: lastAgentFromCdrs(o.cdrs) } : {}),
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

/** CDRs read per lookup: the caller's most recent calls in the window, newest first. */
const LAST_AGENT_CDRS = 20;

/**
 * Who last served a caller, from the CDRs: the newest answered call since `since` whose data
 * names the ACD agent that took it (`agent`, set when an agent answers a queued call).
 */
export function lastAgentFromCdrs(cdrs: Pick<CdrRepository, 'list'>): LastAgentLookup {
  return async (caller, since) => {
    const rows = await cdrs.list({ caller, since, limit: LAST_AGENT_CDRS });
    for (const cdr of rows) {
      const agent = cdr.data?.['agent'];
      if (cdr.answeredAt !== undefined && typeof agent === 'string' && agent !== '')
        return { agentId: agent, at: cdr.endedAt };
    }
    return undefined;
  };
}
