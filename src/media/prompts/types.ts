import { DTMF_DIGITS } from '../dtmf/digits.js';
import type { DtmfDigit } from '../dtmf/types.js';
import type { TtsLang } from '../tts/index.js';

export type PromptLang = TtsLang;

/** The sixteen DTMF keys (RFC 4733 events 0–15): the DTMF module's list, named for prompts. */
export type DtmfKey = DtmfDigit;
export const DTMF_KEYS: readonly DtmfKey[] = DTMF_DIGITS;

/** Empty parameter object of prompts that take none. */
export type NoParams = Readonly<Record<string, never>>;

/** Every system prompt and the parameters its text needs. */
export interface PromptParamMap {
  /** One DTMF key: "5", "star"; 五, 星号. */
  digit: { readonly key: DtmfKey };
  /** A string of DTMF keys read one by one (a phone or extension number). */
  digits: { readonly keys: string };
  /** An integer in words. */
  number: { readonly n: number };
  welcome: NoParams;
  'please-hold': NoParams;
  'please-enter': NoParams;
  'enter-extension': NoParams;
  'invalid-input': NoParams;
  'number-not-exist': NoParams;
  goodbye: NoParams;
  /** "You are number N in line": the caller's place, 1 being the next to be answered. */
  'queue-position': { readonly position: number };
  /** "There are N callers ahead of you" (您前面还有N位): 0 means the caller is next. */
  'callers-ahead': { readonly count: number };
  /** "The estimated wait is N minutes" (预计等待N分钟); 0 reads as less than a minute. */
  'estimated-wait': { readonly minutes: number };
  /** "Agent number 1002 is serving you" (工号幺零零二为您服务): the agent's number read digit by digit. */
  'agent-number': { readonly digits: string };
  /** "To be called back without losing your place, press K" (queue callback offer). */
  'callback-offer': { readonly key: DtmfKey };
  /** "We will call you back at <digits> as soon as an agent is free. Goodbye." */
  'callback-confirm': { readonly keys: string };
}

export type PromptId = keyof PromptParamMap;

export type PromptParams<I extends PromptId> = PromptParamMap[I];

/** The parameters argument: optional for prompts that take none, required otherwise. */
export type PromptArgs<I extends PromptId> = PromptParamMap[I] extends NoParams
  ? [params?: NoParams]
  : [params: PromptParamMap[I]];
