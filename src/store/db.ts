// Opens the state store: SQLite (better-sqlite3, WAL) by default, PostgreSQL for a postgres:// URL.
// Returns a Kysely instance and the dialect capabilities; runs no migrations itself.
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase } from 'kysely';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Logger } from 'pino';
import type { DB } from './schema.js';
import { startCheckpointer } from './checkpointer.js';
import { postgresDialect, sqliteDialect, type StoreDialect } from './dialect.js';

export interface OpenedStore {
  db: Kysely<DB>;
  dialect: StoreDialect;
  /** A redacted description of where the state lives, for logs. */
  where: string;
  close(): Promise<void>;
}

// PostgreSQL returns int8/numeric as strings; Cairn's sizes fit in a double (2^53 bytes = 8 PiB).
pg.types.setTypeParser(20, (v: string) => Number(v));

export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//.test(url);

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@]*)@/, '//$1:***@');
}

export async function openStore(
  url: string,
  o: { logger?: Pick<Logger, 'warn'> } = {},
): Promise<OpenedStore> {
  if (isPostgresUrl(url)) {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    // An idle connection the server closed (restart, admin) must not crash cairnd; the pool reconnects.
    pool.on('error', () => undefined);
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: postgresDialect, where: redactUrl(url), close: () => db.destroy() };
  }
  const file = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const checkpointer = sqlite.memory
    ? null
    : startCheckpointer(sqlite, file, {
        onFailure: (err) =>
          o.logger?.warn({ err }, 'store checkpoint worker failed: the main connection checkpoints again'),
      });
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return {
    db,
    dialect: sqliteDialect,
    where: file,
    close: async () => {
      await checkpointer?.close();
      await db.destroy();
    },
  };
}

/**
 * Kysely prepares every query it runs, and better-sqlite3 compiles the SQL on each prepare (about
 * half the cost of a small query). Compiled statements are kept by SQL text, the least recently
 * used dropped beyond `max`. Safe to reuse: Kysely runs one query at a time on the connection, and
 * Cairn streams no query (a statement being iterated could not run again meanwhile).
 */
function withStatementCache(sqlite: Database.Database, max = 500): SqliteDatabase {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare: (sql: string) => {
      let st = cache.get(sql);
      if (st) cache.delete(sql);
      else st = sqlite.prepare(sql);
      cache.set(sql, st);
      if (cache.size > max) cache.delete(cache.keys().next().value!);
      return st;
    },
  };
}
