// Partners, relationships and replication sessions. Lists page in SQL (listPage) on indexed columns.
import { sql, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { DB } from './schema.js';
import type { StoreDialect } from './dialect.js';
import { listPage } from './list.js';
import type { ListParams, Page } from '../domain/list.js';
import {
  PARTNER_LIST,
  RELATIONSHIP_LIST,
  SESSION_LIST,
  type RelationshipRole,
  type RelationshipState,
  type RetentionPolicy,
  type SessionDirection,
  type SessionState,
} from '../domain/protection.js';
import { CairnError } from '../domain/errors.js';
import { nowIso } from '../domain/ids.js';
import { isUniqueViolation } from './volumes.js';
import { camelKeys, snakeKeys } from './casing.js';

/** A partner system: its address, pinned certificate and sealed key. */
export interface PartnerRecord {
  seq: number;
  id: string;
  name: string;
  url: string;
  fingerprint: string;
  apiKeySealed: string;
  remoteName: string | null;
  remoteVersion: string | null;
  verifiedAt: string | null;
  peerPartnerId: string | null;
  localKeyId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A replication relationship, on either side. */
export interface RelationshipRecord {
  seq: number;
  id: string;
  role: RelationshipRole;
  state: RelationshipState;
  volumeId: string | null;
  poolId: string;
  partnerId: string | null;
  peer: string | null;
  remotePoolId: string | null;
  remoteVolumeId: string | null;
  remoteVolumeName: string | null;
  replicaRetention: RetentionPolicy;
  lastSyncStatus: string | null;
  lastAttemptSnapshotId: string | null;
  lastSuccessSnapshotId: string | null;
  lastSuccessAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** One transfer of a relationship (send or receive). */
export interface SessionRecord {
  seq: number;
  id: string;
  relationshipId: string;
  direction: SessionDirection;
  poolId: string | null;
  status: SessionState;
  jobId: string | null;
  snapshotId: string | null;
  snapshotName: string | null;
  parentSnapshotId: string | null;
  remoteSnapshotId: string | null;
  bytesSent: number;
  rate: number;
  progress: number;
  message: string | null;
  startedAt: string | null;
  endedAt: string | null;
  createdAt: string;
}

const toPartner = (r: Selectable<DB['partners']>): PartnerRecord => camelKeys(r);
const toRel = (r: Selectable<DB['relationships']>): RelationshipRecord => ({
  ...camelKeys(r),
  role: r.role as RelationshipRole,
  state: r.state as RelationshipState,
  replicaRetention: JSON.parse(r.replica_retention) as RetentionPolicy,
});
const toSession = (r: Selectable<DB['replication_sessions']>): SessionRecord => ({
  ...camelKeys(r),
  status: r.status as SessionState,
  direction: r.direction as SessionDirection,
  bytesSent: Number(r.bytes_sent),
  rate: Number(r.rate),
  progress: Number(r.progress),
});

export class ReplicationStore {
  constructor(
    readonly db: Kysely<DB>,
    private readonly dialect: StoreDialect,
  ) {}

  // Partners

  async findPartner(id: string): Promise<PartnerRecord | undefined> {
    const r = await this.db.selectFrom('partners').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toPartner(r) : undefined;
  }

  async getPartner(id: string): Promise<PartnerRecord> {
    const p = await this.findPartner(id);
    if (!p) throw new CairnError('PARTNER_NOT_FOUND', { id });
    return p;
  }

  listPartners<T>(params: ListParams, toItem: (p: PartnerRecord) => T): Promise<Page<T>> {
    return listPage(
      this.db.selectFrom('partners').selectAll(),
      PARTNER_LIST,
      params,
      this.dialect,
      (r: Selectable<DB['partners']>) => toItem(toPartner(r)),
    );
  }

  async insertPartner(p: Omit<PartnerRecord, 'seq' | 'createdAt' | 'updatedAt'>): Promise<void> {
    const now = nowIso();
    try {
      await this.db
        .insertInto('partners')
        .values({ ...snakeKeys(p), created_at: now, updated_at: now })
        .execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw new CairnError('PARTNER_NAME_TAKEN', { name: p.name });
      throw e;
    }
  }

  async updatePartner(id: string, patch: Partial<Omit<PartnerRecord, 'id' | 'seq'>>): Promise<void> {
    try {
      await this.db
        .updateTable('partners')
        .set({ ...snakeKeys(patch), updated_at: nowIso() })
        .where('id', '=', id)
        .execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw new CairnError('PARTNER_NAME_TAKEN', { name: patch.name });
      throw e;
    }
  }

  async deletePartner(id: string): Promise<void> {
    await this.db.deleteFrom('partners').where('id', '=', id).execute();
  }

  // Relationships

  async findRelationship(id: string): Promise<RelationshipRecord | undefined> {
    const r = await this.db.selectFrom('relationships').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toRel(r) : undefined;
  }

  async getRelationship(id: string): Promise<RelationshipRecord> {
    const r = await this.findRelationship(id);
    if (!r) throw new CairnError('RELATIONSHIP_NOT_FOUND', { id });
    return r;
  }

  listRelationships<T>(
    params: ListParams,
    pools: string[] | null,
    toItem: (r: RelationshipRecord) => T,
  ): Promise<Page<T>> {
    let q = this.db.selectFrom('relationships').selectAll();
    if (pools) q = pools.length ? q.where('pool_id', 'in', pools) : q.where(sql<boolean>`1 = 0`);
    return listPage(q, RELATIONSHIP_LIST, params, this.dialect, (r: Selectable<DB['relationships']>) =>
      toItem(toRel(r)),
    );
  }

  /** Relationships of a local volume (either role), at most `limit`. */
  async ofVolume(volumeId: string, limit = 1000): Promise<RelationshipRecord[]> {
    const rows = await this.db
      .selectFrom('relationships')
      .selectAll()
      .where('volume_id', '=', volumeId)
      .orderBy('created_at')
      .limit(limit)
      .execute();
    return rows.map(toRel);
  }

  async idsOfPartner(partnerId: string, limit = 20): Promise<string[]> {
    const rows = await this.db
      .selectFrom('relationships')
      .select('id')
      .where('partner_id', '=', partnerId)
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  async findSourceFor(volumeId: string, partnerId: string, remotePool: string) {
    return this.db
      .selectFrom('relationships')
      .select('id')
      .where('volume_id', '=', volumeId)
      .where('partner_id', '=', partnerId)
      .where('remote_pool_id', '=', remotePool)
      .where('role', '=', 'source')
      .executeTakeFirst();
  }

  async insertRelationship(r: Omit<RelationshipRecord, 'seq' | 'createdAt' | 'updatedAt'>): Promise<void> {
    const now = nowIso();
    await this.db
      .insertInto('relationships')
      .values({
        ...snakeKeys(r),
        replica_retention: JSON.stringify(r.replicaRetention),
        created_at: now,
        updated_at: now,
      })
      .execute();
  }

  async updateRelationship(
    id: string,
    patch: Partial<Omit<RelationshipRecord, 'id' | 'seq' | 'replicaRetention'>> & {
      replicaRetention?: RetentionPolicy;
    },
  ): Promise<void> {
    const { replicaRetention, ...rest } = patch;
    const set: Updateable<DB['relationships']> = { ...snakeKeys(rest), updated_at: nowIso() };
    if (replicaRetention) set.replica_retention = JSON.stringify(replicaRetention);
    await this.db.updateTable('relationships').set(set).where('id', '=', id).execute();
  }

  async deleteRelationship(id: string): Promise<void> {
    await this.db.deleteFrom('relationships').where('id', '=', id).execute();
  }

  // Sessions

  async findSession(id: string): Promise<SessionRecord | undefined> {
    const r = await this.db
      .selectFrom('replication_sessions')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return r ? toSession(r) : undefined;
  }

  async getSession(id: string): Promise<SessionRecord> {
    const s = await this.findSession(id);
    if (!s) throw new CairnError('SESSION_NOT_FOUND', { id });
    return s;
  }

  listSessions<T>(
    params: ListParams,
    pools: string[] | null,
    toItem: (s: SessionRecord) => T,
  ): Promise<Page<T>> {
    let q = this.db.selectFrom('replication_sessions').selectAll('replication_sessions');
    if (pools)
      q = pools.length
        ? q.where('relationship_id', 'in', (eb) =>
            eb
              .selectFrom('relationships')
              .select('relationships.id')
              .where('relationships.pool_id', 'in', pools),
          )
        : q.where(sql<boolean>`1 = 0`);
    return listPage(q, SESSION_LIST, params, this.dialect, (r: Selectable<DB['replication_sessions']>) =>
      toItem(toSession(r)),
    );
  }

  /** The unfinished session of a relationship, if any. */
  async openSession(relationshipId: string, db: Kysely<DB> = this.db): Promise<SessionRecord | undefined> {
    const r = await db
      .selectFrom('replication_sessions')
      .selectAll()
      .where('relationship_id', '=', relationshipId)
      .where('direction', '=', 'send')
      .where('status', 'in', ['PENDING', 'ACTIVE'])
      .executeTakeFirst();
    return r ? toSession(r) : undefined;
  }

  async insertSession(
    s: Pick<SessionRecord, 'id' | 'relationshipId' | 'direction' | 'status'> & Partial<SessionRecord>,
    db: Kysely<DB> = this.db,
  ): Promise<void> {
    await db
      .insertInto('replication_sessions')
      .values({
        pool_id: null,
        job_id: null,
        snapshot_id: null,
        snapshot_name: null,
        parent_snapshot_id: null,
        remote_snapshot_id: null,
        bytes_sent: 0,
        rate: 0,
        progress: 0,
        message: null,
        started_at: null,
        ended_at: null,
        created_at: nowIso(),
        ...snakeKeys(s),
      })
      .execute();
  }

  async updateSession(id: string, patch: Partial<Omit<SessionRecord, 'id' | 'seq'>>): Promise<void> {
    await this.db.updateTable('replication_sessions').set(snakeKeys(patch)).where('id', '=', id).execute();
  }

  /** Sessions left PENDING/ACTIVE by a crash (their job is gone or finished): mark them FAILED. */
  async unfinishedSessions(limit = 1000): Promise<SessionRecord[]> {
    const rows = await this.db
      .selectFrom('replication_sessions')
      .selectAll()
      .where('status', 'in', ['PENDING', 'ACTIVE'])
      .limit(limit)
      .execute();
    return rows.map(toSession);
  }

  async deleteSessionsOf(relationshipId: string): Promise<void> {
    await this.db.deleteFrom('replication_sessions').where('relationship_id', '=', relationshipId).execute();
  }
}
