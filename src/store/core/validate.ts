import { StoreError } from '../errors.js';

/*
 * Checks made before a row is queued, so that bad input fails alone with a clear field
 * name instead of failing a whole batch in the database (the CHECK constraints remain
 * as the last line of defence).
 */

export function invalid(what: string, field: string, why: string): StoreError {
  return new StoreError('STORE_INVALID_RECORD', `invalid ${what}: ${field} ${why}`, { field });
}

export function requireString(what: string, field: string, value: unknown): string {
  if (typeof value !== 'string') throw invalid(what, field, 'must be a string');
  return value;
}

export function requireNonEmpty(what: string, field: string, value: unknown): string {
  const s = requireString(what, field, value);
  if (s === '') throw invalid(what, field, 'must not be empty');
  return s;
}

export function optionalString(what: string, field: string, value: unknown): string | null {
  return value === undefined || value === null ? null : requireString(what, field, value);
}

/** Times are integer ms since the epoch; anything else would be stored lossily. */
export function requireTime(what: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalid(what, field, 'must be a non-negative integer number of milliseconds');
  }
  return value;
}

export function optionalTime(what: string, field: string, value: unknown): number | null {
  return value === undefined || value === null ? null : requireTime(what, field, value);
}

export function requireIntIn(what: string, field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(what, field, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

export function requireOneOf<T extends string>(
  what: string,
  field: string,
  value: unknown,
  allowed: readonly T[],
): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalid(what, field, `must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
  }
  return value as T;
}

/** A finite number in [min, max]: NaN and ±Infinity would not survive both databases alike. */
export function requireNumberIn(
  what: string,
  field: string,
  value: unknown,
  min: number,
  max: number,
): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    const range = max === Infinity ? `a finite number of at least ${min}` : `a number from ${min} to ${max}`;
    throw invalid(what, field, `must be ${range}`);
  }
  return value;
}

/** Sizes and counts: safe integers from 0, so a bigint column gives back the same number. */
export function requireCount(what: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalid(what, field, 'must be a non-negative integer');
  }
  return value;
}
