/**
 * `%XX` escaping of URI components (RFC 3261 §19.1.2, §25.1). Each component has its own
 * set of characters that may appear unescaped; anything else is written as the
 * percent-encoded UTF-8 bytes of the character.
 */
import { UNRESERVED, charClass } from './syntax.js';

/** user-unreserved (RFC 3261 §25.1) — what `formatUri` leaves unescaped in the user part. */
export const USER = charClass(UNRESERVED + '&=+$,;?/');
/**
 * What `parseUri` accepts unescaped in the user part: the RFC set plus `#`, which phones
 * put raw into feature codes such as `*67#` although §25.1 wants it escaped. Formatting
 * escapes it again.
 */
export const USER_LENIENT = charClass(UNRESERVED + '&=+$,;?/#');
export const PASSWORD = charClass(UNRESERVED + '&=+$,');
/** paramchar = param-unreserved / unreserved / escaped */
export const PARAM = charClass(UNRESERVED + '[]/:&+$');
/** hname / hvalue characters: hnv-unreserved / unreserved / escaped */
export const HNV = charClass(UNRESERVED + '[]/?:+$');
/** Host names: RFC 3261 hostname characters, plus `_` which real deployments use in names. */
export const HOST = charClass('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._');
/** tel: numbers (RFC 3966): digits, hex digits, visual separators, `*`, `#`, `+`, pauses. */
export const ALPHA_NUM_TEL = charClass('0123456789abcdefABCDEF*#+-.()pPwW');

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10;
  return -1;
}

/**
 * Checks `s` against `table` and resolves `%XX` escapes. Returns undefined when a character
 * is not allowed, an escape is malformed, or the escaped bytes are not valid UTF-8.
 */
export function unescapeComponent(s: string, table: Uint8Array, allowEmpty = false): string | undefined {
  if (s.length === 0) return allowEmpty ? '' : undefined;
  let escapes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      if (hexValue(s.charCodeAt(i + 1)) < 0 || hexValue(s.charCodeAt(i + 2)) < 0) return undefined;
      escapes++;
      i += 2;
    } else if (c >= 128 || table[c] !== 1) {
      return undefined;
    }
  }
  if (escapes === 0) return s;
  const bytes = Buffer.allocUnsafe(s.length - 2 * escapes);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      bytes[n++] = hexValue(s.charCodeAt(i + 1)) * 16 + hexValue(s.charCodeAt(i + 2));
      i += 2;
    } else {
      bytes[n++] = c;
    }
  }
  const text = bytes.toString('utf8', 0, n);
  return text.includes('\uFFFD') ? undefined : text;
}

const HEX = '0123456789ABCDEF';

/** Escapes every character of `s` that is not in `table` as `%XX` of its UTF-8 bytes. */
export function escapeComponent(s: string, table: Uint8Array): string {
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c >= 128 || table[c] !== 1) break;
    i++;
  }
  if (i === s.length) return s;
  const parts: string[] = [s.slice(0, i)];
  while (i < s.length) {
    const start = i;
    while (i < s.length && s.charCodeAt(i) < 128 && table[s.charCodeAt(i)] === 1) i++;
    if (i > start) parts.push(s.slice(start, i));
    const runStart = i;
    while (i < s.length && (s.charCodeAt(i) >= 128 || table[s.charCodeAt(i)] !== 1)) i++;
    if (i > runStart) {
      // Buffer.from never throws (a lone surrogate becomes U+FFFD), unlike encodeURIComponent.
      for (const byte of Buffer.from(s.slice(runStart, i), 'utf8')) {
        parts.push('%', HEX.charAt(byte >> 4), HEX.charAt(byte & 15));
      }
    }
  }
  return parts.join('');
}
