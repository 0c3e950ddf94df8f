// Schedules: validates and stores cron schedules of snapshots (with retention), pool scrubs and
// dedup, and replication; every answer carries the cron's plain-language description.
import { CairnError, type FieldProblem } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { ListParams, Page } from '../../domain/list.js';
import { isValidName } from '../../domain/names.js';
import type { Principal } from '../../domain/permissions.js';
import {
  SCHEDULE_KINDS,
  TARGET_OF,
  cronProblems,
  describeCron,
  isValidPrefix,
  retentionProblems,
  type ScheduleKind,
} from '../../domain/protection.js';
import type { Schedule, ScheduleCreate, ScheduleUpdate } from '../../domain/schedules.js';
import type { ScheduleRecord } from '../../store/schedules.js';
import { assertInScope } from '../volumes/service.js';
import type { ProtectionDeps } from '../replication/deps.js';
import type { Scheduler } from './scheduler.js';
import type { PoolDependents } from '../contracts.js';

export const scheduleWire = (s: ScheduleRecord): Schedule => ({
  id: s.id,
  name: s.name,
  kind: s.kind,
  target: s.targetId,
  target_type: TARGET_OF[s.kind],
  pool: s.poolId,
  cron: s.cron,
  time_zone: s.timeZone,
  description: describeCron(s.cron),
  prefix: s.prefix,
  enabled: s.enabled,
  retention: s.retention,
  last_run_at: s.lastRunAt,
  last_status: s.lastStatus,
  last_error: s.lastError,
  last_job: s.lastJobId,
  next_run_at: s.enabled ? s.nextRunAt : null,
  created_at: s.createdAt,
  updated_at: s.updatedAt,
});

function problems(i: Partial<ScheduleCreate>): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (i.name !== undefined && !isValidName(i.name))
    out.push({ field: 'name', code: 'BAD_NAME', message: '1-64 letters, digits, . _ -' });
  if (i.kind !== undefined && !SCHEDULE_KINDS.includes(i.kind))
    out.push({ field: 'kind', code: 'BAD_KIND', message: SCHEDULE_KINDS.join(', ') });
  if (i.prefix !== undefined && !isValidPrefix(i.prefix))
    out.push({ field: 'prefix', code: 'BAD_PREFIX', message: '1-32 letters, digits, . _ -' });
  out.push(...cronProblems(i.cron, i.time_zone), ...retentionProblems('retention', i.retention));
  return out;
}

export class ScheduleService {
  constructor(
    private readonly d: ProtectionDeps,
    private readonly scheduler: Scheduler,
  ) {}

  /** A deleted volume's snapshot schedules go with it (VolumeService.whenDeleted). */
  async forgetVolume(volumeId: string): Promise<void> {
    await this.d.schedules.deleteByTarget(volumeId);
    this.scheduler.poke();
  }

  /** A pool delete takes the pool's schedules (scrub, dedup, and those of its volumes) with it. */
  poolDependents(): PoolDependents {
    return {
      kind: 'schedule',
      removeAll: async (poolId) => {
        await this.d.schedules.deleteByPool(poolId);
        this.scheduler.poke();
      },
    };
  }

  /** The pool a target belongs to (checked to exist and to be in the principal's scope). */
  private async poolOf(p: Principal, kind: ScheduleKind, target: string): Promise<string> {
    const t = TARGET_OF[kind];
    const pool =
      t === 'volume'
        ? (await this.d.volumes.get(target)).poolId
        : t === 'relationship'
          ? (await this.d.store.getRelationship(target)).poolId
          : (
              await this.d
                .pools()
                .mounted(target, p)
                .catch((e: unknown) => {
                  if (e instanceof CairnError && e.code === 'POOL_NOT_READY') return { id: target };
                  throw e;
                })
            ).id;
    assertInScope(p, pool);
    return pool;
  }

  async create(p: Principal, input: ScheduleCreate): Promise<Schedule> {
    CairnError.assertNoProblems(problems(input));
    if (input.kind === 'replication') {
      const r = await this.d.store.getRelationship(input.target);
      if (r.role !== 'source')
        throw new CairnError('RELATIONSHIP_WRONG_ROLE', {
          id: r.id,
          role: r.role,
          action: 'a replication schedule',
          needed: 'source',
        });
    }
    const poolId = await this.poolOf(p, input.kind, input.target);
    const id = newId();
    const tz = input.time_zone ?? 'UTC';
    const enabled = input.enabled ?? true;
    await this.d.schedules.insert({
      id,
      name: input.name,
      kind: input.kind,
      targetId: input.target,
      poolId: poolId,
      cron: input.cron,
      timeZone: tz,
      prefix: input.prefix ?? input.name.slice(0, 32).replace(/^[^A-Za-z0-9]+/, '') ?? 'auto',
      enabled,
      retention: input.retention ?? {},
      nextRunAt: enabled ? this.scheduler.nextAfter({ cron: input.cron, timeZone: tz }) : null,
    });
    this.scheduler.poke();
    return this.get(p, id);
  }

  async record(p: Principal | undefined, id: string): Promise<ScheduleRecord> {
    const s = await this.d.schedules.get(id);
    if (s.poolId) assertInScope(p, s.poolId);
    return s;
  }

  async get(p: Principal | undefined, id: string): Promise<Schedule> {
    return scheduleWire(await this.record(p, id));
  }

  list(p: Principal, params: ListParams): Promise<Page<Schedule>> {
    return this.d.schedules.list(params, p.pools, scheduleWire);
  }

  async update(p: Principal, id: string, input: ScheduleUpdate): Promise<Schedule> {
    const s = await this.record(p, id);
    const tz = input.time_zone ?? s.timeZone;
    const cron = input.cron ?? s.cron;
    CairnError.assertNoProblems(problems({ ...input, cron, time_zone: tz }));
    const enabled = input.enabled ?? s.enabled;
    const replan = input.cron !== undefined || input.time_zone !== undefined || input.enabled !== undefined;
    await this.d.schedules.update(id, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.prefix !== undefined ? { prefix: input.prefix } : {}),
      ...(input.retention !== undefined ? { retention: input.retention } : {}),
      cron,
      timeZone: tz,
      enabled,
      ...(replan ? { nextRunAt: enabled ? this.scheduler.nextAfter({ cron, timeZone: tz }) : null } : {}),
    });
    this.scheduler.poke();
    return this.get(p, id);
  }

  async delete(p: Principal, id: string): Promise<void> {
    await this.record(p, id);
    await this.d.schedules.delete(id);
  }

  /** Runs the schedule once now (its next run is unchanged); answers when the run was started. */
  async runNow(p: Principal, id: string): Promise<Schedule> {
    const s = await this.record(p, id);
    await this.scheduler.fire(s);
    return this.get(p, id);
  }
}
