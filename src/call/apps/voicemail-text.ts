/**
 * What voicemail says, in zh-CN and en. Pure: every sentence is a function of its values
 * (and of the time zone for dates), so tests read the exact words. Numbers reach the TTS
 * engine already in words (see media/prompts/numbers-zh.ts for why); phone numbers are read
 * digit by digit, 1 as 幺 in Chinese.
 */
import {
  readCountZh,
  readDigitsEn,
  readDigitsZh,
  readNumberEn,
  readNumberZh,
  type PromptLang,
} from '../../media/prompts/index.js';

export type Sentence = Readonly<Record<PromptLang, string>>;

/** A number as read on the phone; an address that is not all digits is "an unknown number". */
function phone(lang: PromptLang, number: string): string {
  const digits = number.replace(/^\+/, '');
  if (!/^[0-9]{1,32}$/.test(digits)) return lang === 'zh-CN' ? '未知号码' : 'an unknown number';
  return lang === 'zh-CN' ? readDigitsZh(digits) : readDigitsEn(digits);
}

/** A mailbox: read digit by digit when it is a number, else said as written ("sales"). */
function box(lang: PromptLang, mailbox: string): string {
  return /^[0-9]+$/.test(mailbox) ? phone(lang, mailbox) : mailbox;
}

export const VM_TEXT = {
  saved: { 'zh-CN': '您的留言已保存，再见。', en: 'Your message has been saved. Goodbye.' },
  enterMailbox: {
    'zh-CN': '请输入信箱号码，以井号键结束。',
    en: 'Please enter the mailbox number, followed by the pound key.',
  },
  enterPin: {
    'zh-CN': '请输入密码，以井号键结束。',
    en: 'Please enter your PIN, followed by the pound key.',
  },
  loginIncorrect: { 'zh-CN': '密码错误。', en: 'Login incorrect.' },
  menu: {
    'zh-CN': '删除请按七，保存请按九，听下一条请按井号键，重听请按星号键。',
    en: 'To delete this message, press seven. To save it, press nine. For the next message, press pound. To hear it again, press star.',
  },
  deleted: { 'zh-CN': '留言已删除。', en: 'Message deleted.' },
  kept: { 'zh-CN': '留言已保存。', en: 'Message saved.' },
  noMore: { 'zh-CN': '没有更多留言了，再见。', en: 'There are no more messages. Goodbye.' },
  invalidKey: { 'zh-CN': '按键无效。', en: 'That key is not valid.' },
  goodbye: { 'zh-CN': '再见。', en: 'Goodbye.' },
} as const satisfies Record<string, Sentence>;

/** The greeting a mailbox without a recorded one plays: "1001 is not available …". */
export function unavailableGreeting(mailbox: string): Sentence {
  return {
    'zh-CN': `${box('zh-CN', mailbox)}现在无法接听，请在提示音后留言，按井号键结束。`,
    en: `${box('en', mailbox)} is not available. Please leave a message after the tone, and press pound when you are done.`,
  };
}

const plural = (n: number, word: string) => `${readNumberEn(n)} ${word}${n === 1 ? '' : 's'}`;

/** "You have N new messages" (and the saved ones, if any). */
export function messageSummary(newCount: number, oldCount: number): Sentence {
  if (newCount === 0 && oldCount === 0) return { 'zh-CN': '您没有留言。', en: 'You have no messages.' };
  const zhOld = oldCount > 0 ? `，${readCountZh(oldCount)}条已听留言` : '';
  const enOld = oldCount > 0 ? ` and ${plural(oldCount, 'saved message')}` : '';
  return {
    'zh-CN': `您有${readCountZh(newCount)}条新留言${zhOld}。`,
    en: `You have ${plural(newCount, 'new message')}${enOld}.`,
  };
}

export interface LocalTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

/** The wall-clock time of `ms` in `timeZone` (the process's zone when undefined). */
export function localTime(ms: number, timeZone?: string): LocalTime {
  const parts = new Intl.DateTimeFormat('en-US', {
    ...(timeZone ? { timeZone } : {}),
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(new Date(ms));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return {
    year: part('year'),
    month: part('month'),
    day: part('day'),
    hour: part('hour'),
    minute: part('minute'),
  };
}

const MONTHS_EN = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
] as const; // prettier-ignore

function dayDiff(a: LocalTime, b: LocalTime): number {
  return Math.round(
    (Date.UTC(a.year, a.month - 1, a.day) - Date.UTC(b.year, b.month - 1, b.day)) / 86_400_000,
  );
}

/** When a message came, said relative to now: today, yesterday, or the date (and the year if another). */
export function whenReceived(at: number, now: number, timeZone?: string): Sentence {
  const t = localTime(at, timeZone);
  const today = localTime(now, timeZone);
  const ago = dayDiff(today, t);
  const zhMinute = t.minute === 0 ? '整' : `${t.minute < 10 ? '零' : ''}${readNumberZh(t.minute)}分`;
  const zhDay =
    ago === 0
      ? '今天'
      : ago === 1
        ? '昨天'
        : `${t.year !== today.year ? `${readDigitsZh(String(t.year)).replace(/幺/g, '一')}年` : ''}${readNumberZh(t.month)}月${readNumberZh(t.day)}日`;
  const h12 = t.hour % 12 === 0 ? 12 : t.hour % 12;
  const enMinute =
    t.minute === 0 ? "o'clock" : t.minute < 10 ? `oh ${readNumberEn(t.minute)}` : readNumberEn(t.minute);
  const enDay =
    ago === 0
      ? 'today'
      : ago === 1
        ? 'yesterday'
        : `on ${MONTHS_EN[t.month - 1]} ${readNumberEn(t.day)}${t.year !== today.year ? `, ${readNumberEn(t.year)}` : ''}`;
  return {
    'zh-CN': `${zhDay}${readNumberZh(t.hour)}点${zhMinute}`,
    en: `${enDay} at ${readNumberEn(h12)} ${enMinute} ${t.hour < 12 ? 'in the morning' : t.hour < 18 ? 'in the afternoon' : 'in the evening'}`,
  };
}

/** Said before a message: "Message 2, from 1 3 8 …, received today at 10 32 in the morning." */
export function messageHeader(
  index: number,
  caller: string,
  receivedAt: number,
  now: number,
  timeZone?: string,
): Sentence {
  const when = whenReceived(receivedAt, now, timeZone);
  return {
    'zh-CN': `第${readNumberZh(index)}条留言，来自${phone('zh-CN', caller)}，${when['zh-CN']}。`,
    en: `Message ${readNumberEn(index)}, from ${phone('en', caller)}, received ${when.en}.`,
  };
}
