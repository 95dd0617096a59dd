/**
 * Reading integers aloud in Mandarin, as a person would say them on the phone. espeak-ng
 * cannot be trusted with Arabic numerals here: its cmn voice reads "105" as 一百五 (which
 * a listener hears as 150) and "20005" as 二千五, so numbers reach it already in words.
 *
 * Rules implemented (GB/T 15835 usage plus common speech):
 *   - units 十 百 千 within a group of four digits; 万 and 亿 between groups, recursively,
 *     so 10^12 is 一万亿 and 100010000 is 一亿零一万;
 *   - one 零 for any run of zeros between two spoken digits (1001 一千零一, 10010
 *     一万零一十), none for trailing zeros (110 一百一十);
 *   - a number that starts with 1 in the tens place drops the 一 (10 十, 11 十一,
 *     100000 十万), but keeps it inside a number (110 一百一十, 10010 一万零一十);
 *   - a leading 2 before 千, 万 or 亿 is 两 (2000 两千, 20005 两万零五, 2亿 两亿);
 *     elsewhere 二 (12000 一万二千, 200 二百, 22 二十二); before a measure word a bare
 *     2 is 两 too (两位, 两分钟: readCountZh), but an ordinal keeps 二 (第二位).
 *
 * Decimals, money (元角分) and dates (年月日, 号 for days) are for later issues.
 */

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'] as const;
const PLACES = ['', '十', '百', '千'] as const;

/** Reads a safe integer in Mandarin: 0 零, 105 一百零五, −3 负三. */
export function readNumberZh(n: number): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${n} is not a safe integer`);
  if (n === 0) return DIGITS[0];
  if (n < 0) return `负${readPositive(-n, true)}`;
  return readPositive(n, true);
}

/**
 * Reads a count followed by a measure word (两位, 两分钟): a bare 2 is 两 there, while
 * ordinals and plain numbers keep 二 (第二位, 二).
 */
export function readCountZh(n: number): string {
  return n === 2 ? '两' : readNumberZh(n);
}

/**
 * `leading`: nothing has been said before this part, so 一十 may shorten to 十 and a 2
 * before a unit may be 两.
 */
function readPositive(n: number, leading: boolean): string {
  if (n >= 1e8) return readSplit(n, 1e8, '亿', leading);
  if (n >= 1e4) return readSplit(n, 1e4, '万', leading);
  return readGroup(n, leading);
}

/** high·unit + low, with 零 when low does not reach the place just below the unit. */
function readSplit(n: number, size: number, unit: string, leading: boolean): string {
  const high = Math.floor(n / size);
  const low = n % size;
  // A lone leading 2 before 万/亿 is 两 (两万, 两亿), not 二万.
  const head = leading && high === 2 ? '两' : readPositive(high, leading);
  if (low === 0) return head + unit;
  const gap = low < size / 10 ? '零' : '';
  return head + unit + gap + readPositive(low, false);
}

/** 1…9999. */
function readGroup(n: number, leading: boolean): string {
  let out = '';
  let pendingZero = false;
  for (let place = 3; place >= 0; place--) {
    const d = Math.floor(n / 10 ** place) % 10;
    if (d === 0) {
      if (out !== '') pendingZero = true;
      continue;
    }
    if (pendingZero) out += DIGITS[0];
    pendingZero = false;
    const first = out === '';
    out += digitWord(d, place, first && leading) + PLACES[place];
  }
  return out;
}

function digitWord(d: number, place: number, firstOfNumber: boolean): string {
  if (firstOfNumber && d === 1 && place === 1) return ''; // 十, 十一 …
  if (firstOfNumber && d === 2 && place === 3) return '两'; // 两千
  return DIGITS[d]!;
}

/** Reads a digit string one digit at a time, as phone numbers are read: 1 is 幺. */
export function readDigitsZh(digits: string): string {
  return Array.from(digits, (c) => {
    const d = '0123456789'.indexOf(c);
    if (d < 0) throw new RangeError(`${JSON.stringify(c)} is not a decimal digit`);
    return d === 1 ? '幺' : DIGITS[d]!;
  }).join('');
}
