// The Docker view of Cairn's volumes, shared by the plugin socket and the Engine API: names to
// volumes, the pool Docker volumes go to, create from Portworx-style options, remove, mount and
// unmount per container. Translates to services only; the storage decisions are theirs.
import { CairnError } from '../../../domain/errors.js';
import type { Filter, ListParams } from '../../../domain/list.js';
import type { Principal } from '../../../domain/permissions.js';
import type { Volume } from '../../../domain/volumes.js';
import type { LabelFilter } from '../../../domain/labels.js';
import type { Services } from '../../../services/index.js';
import { allPages, finished } from '../jobs.js';
import { askedMetadata, createPlan, dockerSide, listedBy, type CreatePlan } from './map.js';
import { DockerMounts, FS_KEY } from './mounts.js';

/** Cairn is one machine: a replica needs a node, and there is one. */
export const NODES = 1;

const eq = (field: string, column: string, value: string): Filter => ({ field, column, op: 'eq', value });
const page = (filters: Filter[], offset = 0, limit = 1000): ListParams => ({
  limit,
  offset,
  cursor: null,
  sort: [{ field: 'name', column: 'name', desc: false }],
  filters,
});

/** The plugin's names: its own (the socket's) and the aliases it also answers to (`pxd`). */
export interface DriverNames {
  main: string;
  aliases: string[];
}

/** What a create was asked through Docker: the driver named (if any) and the options given. */
export interface Asked {
  driver?: string;
  options: Record<string, string>;
}

export class DockerVolumes {
  readonly mounts: DockerMounts;
  constructor(
    private readonly svc: Services,
    readonly names: DriverNames,
  ) {
    this.mounts = new DockerMounts(svc);
  }

  /** The pool a new volume goes to: the one named, CAIRN_DOCKER_POOL, or the only pool. */
  pool(p: Principal, named?: string): Promise<string> {
    return this.svc.pools.defaultPool(p, named);
  }

  /** The volume Docker calls `name` (a name is unique in a pool; the default pool wins a tie). */
  async find(p: Principal, name: string): Promise<Volume | null> {
    const found = await this.svc.volumes.list(p, page([eq('name', 'name', name)], 0, 50));
    if (found.items.length <= 1) return found.items[0] ?? null;
    const pool = await this.pool(p).catch(() => null);
    return found.items.find((v) => v.pool === pool) ?? found.items[0]!;
  }

  async get(p: Principal, name: string): Promise<Volume> {
    const v = await this.find(p, name);
    if (!v) throw new CairnError('VOLUME_NOT_FOUND', { id: name });
    return v;
  }

  /** Every volume Docker may see (all pools), by name; label filters (ANDed) in the store. */
  async all(p: Principal, labels: readonly LabelFilter[] = []): Promise<Volume[]> {
    return allPages((offset, limit) => this.svc.volumes.list(p, page([], offset, limit), labels));
  }

  /** The driver name and options Docker shows for a volume (recorded at its create). */
  side(v: Volume): { driver: string; options: Record<string, string> } {
    return dockerSide(v.metadata, this.names.main);
  }

  /** The plugin socket (by driver name) that lists the volume: each volume shows once in dockerd. */
  listedBy(v: Volume): string {
    return listedBy(this.side(v).driver, this.names.main, this.names.aliases);
  }

  /** A volume's labels (Docker's Labels; the anonymous mark). */
  labelsOf(v: Volume): Record<string, string> {
    return v.labels;
  }

  /** Reads the options; the plan or a VALIDATION_FAILED naming every bad option. */
  plan(rawName: string, opts: Record<string, string>): CreatePlan {
    const r = createPlan(rawName, opts, NODES);
    if ('problems' in r) CairnError.assertNoProblems(r.problems);
    return (r as { plan: CreatePlan }).plan;
  }

  /**
   * Creates the volume the options describe, with its snapshot schedules; an existing volume of
   * that name is answered as is (Docker and Portworx treat a repeated create as a no-op). The
   * driver named and the options given are kept in the volume's metadata, for inspect and list.
   */
  async create(p: Principal, plan: CreatePlan, asked: Asked): Promise<Volume> {
    const existing = await this.find(p, plan.name);
    if (existing) return existing;
    const pool = await this.pool(p, plan.pool);
    // Never half-done: the volume goes again with a schedule that could not be made.
    const [id] = await this.svc.provisioning.volumes(p, [
      {
        volume: {
          pool,
          name: plan.name,
          type: plan.type,
          size: plan.size,
          ...(plan.block_size !== undefined ? { block_size: plan.block_size } : {}),
          ...(plan.compression !== undefined ? { compression: plan.compression } : {}),
          labels: plan.labels,
          metadata: {
            ...askedMetadata(asked.driver, asked.options),
            // A formatted lun's filesystem, used when a container first mounts it.
            ...(plan.filesystem ? { [FS_KEY]: plan.filesystem } : {}),
          },
        },
        schedules: plan.schedules.map((s) => ({
          namePrefix: `docker-${s.name}`,
          cron: s.cron,
          retention: { keep_last: s.keep },
        })),
      },
    ]);
    return this.svc.volumes.get(p, id!);
  }

  /**
   * dockerd created an existing volume under the plugin name `driver` (it did not know the volume
   * by another driver, or it would have refused): from now on the volume is that driver's, as
   * dockerd records it, so that the socket dockerd asks answers it.
   */
  async claim(p: Principal, v: Volume, driver: string): Promise<void> {
    if (this.listedBy(v) === driver) return;
    await this.svc.volumes.setAttributes(p, v.id, { metadata: askedMetadata(driver, {}) });
  }

  /** Removes a volume; refused while a container has it mounted. */
  async remove(p: Principal, v: Volume): Promise<void> {
    const users = await this.mounts.users(p, v);
    if (users.length)
      throw new CairnError('VOLUME_IN_USE', { id: v.name, summary: `containers ${users.join(', ')}` });
    await finished(this.svc, await this.svc.volumes.delete(p, v.id, false));
  }
}
