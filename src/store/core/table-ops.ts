/**
 * What the append-heavy repositories (CDRs, IVR steps, the queue log) share: a group-commit
 * batcher that inserts a batch of rows as one multi-row INSERT (one statement, so atomic),
 * and a row count.
 */
import type { Insertable, Kysely } from 'kysely';
import type { Logger } from '../../platform/log.js';
import { closedError, wrapQuery } from '../errors.js';
import type { Database } from '../schema.js';
import { WriteBatcher, type BatcherOptions } from './batcher.js';

export interface TableBatcherOptions {
  readonly batch: Omit<BatcherOptions, 'closedError' | 'onBatchFailed'>;
  readonly logger?: Logger;
}

/** A batcher inserting into `table`; `rowsNamed(n)` names n rows in messages ("3 CDR(s)"). */
export function tableBatcher<T extends keyof Database & string>(
  db: Kysely<Database>,
  table: T,
  rowsNamed: (n: number) => string,
  opts: TableBatcherOptions,
): WriteBatcher<Insertable<Database[T]>> {
  return new WriteBatcher<Insertable<Database[T]>>(
    async (rows) => {
      await wrapQuery(
        `inserting ${rowsNamed(rows.length)}`,
        // Kysely cannot follow a generic table name to its row type; the batcher's type holds it.
        db
          .insertInto(table)
          .values([...rows] as never)
          .execute(),
      );
    },
    {
      ...opts.batch,
      closedError,
      onBatchFailed: (err, size) =>
        opts.logger?.warn({ err, size, table }, `${table} batch insert failed; retrying its rows one by one`),
    },
  );
}

/** The number of rows in `table`; `what` names the query in errors ("counting CDRs"). */
export async function countRows(
  db: Kysely<Database>,
  table: keyof Database & string,
  what: string,
): Promise<number> {
  const row = await wrapQuery(
    what,
    db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  );
  return Number(row.n);
}
