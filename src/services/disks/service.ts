// Disks: list and read them, make and delete virtual disks, rescan block devices. Rules and
// intent here; the work is done by the disk jobs.
import type { JobEngine } from '../../jobs/engine.js';
import type { Job } from '../../domain/job.js';
import { CairnError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { ListParams, Page } from '../../domain/list.js';
import { isValidName } from '../../domain/names.js';
import { principalName, type Principal } from '../../domain/permissions.js';
import type { DiskRecord } from '../../store/disks.js';
import type { StorageDeps } from '../pools/deps.js';
import { diskCreateJob, diskDeleteJob, diskRescanJob } from './jobs.js';
import type { Disk, DiskCreate } from '../../domain/disks.js';

/** The wire shape (the dialects name it so). */
export type DiskItem = Disk;

export const toDiskItem = (d: DiskRecord): DiskItem => ({
  id: d.id,
  name: d.name,
  kind: d.kind,
  state: d.state,
  path: d.path,
  size: d.sizeBytes,
  model: d.model,
  vendor: d.vendor,
  serial: d.serial,
  wwn: d.wwn,
  rotational: d.rotational,
  in_use: d.inUse ?? (d.poolId ? `${d.state === 'spare' ? 'spare of' : 'in'} pool ${d.poolId}` : null),
  pool_id: d.poolId,
  devid: d.devid,
  created_at: d.createdAt,
  updated_at: d.updatedAt,
});

/** The smallest and largest virtual disk Cairn makes (btrfs needs ~110 MiB per device). */
export const VIRTUAL_DISK_MIN = 128 * 1024 * 1024;
export const VIRTUAL_DISK_MAX = 64 * 1024 ** 4;

export class DiskService {
  readonly jobs: {
    create: ReturnType<typeof diskCreateJob>;
    delete: ReturnType<typeof diskDeleteJob>;
    rescan: ReturnType<typeof diskRescanJob>;
  };

  constructor(
    private readonly d: StorageDeps,
    private readonly engine: JobEngine,
  ) {
    this.jobs = {
      create: engine.register(diskCreateJob(d)),
      delete: engine.register(diskDeleteJob(d)),
      rescan: engine.register(diskRescanJob(d)),
    };
  }

  private visible(p: Principal | undefined, disk: DiskRecord): void {
    if (p?.pools && disk.poolId && !p.pools.includes(disk.poolId))
      throw new CairnError('DISK_NOT_FOUND', { id: disk.id });
  }

  list(p: Principal, params: ListParams): Promise<Page<DiskItem>> {
    return this.d.disks.list(params, toDiskItem, p.pools);
  }

  /**
   * The disks a pool may take when a request names none (every unused disk): in no pool and not
   * otherwise in use (mounted, partitioned, holding a signature), in list order.
   */
  async candidates(p: Principal): Promise<string[]> {
    const out: string[] = [];
    const filters = [{ field: 'state', column: 'state', op: 'eq' as const, value: 'unused' }];
    for (let offset = 0; ; offset += 1000) {
      const page = await this.list(p, { limit: 1000, offset, cursor: null, sort: [], filters });
      out.push(...page.items.filter((d) => !d.in_use).map((d) => d.id));
      if (offset + page.items.length >= page.total || page.items.length === 0) return out;
    }
  }

  async get(p: Principal | undefined, id: string): Promise<DiskItem> {
    const disk = await this.d.disks.get(id);
    this.visible(p, disk);
    return toDiskItem(disk);
  }

  /** Records a virtual disk of `size` bytes and submits the job that makes it. */
  async createVirtual(p: Principal, input: DiskCreate): Promise<{ job: Job; id: string }> {
    const problems = [];
    if (!Number.isInteger(input.size) || input.size < VIRTUAL_DISK_MIN || input.size > VIRTUAL_DISK_MAX)
      problems.push({
        field: 'size',
        code: 'OUT_OF_RANGE',
        message: `size must be from ${VIRTUAL_DISK_MIN} to ${VIRTUAL_DISK_MAX} bytes`,
      });
    if (input.name !== undefined && !isValidName(input.name))
      problems.push({ field: 'name', code: 'BAD_NAME', message: 'letters, digits, . _ - (up to 64)' });
    CairnError.assertNoProblems(problems);
    const id = newId();
    // Round down to 4 KiB so btrfs uses every byte.
    const size = Math.floor(input.size / 4096) * 4096;
    // The disk's row and its job are recorded in one transaction: both or neither.
    const job = await this.engine.submit(
      this.jobs.create,
      { diskId: id, sizeBytes: size },
      { name: principalName(p) },
      {
        within: (tx) =>
          this.d.disks.insert(
            {
              id,
              name: input.name ?? `vdisk-${id.slice(0, 8)}`,
              kind: 'virtual',
              path: null,
              file: this.d.paths.diskFile(id),
              sizeBytes: size,
              model: 'Cairn virtual disk',
              vendor: 'Cairn',
              serial: id,
              wwn: null,
              rotational: false,
              inUse: null,
              state: 'creating',
              poolId: null,
              devid: null,
            },
            tx,
          ),
      },
    );
    return { job, id };
  }

  async delete(p: Principal, id: string): Promise<Job> {
    const disk = await this.d.disks.get(id);
    this.visible(p, disk);
    if (disk.kind !== 'virtual') throw new CairnError('DISK_NOT_VIRTUAL', { id });
    if (!['unused', 'failed', 'missing'].includes(disk.state))
      throw new CairnError('DISK_IN_USE', {
        id,
        reason: disk.poolId ? `${disk.state} of pool ${disk.poolId}` : (disk.inUse ?? disk.state),
      });
    return this.engine.submit(
      this.jobs.delete,
      { diskId: id },
      { name: principalName(p) },
      {
        within: async (tx) => {
          if (!(await this.d.disks.transition(id, [disk.state], { state: 'deleting' }, tx)))
            throw new CairnError('DISK_IN_USE', { id, reason: 'it changed meanwhile' });
        },
      },
    );
  }

  rescan(p: Principal): Promise<Job> {
    return this.engine.submit(this.jobs.rescan, {}, { name: principalName(p) });
  }
}
