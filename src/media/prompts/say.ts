/**
 * Values read out to a caller as words, in zh-CN and en: numbers with decimals, digit
 * strings, dates, times of day and sums of money. The IVR's `say` prompts go through
 * here; the text is then spoken by the TTS engine like any sentence (see numbers-zh.ts
 * for why numbers reach the engine already in words).
 *
 * Choices where usage varies:
 *   - zh-CN dates read the year digit by digit with 一 (not 幺) and end the day with 号,
 *     as said on the phone: 二零二六年十月一号. en dates are American: "October first,
 *     twenty twenty-six".
 *   - zh-CN times use the 24-hour clock (十四点零五分, 九点整); en times use a.m./p.m.
 *     ("two oh five p.m.", "twelve noon"). Seconds are read only when not zero.
 *   - Money is in yuan: 十二元五角, 十二元零五分, 十二元整; "twelve yuan fifty",
 *     "twelve yuan oh five", "fifty fen".
 */
import { PromptError } from './errors.js';
import { readNumberEn } from './numbers-en.js';
import { readCountZh, readNumberZh } from './numbers-zh.js';
import { promptText } from './text.js';
import type { PromptLang } from './types.js';

/** What a value is read as; the same words as the IVR's `say` prompts. */
export type SayValueKind = 'number' | 'digits' | 'date' | 'time' | 'money';

export const SAY_VALUE_KINDS: readonly SayValueKind[] = ['number', 'digits', 'date', 'time', 'money'];

const ZH_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'] as const;
const EN_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

function invalid(kind: SayValueKind, value: string, expected: string): PromptError {
  return new PromptError(
    'PROMPT_INVALID_PARAMS',
    `cannot read ${JSON.stringify(value)} as ${kind}: expected ${expected}`,
    {
      kind,
      value,
    },
  );
}

function safeInt(text: string, kind: SayValueKind, value: string, expected: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw invalid(kind, value, expected);
  return n;
}

/** The words of `value` read as `kind` in `lang`. Throws PromptError PROMPT_INVALID_PARAMS. */
export function sayValue(kind: SayValueKind, value: string, lang: PromptLang): string {
  switch (kind) {
    case 'number':
      return sayDecimal(value, lang);
    case 'digits':
      return sayDigits(value, lang);
    case 'date':
      return sayDate(value, lang);
    case 'time':
      return sayTime(value, lang);
    case 'money':
      return sayMoney(value, lang);
  }
}

/** A number with optional decimals: "-12.05" → 负十二点零五, "minus twelve point zero five". */
export function sayDecimal(value: string, lang: PromptLang): string {
  const expected = 'a number such as 42 or -3.5';
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!m) throw invalid('number', value, expected);
  const whole = safeInt(m[2]!, 'number', value, expected);
  const fraction = m[3] ?? '';
  const negative = m[1] !== undefined && (whole !== 0 || /[1-9]/.test(fraction));
  if (lang === 'zh-CN') {
    const frac = fraction === '' ? '' : `点${Array.from(fraction, (d) => ZH_DIGITS[Number(d)]).join('')}`;
    return `${negative ? '负' : ''}${readNumberZh(whole)}${frac}`;
  }
  const frac =
    fraction === '' ? '' : ` point ${Array.from(fraction, (d) => readNumberEn(Number(d))).join(' ')}`;
  return `${negative ? 'minus ' : ''}${readNumberEn(whole)}${frac}`;
}

