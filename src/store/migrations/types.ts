import type { Kysely } from 'kysely';
import type { StoreKind } from '../types.js';

/**
 * One schema version. `up` receives the connection inside the migration's transaction
 * and the dialect, for the rare statement that cannot be written once for both.
 * A migration is history: once released it is never edited, only followed by another.
 */
export interface Migration {
  readonly version: number;
  /** snake_case; the migration is called `${0001}_${name}` in messages. */
  readonly name: string;
  up(db: Kysely<unknown>, kind: StoreKind): Promise<void>;
}

export function migrationLabel(m: Pick<Migration, 'version' | 'name'>): string {
  return `${String(m.version).padStart(4, '0')}_${m.name}`;
}
