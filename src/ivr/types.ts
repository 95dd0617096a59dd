/**
 * The IVR's contract with the rest of Hotline: the port a call is driven through
 * (IvrChannel), the hooks the engine is given (schedules, HTTP, customer lookup, step log)
 * and what a run returns. The engine never touches a socket, a timer or the database
 * itself; everything here is passed in, so the same engine runs a real call and the
 * simulator.
 */
import type { Destination, Lang, SayKind } from '../routing/types.js';
import type { TransferDestination } from './schema-values.js';
import type { Flow } from './schema.js';

/** Associated data (随路数据): every variable of the call when the flow ends. */
export type AssociatedData = Readonly<Record<string, string>>;

/** A prompt ready to play: templates replaced, language fixed, spoken text composed. */
export type ResolvedPrompt =
  | { readonly kind: 'file'; readonly file: string }
  /** Free text for the TTS engine. */
  | { readonly kind: 'tts'; readonly text: string; readonly lang: Lang }
  /** A value read out: `text` is its words in `lang` (二零二六年十月一号). */
  | {
      readonly kind: 'say';
      readonly say: SayKind;
      readonly value: string;
      readonly text: string;
      readonly lang: Lang;
    }
  /** A built-in system prompt with its text in `lang`. */
  | { readonly kind: 'system'; readonly prompt: string; readonly text: string; readonly lang: Lang }
  | { readonly kind: 'silence'; readonly silenceMs: number };

export interface PlayOptions {
  readonly lang: Lang;
  /** A key press stops the playback; the key stays buffered for the next input node. */
  readonly bargeIn: boolean;
}

export interface PlayResult {
  /** The key that interrupted the playback, if any. */
  readonly digit?: string;
}

export interface CollectRequest {
  /** Played first; a key press interrupts them (barge-in). */
  readonly prompts: readonly ResolvedPrompt[];
  readonly lang: Lang;
  readonly min: number;
  readonly max: number;
  /** The key that ends input early, not part of the digits; null for none. */
  readonly terminator: string | null;
  /** Wait for the first key, after the prompts end. */
  readonly firstDigitTimeoutMs: number;
  /** Wait between keys. */
  readonly interDigitTimeoutMs: number;
}

export interface CollectResult {
  /** The keys pressed, without the terminator. */
  readonly digits: string;
  /**
   * Why input ended: `max` keys reached, the `terminator` pressed, nothing pressed in time
   * (`timeout`), or a pause after some keys (`interDigitTimeout`).
   */
  readonly reason: 'max' | 'terminator' | 'timeout' | 'interDigitTimeout';
}

export interface RecordRequest {
  readonly prompts: readonly ResolvedPrompt[];
  readonly lang: Lang;
  readonly maxSeconds: number;
  readonly beep: boolean;
  readonly terminator: string | null;
  /** Suggested name for the file, unique per call and node. */
  readonly name: string;
}

export interface RecordResult {
  /** Where the recording was written. */
  readonly path: string;
  readonly durationMs?: number;
}

export type TransferOutcome =
  { readonly ok: true } | { readonly ok: false; readonly reason: 'failed' | 'busy' | 'noAnswer' };

/**
 * The port the interpreter drives a call through. The lead's implementation sits on call
 * control; the simulator's has no audio. A method may reject (the engine then takes the
 * node's error path); once the caller has hung up, `hungUp` is aborted and the engine
 * stops asking for media.
 */
export interface IvrChannel {
  /** Aborted when the caller hangs up. */
  readonly hungUp: AbortSignal;
  /** Milliseconds since the epoch. */
  now(): number;
  play(prompts: readonly ResolvedPrompt[], opts: PlayOptions): Promise<PlayResult>;
  collect(req: CollectRequest): Promise<CollectResult>;
  record(req: RecordRequest): Promise<RecordResult>;
  /** Hands the call over; resolves once the destination took it or refused it. */
  transfer(dest: TransferDestination, data: AssociatedData): Promise<TransferOutcome>;
  /** Q.850 cause. */
  hangup(cause: number): Promise<void>;
}

/** Who is calling whom: the source of ANI, DNIS and CALLID. */
export interface CallInfo {
  readonly callId: string;
  /** Caller number (主叫). */
  readonly ani: string;
  /** Called number (被叫), e.g. 96110. */
  readonly dnis: string;
}

export type ScheduleStateValue = 'open' | 'closed' | 'holiday';
/** Evaluates a named schedule at an instant; throws for an unknown name. */
export type ScheduleStatePort = (
  name: string,
  instant: number,
) => ScheduleStateValue | Promise<ScheduleStateValue>;

/** The part of `fetch` the HTTP node uses; the global fetch fits. */
export type HttpFetch = (
  url: string,
  init: {
    readonly method: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly body?: string;
    readonly signal: AbortSignal;
  },
) => Promise<{ readonly status: number; text(): Promise<string> }>;

/** A customer's fields found by number, or null when there is none. */
export type CustomerRecord = Readonly<Record<string, string | number | boolean | null>>;
export type LookupCustomer = (ani: string) => Promise<CustomerRecord | null>;

/** One visit of one node: the IVR step log's row. */
export interface IvrStep {
  readonly callId: string;
  readonly flowId: string;
  readonly flowVersion: number;
  readonly nodeId: string;
  readonly nodeType: string;
  /** Epoch ms. */
  readonly enteredAt: number;
  /** The exit taken; null when the flow ended at this node or the caller hung up during it. */
  readonly exit: string | null;
  /** Keys entered at this node (a menu choice, collected digits, a survey score). */
  readonly digits: string | null;
  readonly durationMs: number;
}

export interface StepLog {
  /** May be asynchronous; a failure is logged and never stops the call. */
  write(step: IvrStep): void | Promise<void>;
}

/** How a run ended. */
export type IvrEnd =
  | { readonly kind: 'transferred'; readonly destination: Destination }
  /**
   * The flow hung up: at a hangup node, after a failure with nowhere to go (`error`), on
   * the loop guard (`maxSteps`), or at an exit the flow leaves open (`noExit`).
   */
  | {
      readonly kind: 'hangup';
      readonly cause: number;
      readonly reason: 'node' | 'error' | 'maxSteps' | 'noExit';
    }
  | { readonly kind: 'callerHangup'; readonly flowId: string; readonly nodeId: string };

/** A failure met on the way, as reported in the result (and logged). */
export interface IvrFailure {
  readonly flowId: string;
  readonly nodeId: string;
  readonly code: string;
  readonly message: string;
}

export interface IvrResult {
  readonly callId: string;
  readonly end: IvrEnd;
  /** The associated data (随路数据); for a transfer, what was handed to the destination. */
  readonly data: AssociatedData;
  /** The flow and version the call was in when it ended (a goto moves it). */
  readonly flowId: string;
  readonly flowVersion: number;
  /** Nodes visited, the onHangup nodes included. */
  readonly steps: number;
  readonly failures: readonly IvrFailure[];
}

/** One published version of a flow. Readonly: a running call keeps the object it started with. */
export interface FlowVersion {
  readonly id: string;
  readonly version: number;
  readonly flow: Flow;
  /** SHA-256 of the flow's canonical JSON: equal content, equal hash. */
  readonly hash: string;
  /** Epoch ms. */
  readonly publishedAt: number;
}

/** Where the engine finds the published version of a flow (a goto). FlowCatalog fits. */
export interface FlowSource {
  current(id: string): FlowVersion | undefined;
}
