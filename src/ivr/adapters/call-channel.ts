/**
 * The IvrChannel of a real call: an answered inbound leg under call control. Prompts become
 * PlayItems (TTS through the Speech cache, files under the prompts folder), input comes from
 * the leg's DTMF buffer (keys pressed during a barge-in prompt stay there for the next input
 * node), recordings go through call control's recorder, and a transfer is handed to the
 * destination runner the caller of `callChannel` gives.
 */
import { isAbsolute, join } from 'node:path';
import type { Call } from '../../call/control/call.js';
import type { CallControl } from '../../call/control/control.js';
import type { Leg } from '../../call/control/leg.js';
import type { Speech } from '../../call/control/speech.js';
import type { PlayItem } from '../../media/index.js';
import type { PromptSpec } from '../../routing/types.js';
import { resolvePrompt } from '../prompts.js';
import type { TransferDestination } from '../schema-values.js';
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
} from '../types.js';

export interface CallChannelDeps {
  readonly control: CallControl;
  readonly speech: Speech;
  /** Relative prompt files are taken from here. */
  readonly promptsDir: string;
  /** Hands the call to a destination; resolves once it took the call or refused it. */
  /** The time the flow sees (DATE, TIME, schedules); the call-control clock by default. */
  readonly now?: () => number;
  readonly transfer: (
    call: Call,
    leg: Leg,
    dest: TransferDestination,
    data: AssociatedData,
  ) => Promise<TransferOutcome>;
}

/** SIP status for a Q.850 cause, for a leg not yet answered (an answered leg just gets BYE). */
function statusOfCause(cause: number): number {
  if (cause === 17) return 486;
  if (cause === 21) return 603;
  if (cause === 1) return 404;
  return 480;
}

/** Resolved prompts as what the media engine plays: TTS through the cache, files under promptsDir. */
export async function playItems(
  speech: Speech,
  promptsDir: string,
  prompts: readonly ResolvedPrompt[],
): Promise<PlayItem[]> {
  const out: PlayItem[] = [];
  for (const p of prompts) {
    switch (p.kind) {
      case 'file':
        out.push({ file: isAbsolute(p.file) ? p.file : join(promptsDir, p.file) });
        break;
      case 'silence':
        out.push({ silenceMs: p.silenceMs });
        break;
      case 'tts':
      case 'say':
      case 'system':
        out.push(...(await speech.text(p.text, p.lang)));
        break;
    }
  }
  return out;
}

/**
 * Prompts written in configuration (announcements, queue greetings) as PlayItems: resolved in
 * the speech language with no variables, then as `playItems`. Throws IvrError for a prompt
 * that cannot be read (an unknown system prompt, a say-value of the wrong form).
 */
export function configuredPrompts(
  speech: Speech,
  promptsDir: string,
  specs: readonly PromptSpec[],
): Promise<PlayItem[]> {
  return playItems(
    speech,
    promptsDir,
    specs.map((p) => resolvePrompt(p, speech.lang, () => undefined)),
  );
}

export function callChannel(deps: CallChannelDeps, call: Call, leg: Leg): IvrChannel {
  const abort = new AbortController();
  if (leg.isEnded) abort.abort();
  else leg.once('ended', () => abort.abort());
  const clock = deps.control.ctx.clock;

  const items = (prompts: readonly ResolvedPrompt[]) => playItems(deps.speech, deps.promptsDir, prompts);

  /** The first buffered key, without taking it. */
  function bufferedKey(): string | undefined {
    return leg.pendingDigits().at(0);
  }

  async function play(prompts: readonly ResolvedPrompt[], opts: PlayOptions): Promise<PlayResult> {
    if (opts.bargeIn && bufferedKey() !== undefined) return { digit: bufferedKey()! };
    const end = await leg.play(await items(prompts), { interruptOnDtmf: opts.bargeIn });
    if (end === 'failed') throw new Error('the prompt could not be played');
    const digit = opts.bargeIn ? bufferedKey() : undefined;
    return digit === undefined ? {} : { digit };
  }

  async function collect(req: CollectRequest): Promise<CollectResult> {
    if (bufferedKey() === undefined && req.prompts.length > 0) {
      await play(req.prompts, { lang: req.lang, bargeIn: true });
    }
    let digits = '';
    let timeout = req.firstDigitTimeoutMs;
    for (;;) {
      if (leg.isEnded) return { digits, reason: 'timeout' };
      const d = await leg.nextDigit(timeout);
      if (d === null) return { digits, reason: digits === '' ? 'timeout' : 'interDigitTimeout' };
      if (req.terminator !== null && d === req.terminator) return { digits, reason: 'terminator' };
      digits += d;
      if (digits.length >= req.max) return { digits, reason: 'max' };
      timeout = req.interDigitTimeoutMs;
    }
  }

  async function record(req: RecordRequest): Promise<RecordResult> {
    if (req.prompts.length > 0) await leg.play(await items(req.prompts));
    if (req.beep) await leg.play([{ tone: 'callWaiting', durationMs: 300 }]);
    const recId = await deps.control.startRecording(call, leg, null);
    if (!recId) throw new Error('the recorder could not start');
    leg.clearDigits();
    const deadline = clock.now() + req.maxSeconds * 1000;
    for (;;) {
      const left = deadline - clock.now();
      if (left <= 0 || leg.isEnded) break;
      const d = await leg.nextDigit(left);
      if (d === null || d === req.terminator) break;
    }
    const stopped = await deps.control.stopRecording(recId);
    if (!stopped) throw new Error('the recording was lost');
    return { path: stopped.file.path, durationMs: stopped.file.durationMs };
  }

  return {
    hungUp: abort.signal,
    now: () => (deps.now ? deps.now() : clock.now()),
    play,
    collect,
    record,
    transfer: (dest, data) => deps.transfer(call, leg, dest, data),
    hangup: (cause) => {
      if (!leg.isEnded) leg.hangup(statusOfCause(cause), `IVR hang-up (cause ${cause})`);
      return Promise.resolve();
    },
  };
}
