import { initial } from './0001_initial.js';
import { media } from './0002_media.js';
import { routing } from './0003_routing.js';
import { queueLogMigration } from './0004_queue_log.js';
import { cdrLegsMigration } from './0005_cdr_legs.js';
import type { Migration } from './types.js';

/** Every migration, in version order. A new version is a new file added at the end. */
export const migrations: readonly Migration[] = [
  initial,
  media,
  routing,
  queueLogMigration,
  cdrLegsMigration,
];

export { migrate, type MigrationReport } from './runner.js';
export { migrationLabel, type Migration } from './types.js';
