/**
 * A voicemail message as the voicemail application leaves it and the mailbox owner hears
 * it, and the store it is kept in. The audio is a mono WAV file; the row says where it is,
 * how long it is and its SHA-256 (to show it was not altered).
 */
export interface VoicemailMessage {
  /** The mailbox the message was left in (an extension number, or a configured box). */
  readonly mailbox: string;
  /** Hotline's id of the call that left it (the CDR's callId). */
  readonly callId: string;
  /** The caller's number. */
  readonly caller: string;
  readonly callerName?: string;
  /** When recording began, ms since the epoch. */
  readonly receivedAt: number;
  /** Length of the audio itself. */
  readonly durationMs: number;
  /** Where the WAV file is. */
  readonly path: string;
  readonly bytes: number;
  /** SHA-256 of the whole WAV file, 64 hex digits (stored lower-case). */
  readonly sha256: string;
}

/** A message as read back: its id, whether its owner heard it, and when it was deleted. */
export type StoredVoicemailMessage = VoicemailMessage & {
  readonly id: number;
  readonly heard: boolean;
  /** Set once deleted (ms since the epoch); deleted messages are kept as rows, not listed. */
  readonly deletedAt?: number;
};

/** What a message-waiting lamp shows: messages not heard yet, and heard ones kept. */
export interface MessageCounts {
  readonly newCount: number;
  readonly oldCount: number;
}

export interface VoicemailStore {
  /** Resolves with the new row's id once it is committed. */
  insert(message: VoicemailMessage): Promise<number>;
  /** The mailbox's messages not deleted: new ones first, then heard ones; oldest first in each. */
  listMailbox(mailbox: string): Promise<StoredVoicemailMessage[]>;
  /** undefined when there is no message of that id (deleted ones are returned). */
  get(id: number): Promise<StoredVoicemailMessage | undefined>;
  /** Marks a message heard (or new again); false when there is no such message left. */
  markHeard(id: number, heard?: boolean): Promise<boolean>;
  /** Deletes a message (the row stays, with deletedAt); false when it was not there or already deleted. */
  markDeleted(id: number, at: number): Promise<boolean>;
  /** New and heard messages of a mailbox, deleted ones not counted. */
  counts(mailbox: string): Promise<MessageCounts>;
}
