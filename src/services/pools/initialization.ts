// Initializing the system (vSnap's `POST /api/system {"action": "init"}`): the first pool, made of
// every candidate disk, and whether the system is ready for volumes. The rules are here; a dialect
// only words them.
import { CairnError } from '../../domain/errors.js';
import type { Job } from '../../domain/job.js';
import { systemPrincipal, type Principal } from '../../domain/permissions.js';
import type { Profile } from '../../domain/storage.js';
import type { JobEngine } from '../../jobs/engine.js';
import type { Initialization, SystemService } from '../system.js';
import type { DiskService } from '../disks/service.js';
import type { PoolService } from './service.js';

export type InitStatus = 'not_initialized' | 'initializing' | 'ready';

/** The name of the pool initialization makes. */
export const FIRST_POOL_NAME = 'primary';

/** The first pool's profile: one disk as it is, two or more mirrored (any one may fail). */
export const firstPoolProfile = (disks: number): Profile => (disks === 1 ? 'single' : 'raid1');

/**
 * Initializing while the first pool's job runs; ready once a pool exists, or when initialization
 * skipped the pool; otherwise not initialized (never asked, or the first pool's job failed).
 */
export function initStatus(s: {
  init: Initialization | null;
  poolJobRunning: boolean;
  pools: number;
}): InitStatus {
  if (s.poolJobRunning) return 'initializing';
  if (s.pools > 0) return 'ready';
  return s.init && !s.init.pool_job_id ? 'ready' : 'not_initialized';
}

export class SystemInitialization {
  constructor(
    private readonly d: {
      system: Pick<SystemService, 'initialization' | 'recordInitialization'>;
      pools: Pick<PoolService, 'create' | 'list'>;
      disks: Pick<DiskService, 'candidates'>;
      engine: Pick<JobEngine, 'get'>;
    },
  ) {}

  /** Whether the system is ready for volumes (every pool counts, whoever asks). */
  async status(): Promise<InitStatus> {
    const init = await this.d.system.initialization();
    const job = init?.pool_job_id ? await this.d.engine.get(init.pool_job_id).catch(() => null) : null;
    const pools = await this.d.pools.list(systemPrincipal('system:initialization'), {
      limit: 1,
      offset: 0,
      cursor: null,
      sort: [],
      filters: [],
    });
    return initStatus({
      init,
      poolJobRunning: job?.state === 'pending' || job?.state === 'running',
      pools: pools.total,
    });
  }

  /**
   * Records the initialization and, unless `skipPool`, submits the first pool: every candidate
   * disk (VALIDATION_FAILED when there is none), named `primary`, `single` or `raid1`. Answers the
   * pool's job (null when skipped).
   */
  async initialize(p: Principal, o: { multipool: boolean; skipPool: boolean }): Promise<Job | null> {
    if (o.skipPool) {
      await this.d.system.recordInitialization({ multipool: o.multipool, pool_job_id: null });
      return null;
    }
    const disks = await this.d.disks.candidates(p);
    if (disks.length === 0)
      throw new CairnError(
        'VALIDATION_FAILED',
        { summary: 'no unused disks to make a pool from' },
        'no unused disks to make a pool from',
      );
    const { job } = await this.d.pools.create(p, {
      name: FIRST_POOL_NAME,
      disks,
      profile: firstPoolProfile(disks.length),
    });
    await this.d.system.recordInitialization({ multipool: o.multipool, pool_job_id: job.id });
    return job;
  }
}
