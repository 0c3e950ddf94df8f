// iSCSI targets, their host ACL and their LUNs: the desired state tgtd is configured from. The
// unique indexes (IQN, tid, a LUN's volume) decide between concurrent writers; a violation comes
// back as the error the caller names, never as a half-written target.
import type { Kysely, Selectable } from 'kysely';
import type { DB } from './schema.js';
import type { StoreDialect } from './dialect.js';
import type { ListParams, Page } from '../domain/list.js';
import { TARGET_LIST, type Target, type TargetLun } from '../domain/targets.js';
import { listPage } from './list.js';
import { CairnError } from '../domain/errors.js';
import { nowIso } from '../domain/ids.js';
import { isUniqueViolation } from './volumes.js';

type Row = Selectable<DB['iscsi_targets']>;

/** Another writer took the tid first: the caller picks another and tries again. */
export class TargetTidTaken extends Error {
  constructor(readonly tid: number) {
    super(`tgt tid ${tid} is taken`);
  }
}

export interface NewTarget {
  id: string;
  iqn: string;
  alias: string | null;
  tid: number;
  exportId: string | null;
  hostIds: string[];
}

export class TargetStore {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: StoreDialect,
  ) {}

  private async complete(rows: Row[], db: Kysely<DB> = this.db): Promise<Target[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const hosts = await db
      .selectFrom('iscsi_target_hosts')
      .selectAll()
      .where('target_id', 'in', ids)
      .execute();
    const luns = await db
      .selectFrom('iscsi_luns')
      .selectAll()
      .where('target_id', 'in', ids)
      .orderBy('lun')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      iqn: r.iqn,
      alias: r.alias,
      tid: r.tid,
      exportId: r.export_id,
      hostIds: hosts.filter((h) => h.target_id === r.id).map((h) => h.host_id),
      luns: luns
        .filter((l) => l.target_id === r.id)
        .map((l): TargetLun => ({
          lun: l.lun,
          volumeId: l.volume_id,
          poolId: l.pool_id,
          createdAt: l.created_at,
        })),
      state: r.state as Target['state'],
      error: r.error,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }

  async find(id: string, db: Kysely<DB> = this.db): Promise<Target | undefined> {
    const r = await db.selectFrom('iscsi_targets').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? (await this.complete([r], db))[0] : undefined;
  }
  async get(id: string, db?: Kysely<DB>): Promise<Target> {
    const t = await this.find(id, db);
    if (!t) throw new CairnError('TARGET_NOT_FOUND', { id });
    return t;
  }
  async byIqn(iqn: string): Promise<Target | undefined> {
    const r = await this.db.selectFrom('iscsi_targets').selectAll().where('iqn', '=', iqn).executeTakeFirst();
    return r ? (await this.complete([r]))[0] : undefined;
  }
  async byExport(exportId: string): Promise<Target | undefined> {
    const r = await this.db
      .selectFrom('iscsi_targets')
      .selectAll()
      .where('export_id', '=', exportId)
      .executeTakeFirst();
    return r ? (await this.complete([r]))[0] : undefined;
  }

  /** Lists targets; `pools` (a pool-scoped key) shows only targets with no LUN outside those pools. */
  async list(params: ListParams, pools: string[] | null): Promise<Page<Target>> {
    let q = this.db.selectFrom('iscsi_targets').selectAll();
    if (pools)
      q = q.where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('iscsi_luns')
              .select('iscsi_luns.lun')
              .whereRef('iscsi_luns.target_id', '=', 'iscsi_targets.id')
              .where('iscsi_luns.pool_id', 'not in', pools.length ? pools : ['']),
          ),
        ),
      );
    const page = await listPage(q, TARGET_LIST, params, this.dialect, (r: Row) => r);
    return { ...page, items: await this.complete(page.items) };
  }

  /** Native targets (not the view of an export), for re-applying tgtd's configuration. */
  async natives(): Promise<Target[]> {
    const rows = await this.db
      .selectFrom('iscsi_targets')
      .selectAll()
      .where('export_id', 'is', null)
      .orderBy('seq')
      .execute();
    return this.complete(rows);
  }
  async count(): Promise<number> {
    const r = await this.db
      .selectFrom('iscsi_targets')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }
  async tids(): Promise<number[]> {
    return (await this.db.selectFrom('iscsi_targets').select('tid').execute()).map((r) => r.tid);
  }
  /** Target ids whose ACL names a host. */
  async mappingHost(hostId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('iscsi_target_hosts')
      .select('target_id')
      .where('host_id', '=', hostId)
      .execute();
    return rows.map((r) => r.target_id);
  }
  async lunOfVolume(
    volumeId: string,
    db: Kysely<DB> = this.db,
  ): Promise<{ target_id: string; lun: number } | undefined> {
    return db
      .selectFrom('iscsi_luns')
      .select(['target_id', 'lun'])
      .where('volume_id', '=', volumeId)
      .executeTakeFirst();
  }

  /**
   * Records a target in the caller's transaction (with its job, or with its export). A taken IQN
   * throws `iqnTaken()`, a taken tid TargetTidTaken (the transaction is spoilt: retry in a new one).
   */
  async insert(tx: Kysely<DB>, t: NewTarget, iqnTaken: () => Error): Promise<void> {
    const now = nowIso();
    if (await tx.selectFrom('iscsi_targets').select('id').where('iqn', '=', t.iqn).executeTakeFirst())
      throw iqnTaken();
    try {
      await tx
        .insertInto('iscsi_targets')
        .values({
          id: t.id,
          iqn: t.iqn,
          alias: t.alias,
          tid: t.tid,
          export_id: t.exportId,
          state: 'active',
          error: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      if (/tid/i.test(String(err))) throw new TargetTidTaken(t.tid);
      throw iqnTaken();
    }
    for (const h of t.hostIds)
      await tx.insertInto('iscsi_target_hosts').values({ target_id: t.id, host_id: h }).execute();
  }

  /** Maps a volume as a LUN (in the caller's transaction); refuses a volume mapped anywhere. */
  async insertLun(tx: Kysely<DB>, targetId: string, l: Omit<TargetLun, 'createdAt'>): Promise<void> {
    const other = await this.lunOfVolume(l.volumeId, tx);
    if (other)
      throw new CairnError('VOLUME_ALREADY_MAPPED', {
        volume: l.volumeId,
        lun: other.lun,
        target: other.target_id,
      });
    try {
      await tx
        .insertInto('iscsi_luns')
        .values({
          target_id: targetId,
          lun: l.lun,
          volume_id: l.volumeId,
          pool_id: l.poolId,
          created_at: nowIso(),
        })
        .execute();
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      if (/volume/i.test(String(err)))
        throw new CairnError('VOLUME_ALREADY_MAPPED', { volume: l.volumeId, lun: '?', target: '?' });
      throw new CairnError('TARGET_LUN_TAKEN', { id: targetId, lun: l.lun });
    }
  }
  /** Puts back a LUN row a failed unmap removed (the volume stays mapped there). */
  async putLun(targetId: string, l: Omit<TargetLun, 'createdAt'>): Promise<void> {
    if (await this.lunOfVolume(l.volumeId)) return;
    await this.db
      .insertInto('iscsi_luns')
      .values({
        target_id: targetId,
        lun: l.lun,
        volume_id: l.volumeId,
        pool_id: l.poolId,
        created_at: nowIso(),
      })
      .execute();
  }
  async deleteLun(targetId: string, lun: number, db: Kysely<DB> = this.db): Promise<void> {
    await db.deleteFrom('iscsi_luns').where('target_id', '=', targetId).where('lun', '=', lun).execute();
  }

  async setAttrs(
    id: string,
    p: { alias?: string | null; hostIds?: string[] },
    db?: Kysely<DB>,
  ): Promise<void> {
    const write = async (tx: Kysely<DB>) => {
      await tx
        .updateTable('iscsi_targets')
        .set({ ...(p.alias !== undefined ? { alias: p.alias } : {}), updated_at: nowIso() })
        .where('id', '=', id)
        .execute();
      if (p.hostIds === undefined) return;
      await tx.deleteFrom('iscsi_target_hosts').where('target_id', '=', id).execute();
      for (const h of p.hostIds)
        await tx.insertInto('iscsi_target_hosts').values({ target_id: id, host_id: h }).execute();
    };
    await (db ? write(db) : this.db.transaction().execute(write));
  }
  async setState(id: string, state: Target['state'], error: string | null): Promise<void> {
    await this.db
      .updateTable('iscsi_targets')
      .set({ state, error, updated_at: nowIso() })
      .where('id', '=', id)
      .execute();
  }
  async delete(id: string, db?: Kysely<DB>): Promise<void> {
    const write = async (tx: Kysely<DB>) => {
      await tx.deleteFrom('iscsi_luns').where('target_id', '=', id).execute();
      await tx.deleteFrom('iscsi_target_hosts').where('target_id', '=', id).execute();
      await tx.deleteFrom('iscsi_targets').where('id', '=', id).execute();
    };
    await (db ? write(db) : this.db.transaction().execute(write));
  }
}
