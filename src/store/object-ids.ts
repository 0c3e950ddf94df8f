// Dialect id support: every object row has a UUID `id` and an integer `seq`; dialects derive their
// own id forms (vSnap numeric strings, IML integers, NGX 40-hex, OVS GUIDs) from these, so the
// mapping is stable across restarts and needs no table of its own.
import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.js';
import { SEQ_TABLES, type SeqTable } from '../domain/ids.js';

export { SEQ_TABLES, type SeqTable };

export class ObjectIds {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  constructor(private readonly db: Kysely<any>) {}

  async seqOf(table: SeqTable, id: string): Promise<number | undefined> {
    if (!SEQ_TABLES.includes(table)) throw new Error(`no seq table ${table}`);
    const r = await sql<{ seq: number }>`select seq from ${sql.table(table)} where id = ${id}`
      .execute(this.db)
      .catch(() => undefined);
    return r?.rows[0] ? Number(r.rows[0].seq) : undefined;
  }

  async idOf(table: SeqTable, seq: number): Promise<string | undefined> {
    if (!SEQ_TABLES.includes(table)) throw new Error(`no seq table ${table}`);
    if (!Number.isSafeInteger(seq) || seq < 1) return undefined;
    const r = await sql<{ id: string }>`select id from ${sql.table(table)} where seq = ${seq}`
      .execute(this.db)
      .catch(() => undefined);
    return r?.rows[0]?.id;
  }

  /** The first `limit` rows by seq: id → seq. */
  async firstSeqs(table: SeqTable, limit: number): Promise<Map<string, number>> {
    if (!SEQ_TABLES.includes(table)) throw new Error(`no seq table ${table}`);
    const r = await sql<{
      id: string;
      seq: number;
    }>`select id, seq from ${sql.table(table)} order by seq limit ${limit}`
      .execute(this.db)
      .catch(() => undefined);
    return new Map((r?.rows ?? []).map((x) => [x.id, Number(x.seq)]));
  }

  /** Many ids at once (for lists): id → seq. */
  async seqsOf(table: SeqTable, ids: string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const r = await sql<{
      id: string;
      seq: number;
    }>`select id, seq from ${sql.table(table)} where id in (${sql.join(ids)})`
      .execute(this.db)
      .catch(() => undefined);
    return new Map((r?.rows ?? []).map((x) => [x.id, Number(x.seq)]));
  }
}

export type { DB };
