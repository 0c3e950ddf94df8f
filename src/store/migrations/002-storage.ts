// Tables of disks and pools (issue 4).
import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(_db: Kysely<any>, _d: StoreDialect): Promise<void> {}
