/** The store module's public surface (STYLE principle 1). */
export { openStore } from './open.js';
export type {
  CdrFilter,
  CdrLegRepository,
  CdrRepository,
  OpenStoreOptions,
  RecordingRepository,
  RegistrationRepository,
  Store,
  StoreKind,
  StoredCdr,
  StoredCdrLeg,
} from './types.js';
export type {
  Database,
  CdrsTable,
  RecordingsTable,
  RegistrationsTable,
  SchemaMigrationsTable,
} from './schema.js';
export { StoreError, isStoreError, storeErrorCodes, type StoreErrorCode } from './errors.js';
export { redact as redactDatabaseTarget } from './core/target.js';
export { migrations, migrationLabel, type Migration, type MigrationReport } from './migrations/index.js';
export { WriteBatcher, type BatcherOptions } from './core/batcher.js';
