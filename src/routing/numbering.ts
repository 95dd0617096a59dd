/**
 * Chinese numbering (the national numbering plan as dialled from a fixed line in China):
 * writing a number one way, and telling what kind of number it is from its digits alone.
 *
 *   mobile       1[3-9]XXXXXXXXX (11 digits)
 *   fixed        0 + area code + subscriber: 010/02X + 8 digits, 0[3-9]XX + 7 or 8 digits
 *   toll-free    400XXXXXXX, 800XXXXXXX (10 digits, no area code)
 *   service      95XXX/96XXX (5 to 8 digits), 1XX to 1XXXX (114, 12345, 10086)
 *   subscriber   [2-9]XXXXXX(X): a local number without its area code
 *   international 00 + country code + number
 */

export type ChineseNumberKind =
  'mobile' | 'fixed' | 'toll-free' | 'service' | 'subscriber' | 'international' | 'unknown';

export interface ChineseNumber {
  /** The number in the national form normalizeNumber gives. */
  readonly number: string;
  readonly kind: ChineseNumberKind;
  /** For fixed numbers: the area code with its leading 0 (`010`, `0755`). */
  readonly areaCode?: string;
}

const MOBILE = /^1[3-9]\d{9}$/;
const FIXED_2 = /^0(10|2\d)(\d{8})$/;
const FIXED_3 = /^0([3-9]\d{2})(\d{7,8})$/;
const TOLL_FREE = /^[48]00\d{7}$/;
const SERVICE = /^(9[56]\d{3,6}|1\d{2,4})$/;
const SUBSCRIBER = /^[2-9]\d{6,7}$/;
const INTERNATIONAL = /^00[1-9]\d{4,}$/;

/** Characters people put in numbers for readability. */
const SEPARATORS = /[\s\-.()（）]/g;

/** A national significant number (after +86) in the form it is dialled inside China. */
function fromNational(nsn: string): string {
  if (nsn.startsWith('0') || MOBILE.test(nsn) || TOLL_FREE.test(nsn) || SERVICE.test(nsn)) return nsn;
  // 10 (Beijing) is an area code, not a service number, once a country code went before it.
  if (/^\d{9,11}$/.test(nsn)) return `0${nsn}`;
  return nsn;
}

/**
 * One written form per number, so lists and tables match however a caller ID arrives:
 * separators removed; `+86`/`0086` dropped (a fixed number gets its trunk 0 back);
 * `86` before a mobile and the `0` before a mobile (`013800138000`) dropped; other
 * country codes written as `00` + code. Text that is not a number is returned without
 * separators and otherwise unchanged.
 */
export function normalizeNumber(raw: string): string {
  const s = raw.trim().replace(SEPARATORS, '');
  if (/^\+\d+$/.test(s)) return s.startsWith('+86') ? fromNational(s.slice(3)) : `00${s.slice(1)}`;
  if (/^0086\d+$/.test(s)) return fromNational(s.slice(4));
  if (/^861[3-9]\d{9}$/.test(s)) return s.slice(2);
  if (/^01[3-9]\d{9}$/.test(s)) return s.slice(1);
  return s;
}

/** What kind of number `number` is, from its digits (normalised first). */
export function parseChineseNumber(raw: string): ChineseNumber {
  const number = normalizeNumber(raw);
  if (MOBILE.test(number)) return { number, kind: 'mobile' };
  const fixed = FIXED_2.exec(number) ?? FIXED_3.exec(number);
  if (fixed !== null) return { number, kind: 'fixed', areaCode: `0${fixed[1]}` };
  if (TOLL_FREE.test(number)) return { number, kind: 'toll-free' };
  if (SERVICE.test(number)) return { number, kind: 'service' };
  if (SUBSCRIBER.test(number)) return { number, kind: 'subscriber' };
  if (INTERNATIONAL.test(number)) return { number, kind: 'international' };
  return { number, kind: 'unknown' };
}

/** `010`, `10` and `0755` written the same way: with the leading 0. */
export function normalizeAreaCode(code: string): string {
  const digits = code.replace(SEPARATORS, '');
  return digits.startsWith('0') ? digits : `0${digits}`;
}
