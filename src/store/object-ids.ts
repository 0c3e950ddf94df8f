// Dialect id support: every object row has a UUID `id` and an integer `seq`; dialects derive their
// own id forms (vSnap numeric strings, IML integers, NGX 40-hex, OVS GUIDs) from these, so the
// mapping is stable across restarts and needs no table of its own.
import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.js';
import { SEQ_KINDS, type ObjectKind } from '../domain/ids.js';

export class ObjectIds {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  constructor(private readonly db: Kysely<any>) {}

  async seqOf(kind: ObjectKind, id: string): Promise<number | undefined> {
    const table = tableOf(kind);
    const r = await sql<{ seq: number }>`select seq from ${sql.table(table)} where id = ${id}`
      .execute(this.db)
      .catch(() => undefined);
    return r?.rows[0] ? Number(r.rows[0].seq) : undefined;
  }

  async idOf(kind: ObjectKind, seq: number): Promise<string | undefined> {
    const table = tableOf(kind);
    if (!Number.isSafeInteger(seq) || seq < 1) return undefined;
    const r = await sql<{ id: string }>`select id from ${sql.table(table)} where seq = ${seq}`
      .execute(this.db)
      .catch(() => undefined);
    return r?.rows[0]?.id;
  }

  /** The first `limit` rows by seq: id → seq. */
  async firstSeqs(kind: ObjectKind, limit: number): Promise<Map<string, number>> {
    const table = tableOf(kind);
    const r = await sql<{
      id: string;
      seq: number;
    }>`select id, seq from ${sql.table(table)} order by seq limit ${limit}`
      .execute(this.db)
      .catch(() => undefined);
    return new Map((r?.rows ?? []).map((x) => [x.id, Number(x.seq)]));
  }

  /** Many ids at once (for lists): id → seq. */
  async seqsOf(kind: ObjectKind, ids: string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const table = tableOf(kind);
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

function tableOf(kind: ObjectKind): string {
  const table = SEQ_KINDS[kind] as string | undefined;
  if (!table) throw new Error(`no sequence numbers for ${kind}`);
  return table;
}
