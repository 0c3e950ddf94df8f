// Hosts (initiators) with their IQNs, addresses and sealed CHAP secrets. Secrets leave this module
// only through chapSecrets(), for re-applying tgt's configuration; never in a wire shape. Each IQN
// of a host is a row of host_initiators with an id of its own (kept while the IQN stays); an IQN
// is unique within a host, and may belong to several hosts.
import type { Kysely, Selectable } from 'kysely';
import type { DB } from './schema.js';
import type { StoreDialect } from './dialect.js';
import type { ListParams, Page } from '../domain/list.js';
import { HOST_LIST, type Host, type HostInitiator } from '../domain/hosts.js';
import { listPage } from './list.js';
import { CairnError } from '../domain/errors.js';
import { newId, nowIso } from '../domain/ids.js';

type Row = Selectable<DB['hosts']>;

export interface SealedChap {
  user: string;
  secret: string;
  mutualUser: string | null;
  mutualSecret: string | null;
}

const toHost = (r: Row, initiators: HostInitiator[]): Host => ({
  id: r.id,
  name: r.name,
  iqns: JSON.parse(r.iqns) as string[],
  initiators,
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

  /** Rows with their initiators, in each host's IQN order. */
  private async withInitiators(rows: Row[]): Promise<Host[]> {
    if (!rows.length) return [];
    const found = await this.db
      .selectFrom('host_initiators')
      .select(['id', 'host_id', 'iqn'])
      .where(
        'host_id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    const of = new Map(found.map((f) => [`${f.host_id}\0${f.iqn}`, f.id]));
    return rows.map((r) =>
      toHost(
        r,
        (JSON.parse(r.iqns) as string[]).map((iqn) => ({ id: of.get(`${r.id}\0${iqn}`) ?? '', iqn })),
      ),
    );
  }
  private async one(r: Row | undefined): Promise<Host | undefined> {
    return r ? (await this.withInitiators([r]))[0] : undefined;
  }

  async get(id: string): Promise<Host> {
    const h = await this.one(
      await this.db.selectFrom('hosts').selectAll().where('id', '=', id).executeTakeFirst(),
    );
    if (!h) throw new CairnError('HOST_NOT_FOUND', { id });
    return h;
  }
  async byName(name: string): Promise<Host | undefined> {
    return this.one(
      await this.db.selectFrom('hosts').selectAll().where('name', '=', name).executeTakeFirst(),
    );
  }
  async byChapUser(user: string): Promise<Host | undefined> {
    return this.one(
      await this.db.selectFrom('hosts').selectAll().where('chap_user', '=', user).executeTakeFirst(),
    );
  }
  /** One initiator by its id, with the host it belongs to. */
  async initiator(id: string): Promise<(HostInitiator & { host_id: string }) | undefined> {
    return this.db
      .selectFrom('host_initiators')
      .select(['id', 'iqn', 'host_id'])
      .where('id', '=', id)
      .executeTakeFirst();
  }
  async many(ids: string[]): Promise<Host[]> {
    if (ids.length === 0) return [];
    return this.withInitiators(
      await this.db.selectFrom('hosts').selectAll().where('id', 'in', ids).execute(),
    );
  }
  async list(params: ListParams): Promise<Page<Host>> {
    const page = await listPage(
      this.db.selectFrom('hosts').selectAll(),
      HOST_LIST,
      params,
      this.dialect,
      (r: Row) => r,
    );
    return { ...page, items: await this.withInitiators(page.items) };
  }
  async chap(id: string): Promise<SealedChap | null> {
    const r = await this.db.selectFrom('hosts').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r?.chap_user || !r.chap_secret) return null;
    return {
      user: r.chap_user,
      secret: r.chap_secret,
      mutualUser: r.mutual_user,
      mutualSecret: r.mutual_secret,
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
          mutual_user: h.chap?.mutualUser ?? null,
          mutual_secret: h.chap?.mutualSecret ?? null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await setInitiators(tx, h.id, h.iqns);
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
      set.mutual_user = p.chap?.mutualUser ?? null;
      set.mutual_secret = p.chap?.mutualSecret ?? null;
    }
    await this.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('hosts')
        .set(set as never)
        .where('id', '=', id)
        .execute();
      if (p.iqns !== undefined) await setInitiators(tx, id, p.iqns);
    });
  }
  async delete(id: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('host_initiators').where('host_id', '=', id).execute();
      await tx.deleteFrom('hosts').where('id', '=', id).execute();
    });
  }
}

/** Makes a host's initiators these IQNs: those kept keep their ids, new ones get new ids. */
async function setInitiators(tx: Kysely<DB>, hostId: string, iqns: readonly string[]): Promise<void> {
  const have = await tx.selectFrom('host_initiators').select('iqn').where('host_id', '=', hostId).execute();
  const gone = have.map((h) => h.iqn).filter((q) => !iqns.includes(q));
  if (gone.length)
    await tx.deleteFrom('host_initiators').where('host_id', '=', hostId).where('iqn', 'in', gone).execute();
  const known = new Set(have.map((h) => h.iqn));
  const now = nowIso();
  const fresh = iqns
    .filter((q) => !known.has(q))
    .map((iqn) => ({ id: newId(), host_id: hostId, iqn, created_at: now }));
  if (fresh.length) await tx.insertInto('host_initiators').values(fresh).execute();
}
