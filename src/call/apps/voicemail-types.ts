import type { Logger } from '../../platform/log.js';
import type { VoicemailStore } from '../../report/voicemail.js';
import type { CallControl } from '../control/control.js';
import type { Speech } from '../control/speech.js';

/** A mailbox as voicemail uses it; every extension has one, configured or not. */
export interface VoicemailBox {
  readonly mailbox: string;
  /** Asked before the messages are played; a box without one opens only from its own phone. */
  readonly pin?: string;
  /** An absolute path to a WAV file played instead of the spoken greeting. */
  readonly greeting?: string;
}

export interface VoicemailDeps {
  readonly control: CallControl;
  readonly speech: Speech;
  readonly store: VoicemailStore;
  /** `<dataDir>/voicemail`: a folder per mailbox, and the beep. */
  readonly dir: string;
  /** The box of a mailbox, or undefined when there is no such box. */
  readonly box: (mailbox: string) => VoicemailBox | undefined;
  readonly maxMessageMs: number;
  /** Messages shorter than this are thrown away (file and all). */
  readonly minMessageMs: number;
  /** Told each time a mailbox's messages change (a new one, heard, deleted): MWI. */
  readonly onMailboxChanged?: (mailbox: string) => void;
  /** The zone message times are read out in; the process's own when undefined. */
  readonly timeZone?: string;
  readonly logger: Logger;
}
