/**
 * System prompts in zh-CN and en: their text (pure functions over a typed catalogue),
 * numbers read in words, and the preparation of their audio in the TTS cache.
 * Money and dates (元角分, 年月日) are left for the issues that need them.
 */
export { PromptError, type PromptErrorCode } from './errors.js';
export { DTMF_KEYS } from './types.js';
export type {
  DtmfKey,
  NoParams,
  PromptArgs,
  PromptId,
  PromptLang,
  PromptParamMap,
  PromptParams,
} from './types.js';
export { promptRequest, promptText, sayNumber } from './text.js';
export { readCountZh, readDigitsZh, readNumberZh } from './numbers-zh.js';
export { readDigitsEn, readNumberEn } from './numbers-en.js';
export {
  preparePrompts,
  systemPrompts,
  type FailedPrompt,
  type PreparedPrompt,
  type PreparePromptsOptions,
  type PreparePromptsReport,
  type PromptEntry,
} from './prepare.js';
