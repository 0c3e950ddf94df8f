// Several native steps answered as one, all or none: volumes made with their snapshot schedules
// and NFS/SMB exports, an iSCSI target made with its LUNs, LUNs added to a target. Products whose
// one call does what Cairn does in several (NGX's share and LUN creates, a Docker volume with its
// schedules) call these, so that what is undone when a step fails is decided here, not in a
// dialect. Each step's job is waited for; with `deadline` (epoch ms) no longer than until then
// (at least a second a job), SERVICE_UNAVAILABLE for a job still running.
import type { Job } from '../domain/job.js';
import type { Principal } from '../domain/permissions.js';
import type { RetentionPolicy } from '../domain/protection.js';
import type { Target, TargetCreate } from '../domain/targets.js';
import type { JobEngine } from '../jobs/engine.js';
import type { VolumeShares, SharesChange } from './exports/shares.js';
import { settled, settledBy } from './jobs.js';
import type { ScheduleService } from './schedules/service.js';
import type { TargetService } from './targets/service.js';
import type { VolumeCreateInput, VolumeService } from './volumes/service.js';

/** A snapshot schedule of a volume being made, named `<namePrefix>-<volume id>`. */
export interface VolumeScheduleSpec {
  namePrefix: string;
  cron: string;
  retention: RetentionPolicy;
}

/** One volume to make, and what goes with it. */
export interface ProvisionedVolume {
  volume: VolumeCreateInput;
  schedules?: VolumeScheduleSpec[];
  /** Its NFS and SMB exports, as VolumeShares.apply makes them. */
  shares?: SharesChange;
}

export interface ProvisionOptions {
  deadline?: number;
}

export interface ProvisioningDeps {
  volumes: Pick<VolumeService, 'create' | 'delete'>;
  schedules: Pick<ScheduleService, 'create'>;
  shares: Pick<VolumeShares, 'apply'>;
  targets: Pick<TargetService, 'create' | 'delete' | 'addLun' | 'removeLun'>;
  engine: Pick<JobEngine, 'wait'>;
}

export class Provisioning {
  constructor(private readonly d: ProvisioningDeps) {}

  private waiter(o: ProvisionOptions): (job: Job) => Promise<Job> {
    return (job) => settledBy(this.d.engine, job, o.deadline);
  }

  /**
   * Undoes what was made, the newest first, each undo's job waited for. An undo that fails is
   * passed over: the caller throws the error that made the undo necessary, not this one.
   */
  private async undo<T>(made: T[], undo: (x: T) => Promise<Job>): Promise<void> {
    for (const x of [...made].reverse())
      await undo(x)
        .then((job) => settled(this.d.engine, job))
        .catch(() => undefined);
  }

  /**
   * Makes the volumes in order, each with its schedules then its exports. When a step fails,
   * every volume made by this call is deleted with what it got (a cascade: exports, schedules),
   * the newest first, and the step's error is thrown. Answers the new volumes' ids, in order.
   */
  async volumes(p: Principal, items: ProvisionedVolume[], o: ProvisionOptions = {}): Promise<string[]> {
    const wait = this.waiter(o);
    const made: string[] = [];
    try {
      for (const item of items) {
        const { id, job } = await this.d.volumes.create(p, item.volume);
        made.push(id);
        await wait(job);
        for (const s of item.schedules ?? [])
          await this.d.schedules.create(p, {
            name: `${s.namePrefix}-${id}`,
            kind: 'snapshot',
            target: id,
            cron: s.cron,
            retention: s.retention,
          });
        if (item.shares) await this.d.shares.apply(p, id, item.shares, o);
      }
      return made;
    } catch (e) {
      await this.undo(made, (id) => this.d.volumes.delete(p, id, true));
      throw e;
    }
  }

  /**
   * Adds a LUN of each volume to a target, in order. When one fails, the LUNs this call added are
   * taken out again, the newest first, and the error is thrown.
   */
  async addLuns(
    p: Principal,
    targetId: string,
    volumeIds: string[],
    o: ProvisionOptions = {},
  ): Promise<void> {
    const wait = this.waiter(o);
    const added: number[] = [];
    try {
      for (const volume_id of volumeIds) {
        const { job, lun } = await this.d.targets.addLun(p, targetId, { volume_id });
        added.push(lun);
        await wait(job);
      }
    } catch (e) {
      await this.undo(added, (lun) => this.d.targets.removeLun(p, targetId, lun));
      throw e;
    }
  }

  /**
   * Makes a target, then adds a LUN of each volume; when that fails, the target is deleted again
   * and the error is thrown. Answers the new target's id.
   */
  async target(
    p: Principal,
    input: TargetCreate,
    volumeIds: string[],
    o: ProvisionOptions = {},
  ): Promise<Target['id']> {
    const { id, job } = await this.d.targets.create(p, input);
    await this.waiter(o)(job);
    try {
      await this.addLuns(p, id, volumeIds, o);
    } catch (e) {
      await this.undo([id], (t) => this.d.targets.delete(p, t, true));
      throw e;
    }
    return id;
  }
}
