import type { CallData, CallQuality, CdrRecord } from '../../report/cdr.js';
import { invalid, requireNumberIn } from '../core/validate.js';
import type { CdrRow, NewCdrRow } from '../schema.js';

/*
 * The CDR columns added by 0002_media: call quality (four numbers, set together) and the
 * call's data (a flat JSON object). Kept apart from cdrs.ts, which maps the core columns.
 * Leg rows (cdr-legs.ts) have the same quality columns.
 */

const WHAT = 'CDR';
/** Longest call data accepted, as JSON text: associated data is a few keys, not a document. */
export const MAX_CDR_DATA_LENGTH = 16_384;

type QualityColumns = Pick<NewCdrRow, 'mos' | 'loss_percent' | 'jitter_ms' | 'rtt_ms'>;

/** `what` names the record in errors (a CDR, a CDR leg). */
export function toQualityColumns(quality: CdrRecord['quality'], what = WHAT): QualityColumns {
  if (quality === undefined || quality === null) {
    return { mos: null, loss_percent: null, jitter_ms: null, rtt_ms: null };
  }
  if (typeof quality !== 'object') throw invalid(what, 'quality', 'must be an object');
  return {
    // The E-model's MOS scale (ITU-T G.107) runs from 1 to 5.
    mos: requireNumberIn(what, 'quality.mos', quality.mos, 1, 5),
    loss_percent: requireNumberIn(what, 'quality.lossPercent', quality.lossPercent, 0, 100),
    jitter_ms: requireNumberIn(what, 'quality.jitterMs', quality.jitterMs, 0, Infinity),
    rtt_ms:
      quality.rttMs === null ? null : requireNumberIn(what, 'quality.rttMs', quality.rttMs, 0, Infinity),
  };
}

/** Quality is read back only when its three measured parts are all there. */
export function fromQualityColumns(r: Pick<CdrRow, keyof QualityColumns>): CallQuality | undefined {
  if (r.mos === null || r.loss_percent === null || r.jitter_ms === null) return undefined;
  return {
    mos: Number(r.mos),
    lossPercent: Number(r.loss_percent),
    jitterMs: Number(r.jitter_ms),
    rttMs: r.rtt_ms === null ? null : Number(r.rtt_ms),
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isScalar(value: unknown): value is string | number | boolean {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

export function toDataColumn(data: CdrRecord['data']): string | null {
  if (data === undefined || data === null) return null;
  if (!isPlainObject(data)) throw invalid(WHAT, 'data', 'must be a mapping of names to values');
  for (const [key, value] of Object.entries(data)) {
    if (key === '') throw invalid(WHAT, 'data', 'must not have an empty key');
    if (!isScalar(value)) {
      throw invalid(WHAT, `data.${key}`, 'must be a string, a finite number or a boolean');
    }
  }
  const json = JSON.stringify(data);
  if (json.length > MAX_CDR_DATA_LENGTH) {
    throw invalid(WHAT, 'data', `must be at most ${MAX_CDR_DATA_LENGTH} characters as JSON`);
  }
  return json;
}

/**
 * The database's CHECK makes the column a JSON object; anything else (only possible when
 * written around the repository) is left out rather than failing the whole read.
 */
export function fromDataColumn(json: string | null): CallData | undefined {
  if (json === null) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined; // not JSON: nothing to read back; the row's other columns still are
  }
  if (!isPlainObject(parsed)) return undefined;
  // fromEntries defines own properties, so even a key named __proto__ reads back as written.
  return Object.fromEntries(Object.entries(parsed).filter(([, value]) => isScalar(value))) as CallData;
}
