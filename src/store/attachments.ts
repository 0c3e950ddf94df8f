// Attachments, the volume mounts they share, and the filesystems luns were formatted with.
import type { Kysely, Selectable } from 'kysely';
import type { DB } from './schema.js';
import type { StoreDialect } from './dialect.js';
import type { StoreTx } from './jobs.js';
import type { ListParams, Page } from '../domain/list.js';
import { ATTACHMENT_LIST, type LunFilesystem, type VolumeMount } from '../domain/attachments.js';
import { listPage } from './list.js';
import { CairnError } from '../domain/errors.js';
import { nowIso } from '../domain/ids.js';

export interface AttachmentRow {
  id: string;
  volume_id: string;
  requester: string;
  read_only: boolean;
  state: 'attaching' | 'attached' | 'detaching';
  created_at: string;
}

const toAttachment = (r: Selectable<DB['attachments']>): AttachmentRow => ({
  id: r.id,
  volume_id: r.volume_id,
  requester: r.requester,
  read_only: r.read_only === 1,
  state: r.state as AttachmentRow['state'],
  created_at: r.created_at,
});
const toMount = (r: Selectable<DB['volume_mounts']>): VolumeMount => ({
  volume_id: r.volume_id,
  state: r.state as VolumeMount['state'],
  volume_type: r.volume_type as VolumeMount['volume_type'],
  source: r.source,
  mount_path: r.mount_path,
  device_path: r.device_path,
  read_only: r.read_only === 1,
  job_id: r.job_id,
});

export class AttachmentStore {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: StoreDialect,
  ) {}

  async get(id: string): Promise<AttachmentRow> {
    const r = await this.db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw new CairnError('ATTACHMENT_NOT_FOUND', { id });
    return toAttachment(r);
  }
  async find(volumeId: string, requester: string): Promise<AttachmentRow | undefined> {
    const r = await this.db
      .selectFrom('attachments')
      .selectAll()
      .where('volume_id', '=', volumeId)
      .where('requester', '=', requester)
      .executeTakeFirst();
    return r ? toAttachment(r) : undefined;
  }
  async ofVolume(volumeId: string): Promise<AttachmentRow[]> {
    const rows = await this.db
      .selectFrom('attachments')
      .selectAll()
      .where('volume_id', '=', volumeId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toAttachment);
  }
  /** A page of attachments; `pools` (an API key's scope) keeps those of volumes in these pools. */
  list(params: ListParams, pools: string[] | null = null): Promise<Page<AttachmentRow>> {
    let base = this.db.selectFrom('attachments').selectAll();
    if (pools)
      base = base.where(
        'volume_id',
        'in',
        this.db.selectFrom('volumes').select('id').where('pool_id', 'in', pools),
      );
    return listPage(base, ATTACHMENT_LIST, params, this.dialect, toAttachment);
  }
  async insert(a: AttachmentRow, tx: StoreTx = this.db): Promise<void> {
    await tx
      .insertInto('attachments')
      .values({ ...a, read_only: a.read_only ? 1 : 0 })
      .execute();
  }
  async setState(id: string, state: AttachmentRow['state'], tx: StoreTx = this.db): Promise<void> {
    await tx.updateTable('attachments').set({ state }).where('id', '=', id).execute();
  }
  async setVolumeState(
    volumeId: string,
    state: AttachmentRow['state'],
    tx: StoreTx = this.db,
  ): Promise<void> {
    await tx.updateTable('attachments').set({ state }).where('volume_id', '=', volumeId).execute();
  }
  async delete(id: string, tx: StoreTx = this.db): Promise<void> {
    await tx.deleteFrom('attachments').where('id', '=', id).execute();
  }
  async deleteOfVolume(volumeId: string, tx: StoreTx = this.db): Promise<void> {
    await tx.deleteFrom('attachments').where('volume_id', '=', volumeId).execute();
  }

  async mount(volumeId: string): Promise<VolumeMount | undefined> {
    const r = await this.db
      .selectFrom('volume_mounts')
      .selectAll()
      .where('volume_id', '=', volumeId)
      .executeTakeFirst();
    return r ? toMount(r) : undefined;
  }
  async mounts(volumeIds?: string[]): Promise<VolumeMount[]> {
    if (volumeIds && volumeIds.length === 0) return [];
    let q = this.db.selectFrom('volume_mounts').selectAll();
    if (volumeIds) q = q.where('volume_id', 'in', volumeIds);
    return (await q.orderBy('volume_id').execute()).map(toMount);
  }
  async mountAt(path: string): Promise<VolumeMount | undefined> {
    const r = await this.db
      .selectFrom('volume_mounts')
      .selectAll()
      .where('mount_path', '=', path)
      .executeTakeFirst();
    return r ? toMount(r) : undefined;
  }
  async insertMount(m: VolumeMount, tx: StoreTx = this.db): Promise<void> {
    await tx
      .insertInto('volume_mounts')
      .values({ ...m, read_only: m.read_only ? 1 : 0, created_at: nowIso() })
      .execute();
  }
  async updateMount(
    volumeId: string,
    set: Partial<Pick<VolumeMount, 'state' | 'device_path' | 'mount_path' | 'job_id'>>,
    tx: StoreTx = this.db,
  ): Promise<void> {
    await tx.updateTable('volume_mounts').set(set).where('volume_id', '=', volumeId).execute();
  }
  async deleteMount(volumeId: string, tx: StoreTx = this.db): Promise<void> {
    await tx.deleteFrom('volume_mounts').where('volume_id', '=', volumeId).execute();
  }

  async filesystem(volumeId: string): Promise<LunFilesystem | null> {
    const r = await this.db
      .selectFrom('lun_filesystems')
      .select('filesystem')
      .where('volume_id', '=', volumeId)
      .executeTakeFirst();
    return r ? (r.filesystem as LunFilesystem) : null;
  }
  async recordFilesystem(volumeId: string, fs: LunFilesystem, tx: StoreTx = this.db): Promise<void> {
    await tx
      .insertInto('lun_filesystems')
      .values({ volume_id: volumeId, filesystem: fs, formatted_at: nowIso() })
      .onConflict((oc) => oc.column('volume_id').doUpdateSet({ filesystem: fs }))
      .execute();
  }
  /** A deleted volume's format record goes with it. */
  async forgetVolume(volumeId: string): Promise<void> {
    await this.db.deleteFrom('lun_filesystems').where('volume_id', '=', volumeId).execute();
  }

  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }
}
