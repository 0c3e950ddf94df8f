// The named differences between SQLite and PostgreSQL, in one capability object (STYLE.md §9).
// Callers ask the dialect; nobody writes `if (sqlite)` elsewhere.
import type { ColumnDefinitionBuilder, CreateTableBuilder } from 'kysely';

export interface StoreDialect {
  readonly name: 'sqlite' | 'postgres';
  /** Adds the integer sequence column `seq` (primary key, auto increment) used for dialect ids. */
  addSeq<T extends string>(t: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'seq'>;
  /** Column type for 64-bit integers (sizes in bytes). */
  readonly bigint: 'integer' | 'bigint';
  /** Case-insensitive LIKE operator. */
  readonly ilike: 'like' | 'ilike';
  /** SELECT … FOR UPDATE serialises writers on a row (SQLite has one writer at a time anyway). */
  readonly rowLocks: boolean;
  /**
   * Where NULL falls in a plain ORDER BY: above every value (PostgreSQL) or below (SQLite). Lists
   * order by the store's own rule (so the sort columns' indexes serve the order) and page through
   * NULLs by it.
   */
  readonly nullsSortHigh: boolean;
}

export const sqliteDialect: StoreDialect = {
  name: 'sqlite',
  addSeq: (t) =>
    t.addColumn('seq', 'integer', (c: ColumnDefinitionBuilder) => c.primaryKey().autoIncrement()),
  bigint: 'integer',
  ilike: 'like',
  rowLocks: false,
  nullsSortHigh: false,
};

export const postgresDialect: StoreDialect = {
  name: 'postgres',
  addSeq: (t) => t.addColumn('seq', 'bigserial', (c: ColumnDefinitionBuilder) => c.primaryKey()),
  bigint: 'bigint',
  ilike: 'ilike',
  rowLocks: true,
  nullsSortHigh: true,
};
