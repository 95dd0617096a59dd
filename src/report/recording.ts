/**
 * One recording file of a call, as the recorder describes it once the file is closed.
 * A call may have several (a recording restarted after a transfer, one per conference).
 */
export interface RecordingRow {
  /** Set by the store; ignored on insert. */
  readonly id?: number;
  /** Hotline's id of the call the recording belongs to (the CDR's callId). */
  readonly callId: string;
  /** The legs heard in the file, by leg id or party number, e.g. ["1001", "1002"]. */
  readonly legs: readonly string[];
  /** ms since the epoch. */
  readonly startedAt: number;
  readonly endedAt: number;
  /** Length of the audio itself (sample frames ÷ rate), not endedAt − startedAt. */
  readonly durationMs: number;
  /** Where the WAV file is. */
  readonly path: string;
  /** Size of the file in bytes. */
  readonly bytes: number;
  /** SHA-256 of the whole WAV file, 64 hex digits (stored lower-case). */
  readonly sha256: string;
  /** 1: the parties mixed; 2: one party per channel. */
  readonly channels: 1 | 2;
}

/** A recording as read back: always with its id. */
export type StoredRecording = RecordingRow & { readonly id: number };

export interface RecordingStore {
  /** Resolves with the new row's id once it is committed. */
  insert(r: RecordingRow): Promise<number>;
  /** The call's recordings, oldest first. */
  listByCall(callId: string): Promise<StoredRecording[]>;
  /** undefined when there is no recording of that id. */
  get(id: number): Promise<StoredRecording | undefined>;
}
