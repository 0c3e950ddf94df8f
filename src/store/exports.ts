// Exports of volumes (iSCSI targets, NFS exports, SMB shares, NBD exports): the desired state the
// daemons are configured from, and the export↔host mapping.
import type { Kysely, Selectable } from 'kysely';
import type { DB } from './schema.js';
import type { StoreDialect } from './dialect.js';
import type { ListParams, Page } from '../domain/list.js';
import {
  EXPORT_LIST,
  type ExportOptions,
  type ExportRecord,
  type ExportState,
  type Protocol,
} from '../domain/exports.js';
import { listPage } from './list.js';
import { CairnError } from '../domain/errors.js';
import { nowIso } from '../domain/ids.js';
import { isUniqueViolation } from './volumes.js';

/** What an in-place update may change: written with the update's job, restored if it fails. */
export interface ExportSettings {
  readOnly: boolean;
  hosts: string[];
  allowed: string[];
  options: ExportOptions;
}

/**
 * Another writer took the slot (tgt tid, ganesha Export_Id, NBD port) first: the unique index
 * (protocol, slot) refused the row, so the caller picks another and tries again.
 */
export class ExportSlotTaken extends Error {
  constructor(readonly slot: number) {
    super(`export slot ${slot} is taken`);
  }
}

type Row = Selectable<DB['exports']>;
/** States whose exports the daemons serve. */
const LIVE: ExportState[] = ['creating', 'active', 'updating'];

