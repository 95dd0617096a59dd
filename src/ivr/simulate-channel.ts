/**
 * An IvrChannel without audio, for the simulator: it plays by writing down what would be
 * said, answers each prompt that waits for keys with the next scripted input, and keeps a
 * simulated clock.
 *
 * Inputs: one per input node attempt (menu, collect, survey). `""` is silence (a
 * timeout). Keys up to a terminator (`13800138000#`) end with the terminator; keys
 * without one end at `max` or with a pause. When the script runs out, the caller hangs up.
 */
import type { Destination } from '../routing/types.js';
import { describePrompt } from './prompts.js';
import type { TransferDestination } from './schema-values.js';
import type {
  AssociatedData,
  CollectRequest,
  CollectResult,
  IvrChannel,
  PlayOptions,
  PlayResult,
  RecordRequest,
  RecordResult,
  ResolvedPrompt,
  TransferOutcome,
} from './types.js';

export type SimEvent =
  | { readonly kind: 'play'; readonly texts: readonly string[] }
  | {
      readonly kind: 'input';
      readonly input: string;
      readonly digits: string;
      readonly reason: CollectResult['reason'];
    }
  | { readonly kind: 'callerHangup' }
  | { readonly kind: 'record'; readonly path: string; readonly maxSeconds: number }
  | { readonly kind: 'transfer'; readonly destination: Destination; readonly outcome: TransferOutcome }
  | { readonly kind: 'hangup'; readonly cause: number }
  | { readonly kind: 'note'; readonly text: string };

/** Simulated seconds a prompt, an answer and a recording take. */
const PROMPT_MS = 2000;
const KEY_MS = 500;
const RECORD_MS = 10_000;

export class SimulatedChannel implements IvrChannel {
  private readonly abort = new AbortController();
  private clock: number;
  private readonly inputs: string[];
  /** Consumed one per transfer; the last one repeats. Empty: every transfer succeeds. */
  private readonly outcomes: TransferOutcome[];
  private readonly recordFails: boolean;
  /** Events since the last step was written; the simulator attaches them to that step. */
  pending: SimEvent[] = [];

  constructor(
    start: number,
    inputs: readonly string[],
    opts: { readonly transferOutcomes?: readonly TransferOutcome[]; readonly recordFails?: boolean } = {},
  ) {
    this.clock = start;
    this.inputs = [...inputs];
    this.outcomes = [...(opts.transferOutcomes ?? [])];
    this.recordFails = opts.recordFails === true;
  }

  get hungUp(): AbortSignal {
    return this.abort.signal;
  }

  /** Inputs the flow never asked for. */
  get unusedInputs(): readonly string[] {
    return this.inputs;
  }

  now(): number {
    return this.clock;
  }

  note(text: string): void {
    this.pending.push({ kind: 'note', text });
  }

  private say(prompts: readonly ResolvedPrompt[]): void {
    if (prompts.length === 0) return;
    this.pending.push({ kind: 'play', texts: prompts.map(describePrompt) });
    this.clock += PROMPT_MS * prompts.length;
  }

  async play(prompts: readonly ResolvedPrompt[], _opts: PlayOptions): Promise<PlayResult> {
    this.say(prompts);
    return {};
  }

  async collect(req: CollectRequest): Promise<CollectResult> {
    this.say(req.prompts);
    const input = this.inputs.shift();
    if (input === undefined) {
      this.pending.push({ kind: 'callerHangup' });
      this.abort.abort();
      return { digits: '', reason: 'timeout' };
    }
    const result = readKeys(input, req);
    this.clock += result.reason === 'timeout' ? req.firstDigitTimeoutMs : KEY_MS * Math.max(1, input.length);
    this.pending.push({ kind: 'input', input, digits: result.digits, reason: result.reason });
    return result;
  }

  async record(req: RecordRequest): Promise<RecordResult> {
    this.say(req.prompts);
    if (this.recordFails) {
      this.note('the recorder fails (simulated)');
      throw new Error('recorder unavailable (simulated)');
    }
    const path = `recordings/${req.name}.wav`;
    this.pending.push({ kind: 'record', path, maxSeconds: req.maxSeconds });
    this.clock += RECORD_MS;
    return { path, durationMs: RECORD_MS };
  }

  async transfer(destination: TransferDestination, _data: AssociatedData): Promise<TransferOutcome> {
    const outcome: TransferOutcome = (this.outcomes.length > 1
      ? this.outcomes.shift()
      : this.outcomes[0]) ?? { ok: true };
    this.pending.push({ kind: 'transfer', destination, outcome });
    return outcome;
  }

  async hangup(cause: number): Promise<void> {
    this.pending.push({ kind: 'hangup', cause });
  }

  take(): SimEvent[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }
}

/** What a scripted input gives to a collect request. */
export function readKeys(input: string, req: Pick<CollectRequest, 'max' | 'terminator'>): CollectResult {
  if (input === '') return { digits: '', reason: 'timeout' };
  const cut = req.terminator === null ? -1 : input.indexOf(req.terminator);
  const keys = cut >= 0 ? input.slice(0, cut) : input;
  if (keys.length >= req.max) return { digits: keys.slice(0, req.max), reason: 'max' };
  if (cut >= 0) return { digits: keys, reason: 'terminator' };
  return { digits: keys, reason: 'interDigitTimeout' };
}
