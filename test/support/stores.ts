// The stores every scenario runs against: SQLite always, PostgreSQL when the suite started one
// (CAIRN_TEST_PG_URL). Each test gets a fresh database, dropped afterwards.
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type OpenedStore } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrations/index.js';
import type { T } from './real.js';

export type StoreKind = 'sqlite' | 'postgres';

export function testStores(): StoreKind[] {
  const only = process.env.CAIRN_TEST_STORES?.split(',') as StoreKind[] | undefined;
  const all: StoreKind[] = process.env.CAIRN_TEST_PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];
  return only ? all.filter((s) => only.includes(s)) : all;
}

/**
 * A database for one test: a file in `dir` for SQLite, a new database for PostgreSQL. `drop` must
 * run after whatever uses it has closed (callers order their own clean-up).
 */
export async function createDatabase(
  kind: StoreKind,
  dir: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  if (kind === 'sqlite') return { url: join(dir, 'cairn.db'), drop: async () => undefined };
  const admin = process.env.CAIRN_TEST_PG_URL!;
  const name = `cairn_t_${randomBytes(6).toString('hex')}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await d.end();
    },
  };
}

/** A database URL whose database is dropped after the test (after hooks run in registration order). */
export async function databaseUrl(t: T, kind: StoreKind, dir: string): Promise<string> {
  const db = await createDatabase(kind, dir);
  t.after(db.drop);
  return db.url;
}

/**
 * A migrated SQLite store in a temporary directory of its own, closed and then removed after the
 * test (one hook, so the file is never removed while open).
 */
export async function migratedSqlite(t: T, prefix = 'cairn-store-'): Promise<OpenedStore> {
  const dir = mkdtempSync(join(process.env.CAIRN_TEST_ROOT ?? tmpdir(), prefix));
  const store = await openStore(join(dir, 'cairn.db'));
  t.after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  await migrate(store.db, store.dialect);
  return store;
}
