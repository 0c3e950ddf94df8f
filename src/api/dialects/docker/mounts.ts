// Where Docker's containers get a volume: Cairn's attachments, one per container under the
// requester `docker:<ID>`, all sharing the volume's one mount (made by the first, kept until the
// last detach). Durable: a restart of Cairn neither loses nor doubles them.
import type { Filter, ListParams } from '../../../domain/list.js';
import type { Principal } from '../../../domain/permissions.js';
import type { Volume } from '../../../domain/volumes.js';
import type { Attachment } from '../../../domain/attachments.js';
import type { Services } from '../../../services/index.js';
import { allPages } from '../jobs.js';

export const REQUESTER_PREFIX = 'docker:';
export const requester = (containerId: string): string => `${REQUESTER_PREFIX}${containerId}`;
/** The volume metadata key keeping the filesystem a lun is formatted with at its first mount. */
export const FS_KEY = 'docker.fs';

const eq = (field: string, value: string): Filter => ({ field, column: field, op: 'eq', value });
const page =
  (filters: Filter[]) =>
  (offset: number, limit: number): ListParams => ({
    limit,
    offset,
    cursor: null,
    sort: [],
    filters,
  });

export class DockerMounts {
  constructor(private readonly svc: Services) {}

  private of(p: Principal, v: Volume, containerId?: string): Promise<Attachment[]> {
    const f = [
      eq('volume_id', v.id),
      ...(containerId !== undefined ? [eq('requester', requester(containerId))] : []),
    ];
    return allPages((o, l) => this.svc.attachments.list(p, page(f)(o, l)));
  }

  /** Mounts the volume for a container (again: the same attachment) and answers the mount point. */
  async mount(p: Principal, v: Volume, containerId: string): Promise<string> {
    const fs = v.metadata[FS_KEY];
    // Docker needs a directory: a lun is mounted too (formatted at its first mount).
    const a = await this.svc.attachments.attach(p, v.id, {
      requester: requester(containerId),
      mount: true,
      ...(fs === 'ext4' || fs === 'xfs' ? { fs } : {}),
    });
    return a.mount_path ?? '';
  }

  /** Releases one container's use; the last one unmounts. Unknown IDs are no error (Docker retries). */
  async unmount(p: Principal, v: Volume, containerId: string): Promise<void> {
    for (const a of await this.of(p, v, containerId)) await this.svc.attachments.detach(p, a.id);
  }

  /** The mount point while anything has the volume attached, else ''. */
  async path(p: Principal, v: Volume): Promise<string> {
    return (await this.of(p, v)).find((a) => a.mount_path)?.mount_path ?? '';
  }

  /** Who has the volume attached (containers as `docker:<ID>`, other requesters as they are). */
  async users(p: Principal, v: Volume): Promise<string[]> {
    return (await this.of(p, v)).map((a) => a.requester);
  }
}
