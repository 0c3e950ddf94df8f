// A volume's share and its LUN mappings, for products that see exports that way (vSnap, and NGX's
// shares): a filesystem volume has at most one file share (NFS or SMB), changed in place or
// replaced, or (NGX) an NFS and an SMB export turned on and off together (`apply`); a lun is mapped
// to a host by one iSCSI export per volume and host. The rules live here, so a dialect only
// translates words; each call waits for its jobs and answers the result.
import { CairnError } from '../../domain/errors.js';
import { EVERY_ADDRESS, type ExportRecord, type Protocol } from '../../domain/exports.js';
import type { Job } from '../../domain/job.js';
import type { ListParams, Page } from '../../domain/list.js';
import type { Principal } from '../../domain/permissions.js';
import type { JobEngine } from '../../jobs/engine.js';
import { settled, settledBy } from '../jobs.js';
import type { ExportService } from './service.js';

/** The protocols of a file share. */
export const SHARE_PROTOCOLS = ['nfs', 'smb'] as const;
export type ShareProtocol = (typeof SHARE_PROTOCOLS)[number];

/** What a share is made or replaced with. */
export interface ShareSettings {
  protocol: ShareProtocol;
  allowed: string[];
  readOnly: boolean;
  /** NFS only; the protocol's default when absent. */
  rootSquash?: boolean;
}

/**
 * What `apply` makes of a volume's NFS and SMB exports. Fields left out (or undefined) change
 * nothing.
 */
export interface SharesChange {
  /** true: the volume is served over NFS (an export is made when it has none); false: it is not. */
  nfs?: boolean | undefined;
  /** The same for SMB. */
  smb?: boolean | undefined;
  /** Who may connect: set on each export that stays; a new export gets it, or every address. */
  allowed?: string[] | undefined;
  /** NFS: read-only; set on an NFS export that stays; a new one gets it, or read-write. */
  nfsReadOnly?: boolean | undefined;
}

const PAGE = 1000;

/** Every item of a paged list. */
async function every<T>(page: (params: ListParams) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const got = await page({ limit: PAGE, offset, cursor: null, sort: [], filters: [] });
    out.push(...got.items);
    if (out.length >= got.total || got.items.length === 0) return out;
  }
}

export class VolumeShares {
  constructor(
    private readonly d: {
      exports: Pick<ExportService, 'forVolume' | 'get' | 'create' | 'update' | 'delete' | 'mappedBy'>;
      engine: Pick<JobEngine, 'wait'>;
    },
  ) {}

  /** The volume's exports of these protocols (all of them when none are named). */
  private async exportsOf(p: Principal, volumeId: string, protocols?: readonly Protocol[]) {
    const all = await every((params) => this.d.exports.forVolume(p, volumeId, params));
    return protocols ? all.filter((e) => protocols.includes(e.protocol)) : all;
  }

  /** The volume's share: its first NFS or SMB export; undefined when it has none. */
  async of(p: Principal, volumeId: string): Promise<ExportRecord | undefined> {
    return (await this.exportsOf(p, volumeId, SHARE_PROTOCOLS))[0];
  }

  /** Makes the volume's share; VOLUME_ALREADY_SHARED when it has one (one share per volume). */
  async create(p: Principal, volumeId: string, s: ShareSettings): Promise<ExportRecord> {
    const old = await this.of(p, volumeId);
    if (old) throw new CairnError('VOLUME_ALREADY_SHARED', { volume: volumeId, protocol: old.protocol });
    return this.make(p, volumeId, s);
  }

  private async make(p: Principal, volumeId: string, s: ShareSettings): Promise<ExportRecord> {
    const { id, job } = await this.d.exports.create(p, volumeId, {
      protocol: s.protocol,
      allowed: s.allowed,
      read_only: s.readOnly,
      ...(s.protocol === 'nfs' && s.rootSquash !== undefined ? { root_squash: s.rootSquash } : {}),
    });
    await settled(this.d.engine, job);
    return this.d.exports.get(p, id);
  }

  /**
   * Gives the volume a share with these settings. The same protocol changes in place (its id,
   * name and URI stay; a change that fails leaves it as it was); another protocol is another
   * export, made first so the volume is never left without one, then the old one goes. A volume
   * without a share gets one.
   */
  async put(p: Principal, volumeId: string, s: ShareSettings): Promise<ExportRecord> {
    const old = await this.of(p, volumeId);
    if (!old) return this.make(p, volumeId, s);
    if (old.protocol !== s.protocol) {
      const made = await this.make(p, volumeId, s);
      await settled(this.d.engine, await this.d.exports.delete(p, old.id, true));
      return made;
    }
    const job = await this.d.exports.update(p, old.id, {
      allowed: s.allowed,
      read_only: s.readOnly,
      ...(s.protocol === 'nfs' && s.rootSquash !== undefined ? { root_squash: s.rootSquash } : {}),
    });
    await settled(this.d.engine, job);
    return this.d.exports.get(p, old.id);
  }

