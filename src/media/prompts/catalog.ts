import { readDigitsEn, readNumberEn } from './numbers-en.js';
import { readCountZh, readDigitsZh, readNumberZh } from './numbers-zh.js';
import type { DtmfKey, PromptId, PromptLang, PromptParamMap } from './types.js';

/**
 * The text of every system prompt in each language. Numbers are spelled out in words
 * (see numbers-zh.ts for why), and each prompt is a whole sentence so that the engine
 * gives it natural intonation; sentences with a number are synthesized whole and cached
 * per value.
 */

type Templates = { readonly [I in PromptId]: (params: PromptParamMap[I]) => string };

/** Keys as read on the phone in China: 1 is 幺 (yāo), as in 幺幺零. */
const KEY_ZH: Readonly<Record<DtmfKey, string>> = {
  ...digitWords(readDigitsZh),
  '*': '星号',
  '#': '井号',
  A: 'A',
  B: 'B',
  C: 'C',
  D: 'D',
};

const KEY_EN: Readonly<Record<DtmfKey, string>> = {
  ...digitWords(readDigitsEn),
  '*': 'star',
  '#': 'pound',
  A: 'A',
  B: 'B',
  C: 'C',
  D: 'D',
};

const ZH: Templates = {
  digit: ({ key }) => KEY_ZH[key],
  digits: ({ keys }) => Array.from(keys, (k) => KEY_ZH[k as DtmfKey]).join(''),
  number: ({ n }) => readNumberZh(n),
  welcome: () => '您好，欢迎致电。',
  'please-hold': () => '请稍候。',
  'please-enter': () => '请输入。',
  'enter-extension': () => '请输入分机号码，以井号键结束。',
  'invalid-input': () => '输入有误，请重新输入。',
  'number-not-exist': () => '您拨打的号码不存在，请查证后再拨。',
  goodbye: () => '感谢您的来电，再见。',
  'queue-position': ({ position }) => `您现在排在第${readNumberZh(position)}位。`,
  'callers-ahead': ({ count }) => (count === 0 ? '您是下一位。' : `您前面还有${readCountZh(count)}位。`),
  'estimated-wait': ({ minutes }) =>
    minutes === 0 ? '预计等待不到一分钟。' : `预计等待${readCountZh(minutes)}分钟。`,
  'agent-number': ({ digits }) => `工号${readDigitsZh(digits)}为您服务。`,
  'callback-offer': ({ key }) => `如需回电，请按${KEY_ZH[key]}键，我们将为您保留排队位置。`,
  'callback-confirm': ({ keys }) =>
    `我们将在座席空闲时回电至${Array.from(keys, (k) => KEY_ZH[k as DtmfKey]).join('')}，再见。`,
};

const EN: Templates = {
  digit: ({ key }) => KEY_EN[key],
  digits: ({ keys }) => Array.from(keys, (k) => KEY_EN[k as DtmfKey]).join(', '),
  number: ({ n }) => readNumberEn(n),
  welcome: () => 'Welcome, thank you for calling.',
  'please-hold': () => 'Please hold.',
  'please-enter': () => 'Please enter.',
  'enter-extension': () => 'Please enter the extension number, followed by the pound key.',
  'invalid-input': () => 'Invalid input. Please try again.',
  'number-not-exist': () =>
    'The number you have dialed does not exist. Please check the number and dial again.',
  goodbye: () => 'Thank you for calling. Goodbye.',
  'queue-position': ({ position }) =>
    position === 1 ? 'You are next in line.' : `You are number ${readNumberEn(position)} in line.`,
  'callers-ahead': ({ count }) =>
    count === 0
      ? 'You are next.'
      : count === 1
        ? 'There is one caller ahead of you.'
        : `There are ${readNumberEn(count)} callers ahead of you.`,
  'estimated-wait': ({ minutes }) =>
    minutes === 0
      ? 'The estimated wait is less than a minute.'
      : minutes === 1
        ? 'The estimated wait is one minute.'
        : `The estimated wait is ${readNumberEn(minutes)} minutes.`,
  'agent-number': ({ digits }) => `Agent number ${readDigitsEn(digits)} is serving you.`,
  'callback-offer': ({ key }) => `To be called back without losing your place in line, press ${KEY_EN[key]}.`,
  'callback-confirm': ({ keys }) =>
    `We will call you back at ${Array.from(keys, (k) => KEY_EN[k as DtmfKey]).join(', ')} as soon as an agent is free. Goodbye.`,
};

export const TEMPLATES: Readonly<Record<PromptLang, Templates>> = { 'zh-CN': ZH, en: EN };

type DecimalKey = Exclude<DtmfKey, '*' | '#' | 'A' | 'B' | 'C' | 'D'>;

function digitWords(read: (digits: string) => string): Record<DecimalKey, string> {
  const out = {} as Record<DecimalKey, string>;
  for (const d of '0123456789') out[d as DecimalKey] = read(d);
  return out;
}
