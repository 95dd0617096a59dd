/**
 * Reading integers aloud in English, in words, with the short scale and "and" before the
 * last tens and units as announcements say it: 105 "one hundred and five", 2001 "two
 * thousand and one", 21 "twenty-one". Words rather than digits keep the reading the same
 * whatever the engine's own number rules are. Decimals, money and dates: later issues.
 */

const SMALL = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
] as const;
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'] as const;
const SCALES = ['', 'thousand', 'million', 'billion', 'trillion', 'quadrillion'] as const;

/** Reads a safe integer in English: 0 "zero", 1005 "one thousand and five", −3 "minus three". */
export function readNumberEn(n: number): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${n} is not a safe integer`);
  if (n === 0) return SMALL[0];
  if (n < 0) return `minus ${readNumberEn(-n)}`;
  const groups: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 1000)) groups.push(rest % 1000);
  const words: string[] = [];
  for (let i = groups.length - 1; i >= 0; i--) {
    const g = groups[i]!;
    if (g === 0) continue;
    // "and" joins a final group below one hundred to what came before: "one thousand and five".
    if (i === 0 && g < 100 && words.length > 0) words.push('and');
    words.push(readBelowThousand(g));
    if (i > 0) words.push(SCALES[i]!);
  }
  return words.join(' ');
}

function readBelowThousand(n: number): string {
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  const parts: string[] = [];
  if (hundreds > 0) parts.push(`${SMALL[hundreds]!} hundred`);
  if (rest > 0) {
    if (hundreds > 0) parts.push('and');
    parts.push(readBelowHundred(rest));
  }
  return parts.join(' ');
}

function readBelowHundred(n: number): string {
  if (n < 20) return SMALL[n]!;
  const unit = n % 10;
  const tens = TENS[Math.floor(n / 10)]!;
  return unit === 0 ? tens : `${tens}-${SMALL[unit]!}`;
}

/** Reads a digit string one digit at a time ("zero" for 0, as telephone numbers are read). */
export function readDigitsEn(digits: string): string {
  return Array.from(digits, (c) => {
    const d = '0123456789'.indexOf(c);
    if (d < 0) throw new RangeError(`${JSON.stringify(c)} is not a decimal digit`);
    return SMALL[d]!;
  }).join(' ');
}