const toExport = (r: Row): ExportRecord => ({
  id: r.id,
  volumeId: r.volume_id,
  poolId: r.pool_id,
  protocol: r.protocol as Protocol,
  state: r.state as ExportState,
  readOnly: r.read_only === 1,
  hosts: JSON.parse(r.hosts) as string[],
  allowed: JSON.parse(r.allowed) as string[],
  options: JSON.parse(r.options) as ExportOptions,
  exportName: r.export_name,
  slot: r.slot,
  uri: r.uri,
  error: r.error,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export class ExportStore {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: StoreDialect,
  ) {}

  async get(id: string, db: Kysely<DB> = this.db): Promise<ExportRecord> {
    const r = await db.selectFrom('exports').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw new CairnError('EXPORT_NOT_FOUND', { id });
    return toExport(r);
  }
  async find(id: string): Promise<ExportRecord | undefined> {
    const r = await this.db.selectFrom('exports').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toExport(r) : undefined;
  }
  /** Lists exports; `pools` limits to those pools (API keys scoped to pools), `volumeId` to one volume. */
  list(
    params: ListParams,
    scope: { pools: string[] | null; volumeId?: string },
  ): Promise<Page<ExportRecord>> {
    let q = this.db.selectFrom('exports').selectAll();
    if (scope.pools) q = scope.pools.length ? q.where('pool_id', 'in', scope.pools) : q.where('id', '=', '');
    if (scope.volumeId) q = q.where('volume_id', '=', scope.volumeId);
    return listPage(q, EXPORT_LIST, params, this.dialect, toExport);
  }
  /** Every export of a protocol that should be live (for generating a daemon's whole configuration). */
  async live(protocol: Protocol): Promise<ExportRecord[]> {
    const rows = await this.db
      .selectFrom('exports')
      .selectAll()
      .where('protocol', '=', protocol)
      .where('state', 'in', LIVE)
      .orderBy('seq')
      .execute();
    return rows.map(toExport);
  }
  async countLive(protocol: Protocol): Promise<number> {
    const r = await this.db
      .selectFrom('exports')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('protocol', '=', protocol)
      .where('state', 'in', LIVE)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }
  async byVolume(volumeId: string): Promise<ExportRecord[]> {
    const rows = await this.db.selectFrom('exports').selectAll().where('volume_id', '=', volumeId).execute();
    return rows.map(toExport);
  }
  async byName(
    protocol: Protocol,
    name: string,
    db: Kysely<DB> = this.db,
  ): Promise<ExportRecord | undefined> {
    const r = await db
      .selectFrom('exports')
      .selectAll()
      .where('protocol', '=', protocol)
      .where('export_name', '=', name)
      .executeTakeFirst();
    return r ? toExport(r) : undefined;
  }
  /** Export ids that map a host. */
  async mappingHost(hostId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('export_hosts')
      .select('export_id')
      .where('host_id', '=', hostId)
      .execute();
    return rows.map((r) => r.export_id);
  }
  /** Slots (tgt target ids, nbd ports) in use by a protocol. */
  async slots(protocol: Protocol): Promise<number[]> {
    const rows = await this.db
      .selectFrom('exports')
      .select('slot')
      .where('protocol', '=', protocol)
      .where('slot', 'is not', null)
      .execute();
    return rows.map((r) => r.slot!);
  }
  /**
   * Records a new export in the caller's transaction (the one that records its job). The unique
   * indexes decide between concurrent writers, on one node or several sharing PostgreSQL: a name
   * taken is the protocol's name error (`nameTaken`), a slot taken is ExportSlotTaken.
   */
  async insert(
    tx: Kysely<DB>,
    e: Omit<ExportRecord, 'createdAt' | 'updatedAt' | 'error'>,
    nameTaken: () => Error,
  ): Promise<void> {
    if (await this.byName(e.protocol, e.exportName, tx)) throw nameTaken();
    const now = nowIso();
    try {
      await tx
        .insertInto('exports')
        .values({
          id: e.id,
          volume_id: e.volumeId,
          pool_id: e.poolId,
          protocol: e.protocol,
          state: e.state,
          read_only: e.readOnly ? 1 : 0,
          hosts: JSON.stringify(e.hosts),
          allowed: JSON.stringify(e.allowed),
          options: JSON.stringify(e.options),
          export_name: e.exportName,
          slot: e.slot,
          uri: e.uri,
          error: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      // The transaction is spoilt (PostgreSQL): the caller retries in a new one.
      if (e.slot !== null && !/name/i.test(String(err))) throw new ExportSlotTaken(e.slot);
      throw nameTaken();
    }
    for (const h of e.hosts)
      await tx.insertInto('export_hosts').values({ export_id: e.id, host_id: h }).execute();
  }
  /**
   * Writes an export's settings (and its host mapping); with `from`, only while the export is in
   * that state, and `to` sets the state. False when the export was not there (or not in `from`).
   */
  async setSettings(
    id: string,
    s: ExportSettings,
    t: { from?: ExportState; to?: ExportState } = {},
    db?: Kysely<DB>,
  ): Promise<boolean> {
    const write = async (tx: Kysely<DB>) => {
      let q = tx
        .updateTable('exports')
        .set({
          read_only: s.readOnly ? 1 : 0,
          hosts: JSON.stringify(s.hosts),
          allowed: JSON.stringify(s.allowed),
          options: JSON.stringify(s.options),
          ...(t.to ? { state: t.to, error: null } : {}),
          updated_at: nowIso(),
        })
        .where('id', '=', id);
      if (t.from) q = q.where('state', '=', t.from);
      const r = await q.executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      await tx.deleteFrom('export_hosts').where('export_id', '=', id).execute();
      for (const h of s.hosts)
        await tx.insertInto('export_hosts').values({ export_id: id, host_id: h }).execute();
      return true;
    };
    return db ? write(db) : this.db.transaction().execute(write);
  }
  async setState(id: string, state: ExportState, error: string | null = null): Promise<void> {
    await this.db
      .updateTable('exports')
      .set({ state, error, updated_at: nowIso() })
      .where('id', '=', id)
      .execute();
  }
  /** Moves an export's state only if it is in `from` (so two requests cannot both start a change). */
  async transition(
    id: string,
    from: ExportState[],
    to: ExportState,
    db: Kysely<DB> = this.db,
  ): Promise<boolean> {
    const r = await db
      .updateTable('exports')
      .set({ state: to, updated_at: nowIso() })
      .where('id', '=', id)
      .where('state', 'in', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
  async delete(id: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('export_hosts').where('export_id', '=', id).execute();
      await tx.deleteFrom('exports').where('id', '=', id).execute();
    });
  }
  /** Drops sealed share passwords once Samba holds their hashes. */
  async clearSecrets(id: string): Promise<void> {
    const e = await this.get(id);
    if (!e.options.users?.some((u) => 'secret' in u)) return;
    const options = {
      ...e.options,
      users: e.options.users.map((u) => ({ name: u.name, account: u.account })),
    };
    await this.db
      .updateTable('exports')
      .set({ options: JSON.stringify(options), updated_at: nowIso() })
      .where('id', '=', id)
      .execute();
  }
}
