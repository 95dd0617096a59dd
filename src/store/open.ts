import type { Kysely } from 'kysely';
import type { Logger } from '../platform/log.js';
import { openPostgres } from './adapters/postgres.js';
import { openSqlite } from './adapters/sqlite.js';
import { StoreLifecycle } from './core/state.js';
import { parseTarget, type StoreTarget } from './core/target.js';
import { migrate, migrations } from './migrations/index.js';
import { createCdrLegRepository } from './repositories/cdr-legs.js';
import { createCdrRepository } from './repositories/cdrs.js';
import { createExtensionFeatureRepository } from './repositories/extension-features.js';
import { createIvrStepRepository } from './repositories/ivr-steps.js';
import { createQueueLogRepository } from './repositories/queue-log.js';
import { createRecordingRepository } from './repositories/recordings.js';
import { createRegistrationRepository } from './repositories/registrations.js';
import { createVoicemailRepository } from './repositories/voicemail.js';
import type { Database } from './schema.js';
import type { OpenStoreOptions, Store, StoreKind } from './types.js';

/**
 * CDR group-commit settings per dialect. SQLite has one writer, so one batch at a time;
 * PostgreSQL commits batches on several pooled connections at once. 500 rows × 16
 * columns stays well under both dialects' bound-parameter limits (32,766 and 65,535).
 */
const CDR_BATCH: Record<StoreKind, { maxBatch: number; maxDelayMs: number; maxInFlight: number }> = {
  sqlite: { maxBatch: 500, maxDelayMs: 2, maxInFlight: 1 },
  postgres: { maxBatch: 500, maxDelayMs: 2, maxInFlight: 4 },
};

/**
 * Opens the database named by `opts.database`, applies pending migrations, and returns
 * the repositories. Fails with STORE_BAD_TARGET, STORE_UNREACHABLE,
 * STORE_MIGRATION_FAILED or STORE_SCHEMA_TOO_NEW; messages name the target, never its password.
 */
export async function openStore(opts: OpenStoreOptions): Promise<Store> {
  const target = parseTarget(opts.database, opts.dataDir);
  const db = await connect(target, opts.logger);
  try {
    const report = await migrate(db, target.kind, migrations, { target: target.label, logger: opts.logger });
    opts.logger?.info(
      { target: target.label, schemaVersion: report.version, applied: report.applied },
      'database ready',
    );
  } catch (err) {
    await db
      .destroy()
      .catch((closeErr: unknown) =>
        opts.logger?.warn({ err: closeErr }, 'closing after a failed migration failed'),
      );
    throw err;
  }
  return assemble(db, target.kind, opts.logger);
}

function connect(target: StoreTarget, logger: Logger | undefined): Promise<Kysely<Database>> {
  return target.kind === 'sqlite'
    ? Promise.resolve(openSqlite(target.path, target.label))
    : openPostgres(target.url, target.label, logger);
}

function assemble(db: Kysely<Database>, kind: StoreKind, logger: Logger | undefined): Store {
  const lifecycle = new StoreLifecycle();
  const cdrs = createCdrRepository(db, lifecycle, { batch: CDR_BATCH[kind], logger });
  // CDR legs: 19 columns × 500 rows stays within both dialects' parameter limits too.
  const cdrLegs = createCdrLegRepository(db, lifecycle, { batch: CDR_BATCH[kind], logger });
  const recordings = createRecordingRepository(db, lifecycle);
  const voicemail = createVoicemailRepository(db, kind, lifecycle);
  // IVR steps: 10 columns, so the CDR batch settings stay within every parameter limit.
  const ivrSteps = createIvrStepRepository(db, lifecycle, { batch: CDR_BATCH[kind], logger });
  const extensionFeatures = createExtensionFeatureRepository(db, kind, lifecycle);
  // Queue log: 10 columns, so the CDR batch settings stay within every parameter limit.
  const queueLog = createQueueLogRepository(db, lifecycle, { batch: CDR_BATCH[kind], logger });
  let closing: Promise<void> | undefined;
  return {
    kind,
    db,
    registrations: createRegistrationRepository(db, lifecycle),
    cdrs: cdrs.repository,
    cdrLegs: cdrLegs.repository,
    recordings: recordings.repository,
    voicemail: voicemail.repository,
    ivrSteps: ivrSteps.repository,
    extensionFeatures: extensionFeatures.repository,
    queueLog: queueLog.repository,
    close() {
      // Idempotent: every caller gets the same promise; CDRs already accepted are written first.
      closing ??= (async () => {
        lifecycle.markClosed();
        try {
          await Promise.all([
            cdrs.flushAndStop(),
            cdrLegs.flushAndStop(),
            recordings.drain(),
            voicemail.drain(),
            ivrSteps.flushAndStop(),
            extensionFeatures.drain(),
            queueLog.flushAndStop(),
          ]);
        } finally {
          await db.destroy();
        }
      })();
      return closing;
    },
  };
}
