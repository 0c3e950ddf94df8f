// Hosts (initiators) with their IQNs, addresses and sealed CHAP secrets. Secrets leave this module
// only through chapSecrets(), for re-applying tgt's configuration; never in a wire shape.
import type { Kysely, Selectable } from 'kysely';
import type { DB } from './schema.js';
import type { StoreDialect } from './dialect.js';
import type { ListParams, Page } from '../domain/list.js';
import { HOST_LIST, type Host } from '../domain/exports.js';
import { listPage } from './list.js';
import { CairnError } from '../domain/errors.js';
import { nowIso } from '../domain/ids.js';

type Row = Selectable<DB['hosts']>;

export interface SealedChap {
  user: string;
  secret: string;
  mutual_user: string | null;
  mutual_secret: string | null;
}

const toHost = (r: Row): Host => ({
  id: r.id,
  name: r.name,
  iqns: JSON.parse(r.iqns) as string[],
  addresses: JSON.parse(r.addresses) as string[],
  chap: r.chap_user ? { user: r.chap_user, mutual_user: r.mutual_user } : null,
  created_at: r.created_at,
  updated_at: r.updated_at,
});

export class HostStore {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: StoreDialect,
  ) {}

  async get(id: string): Promise<Host> {
    const r = await this.db.selectFrom('hosts').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw new CairnError('HOST_NOT_FOUND', { id });
    return toHost(r);
  }
  async byName(name: string): Promise<Host | undefined> {
    const r = await this.db.selectFrom('hosts').selectAll().where('name', '=', name).executeTakeFirst();
    return r ? toHost(r) : undefined;
  }
  async byChapUser(user: string): Promise<Host | undefined> {
    const r = await this.db.selectFrom('hosts').selectAll().where('chap_user', '=', user).executeTakeFirst();
    return r ? toHost(r) : undefined;
  }
  /** Which host holds each of these IQNs. */
  async iqnOwners(iqns: string[]): Promise<{ iqn: string; host_id: string }[]> {
    if (iqns.length === 0) return [];
    return this.db.selectFrom('host_iqns').selectAll().where('iqn', 'in', iqns).execute();
  }
  async many(ids: string[]): Promise<Host[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('hosts').selectAll().where('id', 'in', ids).execute();
    return rows.map(toHost);
  }
  list(params: ListParams): Promise<Page<Host>> {
    return listPage(this.db.selectFrom('hosts').selectAll(), HOST_LIST, params, this.dialect, toHost);
  }
  async chap(id: string): Promise<SealedChap | null> {
    const r = await this.db.selectFrom('hosts').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r?.chap_user || !r.chap_secret) return null;
    return {
      user: r.chap_user,
      secret: r.chap_secret,
      mutual_user: r.mutual_user,
      mutual_secret: r.mutual_secret,
    };
  }
  async insert(h: {
    id: string;
    name: string;
    iqns: string[];
    addresses: string[];
    chap: SealedChap | null;
  }): Promise<void> {
    const now = nowIso();
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('hosts')
        .values({
          id: h.id,
          name: h.name,
          iqns: JSON.stringify(h.iqns),
          addresses: JSON.stringify(h.addresses),
          chap_user: h.chap?.user ?? null,
          chap_secret: h.chap?.secret ?? null,
          mutual_user: h.chap?.mutual_user ?? null,
          mutual_secret: h.chap?.mutual_secret ?? null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      for (const iqn of h.iqns) await tx.insertInto('host_iqns').values({ iqn, host_id: h.id }).execute();
    });
  }
  async update(
    id: string,
    p: { name?: string; iqns?: string[]; addresses?: string[]; chap?: SealedChap | null },
  ): Promise<void> {
    const set: Record<string, unknown> = { updated_at: nowIso() };
    if (p.name !== undefined) set.name = p.name;
    if (p.iqns !== undefined) set.iqns = JSON.stringify(p.iqns);
    if (p.addresses !== undefined) set.addresses = JSON.stringify(p.addresses);
    if (p.chap !== undefined) {
      set.chap_user = p.chap?.user ?? null;
      set.chap_secret = p.chap?.secret ?? null;
      set.mutual_user = p.chap?.mutual_user ?? null;
      set.mutual_secret = p.chap?.mutual_secret ?? null;
    }
    await this.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('hosts')
        .set(set as never)
        .where('id', '=', id)
        .execute();
      if (p.iqns !== undefined) {
        await tx.deleteFrom('host_iqns').where('host_id', '=', id).execute();
        for (const iqn of p.iqns) await tx.insertInto('host_iqns').values({ iqn, host_id: id }).execute();
      }
    });
  }
  async delete(id: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('host_iqns').where('host_id', '=', id).execute();
      await tx.deleteFrom('hosts').where('id', '=', id).execute();
    });
  }
}
