/**
 * Associated data (随路数据) edits from the desktop, as a pure function: merge (null deletes
 * a key) or replace, bounded so that the call's data never passes what the protocol carries.
 */
import type { CallDataValue } from '../../call/control/types.js';
import { CtiError } from '../errors.js';
import { MAX_DATA_KEYS, type AssociatedData } from '../protocol.js';

/** The call's data after the edit; throws BAD_REQUEST (field `data`) when it would pass the bound. */
export function applyDataEdit(
  current: Readonly<Record<string, CallDataValue>>,
  edit: AssociatedData,
  merge: boolean,
  maxKeys: number = MAX_DATA_KEYS,
): Record<string, CallDataValue> {
  const next: Record<string, CallDataValue> = merge ? { ...current } : {};
  for (const [key, value] of Object.entries(edit)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  const keys = Object.keys(next).length;
  if (keys > maxKeys) {
    throw new CtiError(
      'BAD_REQUEST',
      `data: the call would carry ${keys} keys; at most ${maxKeys} are allowed`,
      { field: 'data' },
    );
  }
  return next;
}
