// What the OSD route modules share: route config, the pool new volumes go to,
// this node's id, finding a volume or snapshot by OSD id (or name), and their OSD shapes.
import { CairnError } from '../../../domain/errors.js';
import type { Filter, ListParams } from '../../../domain/list.js';
import type { Principal } from '../../../domain/permissions.js';
import type { Snapshot, Volume } from '../../../domain/volumes.js';
import type { Services } from '../../../services/index.js';
import { DEFAULT_LUN_FILESYSTEM, type Attachment, type LunFilesystem } from '../../../domain/attachments.js';
import { allPages } from '../jobs.js';
import { FORMAT_KEY, PARENT_KEY, osdSnapshotVolume, osdVolume } from './map.js';
import type { LabelFilter } from '../../../domain/labels.js';

export const DIALECT = 'osd';

const eq = (field: string, column: string, value: string): Filter => ({ field, column, op: 'eq', value });
export const params = (filters: Filter[] = [], limit = 1000, offset = 0): ListParams => ({
  limit,
  offset,
  cursor: null,
  sort: [],
  filters,
});

export class OsdContext {
  constructor(readonly svc: Services) {}

  cfg = (permission: string) => ({ permission, dialect: DIALECT });

  /** The pool OSD volumes are made in: CAIRN_DOCKER_POOL, else the only pool (the pool service decides). */
  poolId(p: Principal): Promise<string> {
    return this.svc.pools.defaultPool(p);
  }

  async nodeId(): Promise<string> {
    return (await this.svc.monitor.statusCluster()).nodes[0]!.id;
  }

  /** A volume by id, else by name (OSD inspects by either); null when there is none. */
  async findVolume(p: Principal, idOrName: string): Promise<Volume | null> {
    const byId = await this.svc.volumes.get(p, idOrName).catch(notFound);
    if (byId) return byId;
    // OpenStorage's name is Cairn's display name (the name itself unless it had to change).
    for (const field of ['name', 'display_name']) {
      const page = await this.svc.volumes.list(p, params([eq(field, field, idOrName)], 2));
      if (page.items[0]) return page.items[0];
    }
    return null;
  }

  /** A volume by id or name, or VOLUME_NOT_FOUND. */
  async mustVolume(p: Principal, idOrName: string): Promise<Volume> {
    const v = await this.findVolume(p, idOrName);
    if (!v) throw new CairnError('VOLUME_NOT_FOUND', { id: idOrName });
    return v;
  }

  async findSnapshot(p: Principal, id: string): Promise<Snapshot | null> {
    return this.svc.snapshots.get(p, id).catch(notFound);
  }

  async allVolumes(p: Principal, filters: Filter[] = [], labels: LabelFilter[] = []): Promise<Volume[]> {
    return allPages((offset, limit) => this.svc.volumes.list(p, params(filters, limit, offset), labels));
  }

  async allSnapshots(p: Principal, volumeId?: string, labels: LabelFilter[] = []): Promise<Snapshot[]> {
    return allPages((offset, limit) =>
      this.svc.snapshots.list(p, params([], limit, offset), volumeId, labels),
    );
  }

  /** The filesystem a lun is (or will be, at its first mount) formatted with. */
  lunFs(v: Volume): LunFilesystem {
    const asked = v.metadata[FORMAT_KEY];
    return asked === 'xfs' || asked === 'ext4' ? asked : DEFAULT_LUN_FILESYSTEM;
  }

  /** The volume's attachments, whoever asked for them (the OSD Volume shows its device and mounts). */
  async attachmentsOf(p: Principal, v: Volume): Promise<Attachment[]> {
    if (!v.attachments) return [];
    const filter: Filter = { field: 'volume_id', column: 'volume_id', op: 'eq', value: v.id };
    return allPages((offset, limit) => this.svc.attachments.list(p, params([filter], limit, offset)));
  }

  async volumeOut(p: Principal, v: Volume) {
    return osdVolume(v, {
      nodeId: await this.nodeId(),
      attachments: await this.attachmentsOf(p, v),
      lunFs: v.type === 'lun' ? this.lunFs(v) : null,
      labels: v.labels,
      displayName: v.display_name,
      parent: v.metadata[PARENT_KEY] ?? null,
    });
  }

  async snapshotOut(p: Principal, s: Snapshot) {
    const parent = await this.svc.volumes.get(p, s.volume).catch(notFound);
    return osdSnapshotVolume(s, parent, {
      nodeId: await this.nodeId(),
      labels: s.labels,
      displayName: s.display_name,
      lunFs: parent?.type === 'lun' ? this.lunFs(parent) : null,
    });
  }
}

/** A *_NOT_FOUND error becomes null; anything else is thrown on. */
export function notFound(e: unknown): null {
  if (e instanceof CairnError && e.code.endsWith('_NOT_FOUND')) return null;
  throw e;
}
