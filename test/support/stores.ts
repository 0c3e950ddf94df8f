// The stores every scenario runs against: SQLite always, PostgreSQL when the suite started one
// (CAIRN_TEST_PG_URL). Each test gets a fresh database, dropped afterwards.
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
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