/** Keys read one by one, as phone numbers are (幺 for 1 in Chinese): 0-9, * and #. */
export function sayDigits(value: string, lang: PromptLang): string {
  const keys = value.trim();
  if (!/^[0-9*#A-D]{1,64}$/.test(keys)) throw invalid('digits', value, '1 to 64 keys of 0-9 * # A-D');
  return promptText('digits', lang, { keys });
}

function parseDate(value: string): { y: number; m: number; d: number } {
  const match = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(value.trim());
  const expected = 'a date YYYYMMDD or YYYY-MM-DD';
  if (!match) throw invalid('date', value, expected);
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (m < 1 || m > 12 || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) {
    throw invalid('date', value, `${expected} that exists in the calendar`);
  }
  return { y, m, d };
}

/** A date "20261001" or "2026-10-01": 二零二六年十月一号, "October first, twenty twenty-six". */
export function sayDate(value: string, lang: PromptLang): string {
  const { y, m, d } = parseDate(value);
  if (lang === 'zh-CN') {
    const year = Array.from(String(y), (c) => ZH_DIGITS[Number(c)]).join('');
    return `${year}年${readNumberZh(m)}月${readNumberZh(d)}号`;
  }
  return `${EN_MONTHS[m - 1]!} ${ordinalEn(d)}, ${readYearEn(y)}`;
}

/** "first", "twenty-second", "thirtieth": the last word of the number made ordinal. */
export function ordinalEn(n: number): string {
  const words = readNumberEn(n);
  const irregular: Readonly<Record<string, string>> = {
    one: 'first',
    two: 'second',
    three: 'third',
    five: 'fifth',
    eight: 'eighth',
    nine: 'ninth',
    twelve: 'twelfth',
  };
  const m = /([a-z]+)$/.exec(words);
  const last = m?.[1] ?? words;
  const stem = words.slice(0, words.length - last.length);
  if (irregular[last] !== undefined) return stem + irregular[last];
  if (last.endsWith('y')) return `${stem}${last.slice(0, -1)}ieth`;
  return `${words}th`;
}

/** Years as said aloud: 1999 "nineteen ninety-nine", 2005 "two thousand and five", 2026 "twenty twenty-six". */
export function readYearEn(y: number): string {
  if (y < 1000 || y % 1000 === 0 || (y >= 2000 && y < 2010)) return readNumberEn(y);
  const high = Math.floor(y / 100);
  const low = y % 100;
  if (low === 0) return `${readNumberEn(high)} hundred`;
  if (low < 10) return `${readNumberEn(high)} oh ${readNumberEn(low)}`;
  return `${readNumberEn(high)} ${readNumberEn(low)}`;
}

function parseTime(value: string): { h: number; m: number; s: number } {
  const match = /^(\d{2}):?(\d{2})(?::?(\d{2}))?$/.exec(value.trim());
  if (!match) throw invalid('time', value, 'a time hhmmss, hhmm, hh:mm or hh:mm:ss');
  const [h, m, s] = [Number(match[1]), Number(match[2]), Number(match[3] ?? '0')];
  if (h > 23 || m > 59 || s > 59) throw invalid('time', value, 'hours 00-23, minutes and seconds 00-59');
  return { h, m, s };
}

/** A time of day "143005" or "14:30": 十四点三十分五秒, "two thirty p.m. and five seconds". */
export function sayTime(value: string, lang: PromptLang): string {
  const { h, m, s } = parseTime(value);
  if (lang === 'zh-CN') {
    const hour = `${h === 2 ? '两' : readNumberZh(h)}点`;
    const seconds = s === 0 ? '' : `${readNumberZh(s)}秒`;
    if (m === 0 && s === 0) return `${hour}整`;
    const minutes = m === 0 ? '零分' : `${m < 10 ? '零' : ''}${readNumberZh(m)}分`;
    return hour + minutes + seconds;
  }
  const seconds = s === 0 ? '' : ` and ${readNumberEn(s)} second${s === 1 ? '' : 's'}`;
  if (m === 0 && (h === 0 || h === 12)) return `twelve ${h === 0 ? 'midnight' : 'noon'}${seconds}`;
  const hour = readNumberEn(h % 12 === 0 ? 12 : h % 12);
  const minutes = m === 0 ? '' : m < 10 ? ` oh ${readNumberEn(m)}` : ` ${readNumberEn(m)}`;
  return `${hour}${minutes} ${h < 12 ? 'a.m.' : 'p.m.'}${seconds}`;
}

/** A sum in yuan with up to two decimals: "12.50" → 十二元五角, "twelve yuan fifty". */
export function sayMoney(value: string, lang: PromptLang): string {
  const expected = 'an amount such as 12, 12.5 or 12.05';
  const match = /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(value.trim());
  if (!match) throw invalid('money', value, expected);
  const yuan = safeInt(match[2]!, 'money', value, expected);
  const decimals = (match[3] ?? '').padEnd(2, '0');
  const jiao = Number(decimals[0]);
  const fen = Number(decimals[1]);
  const zero = yuan === 0 && jiao === 0 && fen === 0;
  const sign = match[1] !== undefined && !zero ? (lang === 'zh-CN' ? '负' : 'minus ') : '';
  return sign + (lang === 'zh-CN' ? moneyZh(yuan, jiao, fen) : moneyEn(yuan, jiao * 10 + fen));
}

function moneyZh(yuan: number, jiao: number, fen: number): string {
  if (yuan === 0 && jiao === 0 && fen === 0) return '零元';
  let out = yuan > 0 ? `${readCountZh(yuan)}元` : '';
  if (jiao === 0 && fen === 0) return `${out}整`;
  if (jiao > 0) out += `${readCountZh(jiao)}角`;
  else if (yuan > 0) out += '零';
  if (fen > 0) out += `${readCountZh(fen)}分`;
  return out;
}

function moneyEn(yuan: number, cents: number): string {
  if (cents === 0) return `${readNumberEn(yuan)} yuan`;
  if (yuan === 0) return `${readNumberEn(cents)} fen`;
  return `${readNumberEn(yuan)} yuan ${cents < 10 ? 'oh ' : ''}${readNumberEn(cents)}`;
}
