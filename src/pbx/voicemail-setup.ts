/**
 * Voicemail wired from the configuration: the mailboxes (every extension's own, plus those
 * listed under `voicemail.boxes`), the voicemail application, the dialplan codes, and
 * message-waiting (MWI) told of every change. server.ts calls this once.
 */
import {
  Voicemail,
  type CallControl,
  type SipContext,
  type Speech,
  type VoicemailBox,
} from '../call/index.js';
import { dataPath } from '../platform/config/paths.js';
import type { Logger } from '../platform/log.js';
import type { VoicemailStore } from '../report/voicemail.js';
import type { Location } from '../sip/registrar/index.js';
import type { VoicemailDialplan } from './dialplan.js';
import { MessageWaiting } from './mwi.js';

/** The `voicemail` configuration section, as server.ts has it (read-only). */
export interface VoicemailSettings {
  readonly enabled: boolean;
  readonly listenCode: string;
  readonly otherBoxCode: string;
  readonly depositCode: string;
  readonly maxMessageSeconds: number;
  readonly minMessageSeconds: number;
  readonly boxes: readonly { readonly mailbox: string; readonly pin?: string; readonly greeting?: string }[];
}

export interface VoicemailSetupOptions {
  readonly settings: VoicemailSettings;
  /** The configured extension numbers: each has a mailbox of its own. */
  readonly extensions: ReadonlySet<string>;
  readonly dataDir: string;
  readonly control: CallControl;
  readonly speech: Speech;
  readonly store: VoicemailStore;
  readonly location: Location;
  readonly ctx: SipContext;
  /** The zone message times are read out in; the process's own when undefined. */
  readonly timeZone?: string;
  /**
   * The boxes and extensions in force now (a reload changes them for new calls); the
   * settings and extensions above when absent. Whether voicemail is on and its codes and
   * limits are taken at start.
   */
  readonly current?: () => {
    readonly boxes: VoicemailSettings['boxes'];
    readonly extensions: ReadonlySet<string>;
  };
  readonly logger: Logger;
}

export interface VoicemailSetup {
  /** Undefined when voicemail is off. */
  readonly app: Voicemail | undefined;
  readonly mwi: MessageWaiting | undefined;
  readonly dialplan: VoicemailDialplan | undefined;
  stop(): void;
}

/** Where messages and the beep live: `<dataDir>/voicemail`. */
export function voicemailDir(dataDir: string): string {
  return dataPath(dataDir, 'voicemail');
}

/** The box of a mailbox: a configured one (its greeting taken from the data directory), else an extension's. */
export function mailboxResolver(
  settings: Pick<VoicemailSettings, 'boxes'>,
  extensions: ReadonlySet<string>,
  dataDir: string,
): (mailbox: string) => VoicemailBox | undefined {
  const boxes = new Map<string, VoicemailBox>(
    settings.boxes.map((b) => [
      b.mailbox,
      {
        mailbox: b.mailbox,
        ...(b.pin !== undefined ? { pin: b.pin } : {}),
        ...(b.greeting !== undefined ? { greeting: dataPath(dataDir, b.greeting) } : {}),
      },
    ]),
  );
  return (mailbox) => boxes.get(mailbox) ?? (extensions.has(mailbox) ? { mailbox } : undefined);
}

export function setUpVoicemail(o: VoicemailSetupOptions): VoicemailSetup {
  const { settings } = o;
  if (!settings.enabled)
    return { app: undefined, mwi: undefined, dialplan: undefined, stop: () => undefined };
  let seenBoxes = settings.boxes;
  let seenExtensions = o.extensions;
  let resolve = mailboxResolver(settings, o.extensions, o.dataDir);
  const box = (mailbox: string): VoicemailBox | undefined => {
    const now = o.current?.();
    if (now && (now.boxes !== seenBoxes || now.extensions !== seenExtensions)) {
      seenBoxes = now.boxes;
      seenExtensions = now.extensions;
      resolve = mailboxResolver({ boxes: now.boxes }, now.extensions, o.dataDir);
    }
    return resolve(mailbox);
  };
  const hasMailbox = (mailbox: string) => box(mailbox) !== undefined;
  const mwi = new MessageWaiting({
    ctx: o.ctx,
    location: o.location,
    counts: (mailbox) => o.store.counts(mailbox),
    hasMailbox,
    logger: o.logger,
  });
  const app = new Voicemail({
    control: o.control,
    speech: o.speech,
    store: o.store,
    dir: voicemailDir(o.dataDir),
    box,
    maxMessageMs: settings.maxMessageSeconds * 1000,
    minMessageMs: settings.minMessageSeconds * 1000,
    onMailboxChanged: (mailbox) => void mwi.mailboxChanged(mailbox),
    ...(o.timeZone !== undefined ? { timeZone: o.timeZone } : {}),
    logger: o.logger,
  });
  mwi.start();
  return {
    app,
    mwi,
    dialplan: {
      listenCode: settings.listenCode,
      otherBoxCode: settings.otherBoxCode,
      depositCode: settings.depositCode,
      hasMailbox,
    },
    stop: () => mwi.stop(),
  };
}
