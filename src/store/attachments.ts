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
import { snakeKeys } from './casing.js';

export interface AttachmentRow {
  id: string;
  volumeId: string;
  requester: string;
  readOnly: boolean;
  state: 'attaching' | 'attached' | 'detaching';
  createdAt: string;
}

const toAttachment = (r: Selectable<DB['attachments']>): AttachmentRow => ({
  id: r.id,
  volumeId: r.volume_id,
  requester: r.requester,
  readOnly: r.read_only === 1,
  state: r.state as AttachmentRow['state'],
  createdAt: r.created_at,
});
const toMount = (r: Selectable<DB['volume_mounts']>): VolumeMount => ({
  volumeId: r.volume_id,
  state: r.state as VolumeMount['state'],
  volumeType: r.volume_type as VolumeMount['volumeType'],
  source: r.source,
  mountPath: r.mount_path,
  devicePath: r.device_path,
  readOnly: r.read_only === 1,
  jobId: r.job_id,
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
      .values({ ...snakeKeys(a), read_only: a.readOnly ? 1 : 0 })
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
      .values({ ...snakeKeys(m), read_only: m.readOnly ? 1 : 0, created_at: nowIso() })
      .execute();
  }
  async updateMount(
    volumeId: string,
    set: Partial<Pick<VolumeMount, 'state' | 'devicePath' | 'mountPath' | 'jobId'>>,
    tx: StoreTx = this.db,
  ): Promise<void> {
    await tx.updateTable('volume_mounts').set(snakeKeys(set)).where('volume_id', '=', volumeId).execute();
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
