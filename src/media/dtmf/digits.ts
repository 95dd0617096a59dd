import type { DtmfDigit } from './types.js';

/** The digits in RFC 4733 §3.2 event-code order: index = event code (0–15). */
export const DTMF_DIGITS: readonly DtmfDigit[] = [
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
  '*',
  '#',
  'A',
  'B',
  'C',
  'D',
];

/** RFC 4733 §3.2: event 16 is hook flash, the only non-digit event a PBX sees in practice. */
export const FLASH_EVENT = 16;

/** Low-group (row) and high-group (column) frequencies of the keypad, ITU-T Q.23. */
export const ROW_HZ: readonly number[] = [697, 770, 852, 941];
export const COL_HZ: readonly number[] = [1209, 1336, 1477, 1633];

/** KEYPAD[row][col] is the digit sent by ROW_HZ[row] + COL_HZ[col]. */
export const KEYPAD: readonly (readonly DtmfDigit[])[] = [
  ['1', '2', '3', 'A'],
  ['4', '5', '6', 'B'],
  ['7', '8', '9', 'C'],
  ['*', '0', '#', 'D'],
];

const CODE_OF = new Map<string, number>(DTMF_DIGITS.map((d, i) => [d, i]));

export function isDtmfDigit(value: string): value is DtmfDigit {
  return CODE_OF.has(value);
}

/** The digit of an RFC 4733 event code, or undefined for codes that are not digits. */
export function digitOfEvent(code: number): DtmfDigit | undefined {
  return Number.isInteger(code) ? DTMF_DIGITS[code] : undefined;
}

/** The RFC 4733 event code of a digit. */
export function eventOfDigit(digit: DtmfDigit): number {
  return CODE_OF.get(digit) as number;
}

/** The two frequencies of a digit, in Hz. */
export function tonesOf(digit: DtmfDigit): { readonly lowHz: number; readonly highHz: number } {
  for (let r = 0; r < 4; r++) {
    const c = (KEYPAD[r] as readonly DtmfDigit[]).indexOf(digit);
    if (c >= 0) return { lowHz: ROW_HZ[r] as number, highHz: COL_HZ[c] as number };
  }
  throw new RangeError(`not a DTMF digit: ${digit}`);
}