  /**
   * Makes, changes in place or removes the volume's NFS and SMB exports, NFS first then SMB: a
   * protocol turned on gets an export when it has none, one turned off loses its export (clients
   * connected or not), and an export that stays takes the settings given, in place (its id stays;
   * nothing given, nothing changes). Each job is waited for; with `deadline` (epoch ms) no longer
   * than until then (at least a second each), SERVICE_UNAVAILABLE for a job still running.
   */
  async apply(p: Principal, volumeId: string, c: SharesChange, o: { deadline?: number } = {}): Promise<void> {
    const wait = (job: Job) => settledBy(this.d.engine, job, o.deadline);
    const current = await this.exportsOf(p, volumeId, SHARE_PROTOCOLS);
    for (const protocol of SHARE_PROTOCOLS) {
      const e = current.find((x) => x.protocol === protocol);
      const on = c[protocol] ?? Boolean(e);
      const readOnly = protocol === 'nfs' ? c.nfsReadOnly : undefined;
      if (on && !e) {
        const { job } = await this.d.exports.create(p, volumeId, {
          protocol,
          allowed: c.allowed ?? [...EVERY_ADDRESS],
          read_only: readOnly ?? false,
        });
        await wait(job);
      } else if (on && e && (c.allowed !== undefined || readOnly !== undefined))
        await wait(
          await this.d.exports.update(p, e.id, {
            ...(c.allowed !== undefined ? { allowed: c.allowed } : {}),
            ...(readOnly !== undefined ? { read_only: readOnly } : {}),
          }),
        );
      else if (!on && e) await wait(await this.d.exports.delete(p, e.id, true));
    }
  }

  /** Removes the volume's share (clients connected or not); VOLUME_NOT_SHARED when it has none. */
  async delete(p: Principal, volumeId: string): Promise<void> {
    const old = await this.of(p, volumeId);
    if (!old) throw new CairnError('VOLUME_NOT_SHARED', { volume: volumeId });
    await settled(this.d.engine, await this.d.exports.delete(p, old.id, true));
  }

  /** The volume's iSCSI exports that map the host. */
  private async mappings(p: Principal, volumeId: string, hostId: string) {
    return (await this.exportsOf(p, volumeId, ['iscsi'])).filter((e) => e.hosts.includes(hostId));
  }

  /** Maps a lun to a host: one iSCSI export per volume and host, kept if there is one already. */
  async map(p: Principal, volumeId: string, hostId: string): Promise<ExportRecord> {
    const existing = (await this.mappings(p, volumeId, hostId))[0];
    if (existing) return existing;
    const { id, job } = await this.d.exports.create(p, volumeId, { protocol: 'iscsi', hosts: [hostId] });
    await settled(this.d.engine, job);
    return this.d.exports.get(p, id);
  }

  /** Takes away every iSCSI export of the volume that maps the host; VOLUME_NOT_MAPPED when none does. */
  async unmap(p: Principal, volumeId: string, hostId: string): Promise<void> {
    const mapped = await this.mappings(p, volumeId, hostId);
    if (!mapped.length) throw new CairnError('VOLUME_NOT_MAPPED', { volume: volumeId, host: hostId });
    for (const e of mapped) await settled(this.d.engine, await this.d.exports.delete(p, e.id, true));
  }

  /** What the volume shows of its exports: its share, and the hosts its luns are mapped to. */
  async sharing(
    p: Principal,
    volumeId: string,
  ): Promise<{ share: ExportRecord | undefined; hosts: string[] }> {
    const all = await this.exportsOf(p, volumeId);
    return {
      share: all.find((e) => (SHARE_PROTOCOLS as readonly string[]).includes(e.protocol)),
      hosts: [...new Set(all.filter((e) => e.protocol === 'iscsi').flatMap((e) => e.hosts))],
    };
  }

  /** The iSCSI exports that map a host (its luns), those the principal may see. */
  async lunsOf(p: Principal, hostId: string): Promise<ExportRecord[]> {
    const out: ExportRecord[] = [];
    for (const id of await this.d.exports.mappedBy(hostId)) {
      const e = await this.d.exports.get(p, id).catch(() => null);
      if (e?.protocol === 'iscsi') out.push(e);
    }
    return out;
  }
}
