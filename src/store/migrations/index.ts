// Versioned migrations, applied in name order by Kysely's Migrator. Add a file, add it here; never
// edit one that has shipped.
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { StoreDialect } from '../dialect.js';
import * as m001 from './001-foundation.js';
import * as m002 from './002-storage.js';
import * as m003 from './003-volumes.js';
import * as m004 from './004-exports.js';
import * as m005 from './005-protection.js';
import * as m006 from './006-monitor.js';
import * as m007 from './007-dialects.js';
import * as m008 from './008-partner-peers.js';
import * as m009 from './009-export-slots.js';
import * as m010 from './010-smb-users.js';
import * as m011 from './011-file-luns.js';
import * as m012 from './012-pool-dedup.js';
import * as m013 from './013-disk-vendor.js';
import * as m013v from './013-volume-attributes.js';
import * as m014 from './014-keys-initiators.js';
import * as m015 from './015-iscsi-targets.js';
import * as m017 from './017-attachments.js';
import * as m018 from './018-snapshot-writable.js';
import * as m019 from './019-job-args-camel.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Up = (db: Kysely<any>, d: StoreDialect) => Promise<void>;

const MIGRATIONS: Record<string, Up> = {
  '001-foundation': m001.up,
  '002-storage': m002.up,
  '003-volumes': m003.up,
  '004-exports': m004.up,
  '005-protection': m005.up,
  '006-monitor': m006.up,
  '007-dialects': m007.up,
  '008-partner-peers': m008.up,
  '009-export-slots': m009.up,
  '010-smb-users': m010.up,
  '011-file-luns': m011.up,
  '012-pool-dedup': m012.up,
  '013-disk-vendor': m013.up,
  '013-volume-attributes': m013v.up,
  '014-keys-initiators': m014.up,
  '015-iscsi-targets': m015.up,
  '017-attachments': m017.up,
  '018-snapshot-writable': m018.up,
  '019-job-args-camel': m019.up,
};

/** Brings the schema up to date; throws with the failing migration's name. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrate(db: Kysely<any>, dialect: StoreDialect): Promise<string[]> {
  const provider: MigrationProvider = {
    getMigrations: async () =>
      Object.fromEntries(
        Object.entries(MIGRATIONS).map(([name, up]): [string, Migration] => [
          name,
          { up: (d) => up(d, dialect) },
        ]),
      ),
  };
  // Migrations are independent of each other's order within a release (parts built side by side
  // took numbers of their own), so one that lands below an applied one still runs.
  const { error, results } = await new Migrator({
    db,
    provider,
    allowUnorderedMigrations: true,
  }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
