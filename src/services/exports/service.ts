// Exports of volumes: checks the request (volume type, hosts, addresses, protocol options, names),
// records the desired export and submits the job that publishes it. Pool-scoped API keys see and
// touch only exports of their pools.
import type { JobEngine } from '../../jobs/engine.js';
import { CairnError, type FieldProblem } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { Job } from '../../domain/job.js';
import type { ListParams, Page } from '../../domain/list.js';
import { principalName, type Principal } from '../../domain/permissions.js';
import {
  EXPORT_NAME_RE,
  SMB_USER_RE,
  VOLUME_TYPE_OF,
  checkAddresses,
  defaultTargetIqn,
  exportUri,
  isIqn,
  smbAccountName,
  type ExportOptions,
  type ExportRecord,
  type Protocol,
} from '../../domain/exports.js';
import type { ExportStore } from '../../store/exports.js';
import type { HostStore } from '../../store/hosts.js';
import type { VolumeAccess, VolumeDependents } from '../contracts.js';
import type { Actor } from '../../jobs/engine.js';
import type { ExportDrivers } from './drivers.js';
import type { ExportNet } from './net.js';
import type { SecretBox } from '../hosts/secrets.js';
import { exportCreate, exportDelete } from './jobs.js';
import { tcpOpen } from './net.js';

export interface ExportCreateInput {
  protocol: Protocol;
  hosts?: string[];
  allowed?: string[];
  read_only?: boolean;
  root_squash?: boolean;
  versions?: number[];
  users?: { name: string; password: string }[];
  guest?: boolean;
  lun?: number;
  target_iqn?: string;
  block_size?: number;
  name?: string;
  tls?: boolean;
}

/** The wire shape: options without accounts' internals or secrets. */
export function exportView(e: ExportRecord) {
  const options: Record<string, unknown> = { ...e.options };
  if (e.options.users) options.users = e.options.users.map((u) => u.name);
  return {
    id: e.id,
    volume_id: e.volume_id,
    pool_id: e.pool_id,
    protocol: e.protocol,
    state: e.state,
    read_only: e.read_only,
    hosts: e.hosts,
    allowed: e.allowed,
    name: e.export_name,
    uri: e.uri,
    options,
    error: e.error,
    created_at: e.created_at,
    updated_at: e.updated_at,
  };
}
export type ExportView = ReturnType<typeof exportView>;

export interface ExportServiceDeps {
  engine: JobEngine;
  store: ExportStore;
  hosts: HostStore;
  drivers: ExportDrivers;
  net: ExportNet;
  box: SecretBox;
  volumes: () => VolumeAccess | undefined;
  setVolumes(v: VolumeAccess): void;
  systemName: () => Promise<string>;
}

export class ExportService {
  readonly createJob;
  readonly deleteJob;
  private allocating: Promise<unknown> = Promise.resolve();

  constructor(private readonly d: ExportServiceDeps) {
    this.createJob = exportCreate({ store: d.store, drivers: d.drivers });
    this.deleteJob = exportDelete({ store: d.store, drivers: d.drivers });
  }

  private scope(p: Principal, e: ExportRecord): void {
    if (p.pools && !p.pools.includes(e.pool_id)) throw new CairnError('OUT_OF_SCOPE', { pool: e.pool_id });
  }

  async get(p: Principal, id: string): Promise<ExportRecord> {
    const e = await this.d.store.get(id);
    this.scope(p, e);
    return e;
  }

  /**
   * Test hook: serve volumes from this VolumeAccess instead of the volume area's (used by the
   * integration tests that build their own btrfs before the volume area is merged).
   */
  useVolumeAccess(v: VolumeAccess): void {
    this.d.setVolumes(v);
  }

  /** The export as it is now (after a job, for the reply). */
  load(id: string): Promise<ExportRecord> {
    return this.d.store.get(id);
  }

  /** Export ids that map a host. */
  mappedBy(hostId: string): Promise<string[]> {
    return this.d.store.mappingHost(hostId);
  }

  list(p: Principal, params: ListParams, volumeId?: string): Promise<Page<ExportRecord>> {
    return this.d.store.list(params, { pools: p.pools, ...(volumeId ? { volumeId } : {}) });
  }

  /** Client figures of these exports as their daemons report them (the monitor samples them). */
  figures(exports: readonly ExportRecord[]): Promise<Map<string, Record<string, number>>> {
    return this.d.drivers.figures(exports);
  }

  async forVolume(p: Principal, volumeId: string, params: ListParams): Promise<Page<ExportRecord>> {
    const v = this.d.volumes();
    if (!v) throw new CairnError('VOLUME_NOT_FOUND', { id: volumeId });
    await v.exportable(volumeId, p).catch((e: unknown) => {
      if ((e as { code?: string }).code === 'VOLUME_NOT_READY') return;
      throw e;
    });
    return this.list(p, params, volumeId);
  }

  async create(p: Principal, volumeId: string, input: ExportCreateInput): Promise<{ job: Job; id: string }> {
    const access = this.d.volumes();
    if (!access) throw new CairnError('VOLUME_NOT_FOUND', { id: volumeId });
    const vol = await access.exportable(volumeId, p);
    const proto = input.protocol;
    const problems: FieldProblem[] = [];
    const hostIds = [...new Set(input.hosts ?? [])];
    const allowed = [...new Set(input.allowed ?? [])];
    checkAddresses(allowed, 'allowed', problems);
    const hosts = await this.d.hosts.many(hostIds);
    for (const h of hostIds)
      if (!hosts.some((x) => x.id === h))
        problems.push({ field: 'hosts', code: 'HOST_NOT_FOUND', message: `host ${h} does not exist` });
    const only = (field: keyof ExportCreateInput, protos: Protocol[]) => {
      if (input[field] !== undefined && !protos.includes(proto))
        problems.push({
          field,
          code: 'NOT_FOR_PROTOCOL',
          message: `${field} applies to ${protos.join('/')} only`,
        });
    };
    only('root_squash', ['nfs']);
    only('versions', ['nfs']);
    only('users', ['smb']);
    only('guest', ['smb']);
    only('lun', ['iscsi']);
    only('target_iqn', ['iscsi']);
    only('block_size', ['iscsi']);
    only('tls', ['nbd']);
    only('name', ['smb', 'nbd']);
    if (proto === 'iscsi' && hostIds.length === 0 && allowed.length === 0)
      problems.push({
        field: 'hosts',
        code: 'REQUIRED',
        message: 'map at least one host or allowed address',
      });
    if (proto === 'iscsi' && hosts.some((h) => h.iqns.length === 0) && allowed.length === 0)
      problems.push({ field: 'hosts', code: 'NO_IQN', message: 'a mapped host has no IQN' });
    if (proto === 'nfs') {
      const hostAddrs = hosts.flatMap((h) => h.addresses);
      if (allowed.length === 0 && hostAddrs.length === 0)
        problems.push({
          field: 'allowed',
          code: 'REQUIRED',
          message: 'name at least one allowed address or network',
        });
    }
    if (input.target_iqn !== undefined && !isIqn(input.target_iqn))
      problems.push({ field: 'target_iqn', code: 'NOT_IQN', message: 'not an iqn.… or eui.… name' });
    if (input.name !== undefined && !EXPORT_NAME_RE.test(input.name))
      problems.push({ field: 'name', code: 'PATTERN', message: 'letters, digits, _ and -, up to 64' });
    const users = input.users ?? [];
    users.forEach((u, i) => {
      if (!SMB_USER_RE.test(u.name))
        problems.push({
          field: `users.${i}.name`,
          code: 'PATTERN',
          message: 'lower-case letters, digits, _ and -',
        });
      if (u.password.length < 8)
        problems.push({ field: `users.${i}.password`, code: 'TOO_SHORT', message: 'at least 8 characters' });
    });
    if (new Set(users.map((u) => u.name)).size !== users.length)
      problems.push({ field: 'users', code: 'DUPLICATE', message: 'a user is listed twice' });
    if (proto === 'smb' && users.length === 0 && !input.guest)
      problems.push({
        field: 'users',
        code: 'REQUIRED',
        message: 'give share users, or allow guests explicitly',
      });
    if (proto === 'nbd' && input.tls && !this.d.net.nbdTlsDir) throw new CairnError('EXPORT_TLS_UNAVAILABLE');
    CairnError.assertNoProblems(problems);
    if (vol.type !== VOLUME_TYPE_OF[proto])
      throw new CairnError('EXPORT_TYPE_MISMATCH', {
        protocol: proto,
        expected: VOLUME_TYPE_OF[proto],
        id: vol.id,
        type: vol.type,
      });

    const id = newId();
    const options: ExportOptions = {};
    if (proto === 'nfs') {
      options.root_squash = input.root_squash ?? true;
      options.versions = [...new Set(input.versions ?? [3, 4])].sort();
    }
    if (proto === 'smb') {
      options.guest = input.guest ?? false;
      options.users = users.map((u, i) => ({
        name: u.name,
        account: smbAccountName(id, i),
        secret: this.d.box.seal(u.password),
      }));
    }
    if (proto === 'iscsi') {
      options.lun = input.lun ?? 1;
      if (input.block_size !== undefined) options.block_size = input.block_size;
    }
    if (proto === 'nbd') options.tls = input.tls ?? false;

    const net = this.d.net;
    const run = async () => {
      let name: string;
      let slot: number | null = null;
      let uri: string;
      switch (proto) {
        case 'iscsi':
          name = input.target_iqn ?? defaultTargetIqn(await this.d.systemName(), id);
          if (await this.d.store.byName('iscsi', name))
            throw new CairnError('EXPORT_IQN_TAKEN', { iqn: name });
          slot = nextFree(await this.d.store.slots('iscsi'), 1);
          uri = exportUri('iscsi', net.advertise, net.iscsi.port, name, options.lun);
          break;
        case 'nfs':
          // ganesha exports the subvolume's own mount: the path is that mount point (built from the id).
          name = this.d.drivers.exportPath(id);
          slot = nextFree(await this.d.store.slots('nfs'), 1);
          uri = exportUri('nfs', net.advertise, net.nfs.port, name);
          break;
        case 'smb':
          name = input.name ?? vol.name;
          if (!EXPORT_NAME_RE.test(name)) name = `vol-${vol.id.slice(0, 8)}`;
          if (await this.d.store.byName('smb', name))
            throw new CairnError('EXPORT_NAME_TAKEN', { protocol: proto, name });
          uri = exportUri('smb', net.advertise, net.smb.port, name);
          break;
        case 'nbd': {
          name = input.name ?? vol.name;
          if (!EXPORT_NAME_RE.test(name)) name = `vol-${vol.id.slice(0, 8)}`;
          if (await this.d.store.byName('nbd', name))
            throw new CairnError('EXPORT_NAME_TAKEN', { protocol: proto, name });
          const used = new Set(await this.d.store.slots('nbd'));
          for (let port = net.nbd.basePort; port <= net.nbd.lastPort; port++)
            if (!used.has(port) && !(await tcpOpen(net.nbd.address, port, 300))) {
              slot = port;
              break;
            }
          if (slot === null)
            throw new CairnError('NO_FREE_PORT', {
              protocol: 'nbd',
              from: net.nbd.basePort,
              to: net.nbd.lastPort,
            });
          uri = exportUri('nbd', net.advertise, slot, name);
          break;
        }
      }
      await this.d.store.insert({
        id,
        volume_id: vol.id,
        pool_id: vol.poolId,
        protocol: proto,
        state: 'creating',
        read_only: input.read_only ?? false,
        hosts: hostIds,
        allowed,
        options,
        export_name: name,
        slot,
        uri,
      });
    };
    const p1 = this.allocating.then(run);
    this.allocating = p1.catch(() => undefined);
    await p1;
    const job = await this.d.engine.submit(
      this.createJob,
      { exportId: id, volumeId: vol.id, protocol: proto },
      { name: principalName(p) },
    );
    return { job, id };
  }

  async delete(p: Principal, id: string, force: boolean, actor?: Actor): Promise<Job> {
    const e = await this.get(p, id);
    if (e.state === 'deleting') throw new CairnError('EXPORT_NOT_READY', { id, state: e.state });
    if (!force && e.protocol === 'iscsi') {
      const sessions = await this.d.drivers.iscsiSessions(e);
      if (sessions > 0) throw new CairnError('EXPORT_BUSY', { id, sessions });
    }
    await this.d.store.setState(id, 'deleting');
    return this.d.engine.submit(
      this.deleteJob,
      { exportId: id, volumeId: e.volume_id, protocol: e.protocol, stateBefore: e.state },
      actor ?? { name: principalName(p) },
    );
  }

  /** Re-applies the exports that map a host after the host changed (IQNs, CHAP, addresses). */
  async hostChanged(hostId: string): Promise<void> {
    for (const id of await this.d.store.mappingHost(hostId)) {
      const e = await this.d.store.find(id);
      if (!e || e.state !== 'active') continue;
      if (e.protocol === 'iscsi') await this.d.drivers.applyIscsi(e);
      if (e.protocol === 'nfs') await this.d.drivers.syncNfs();
      if (e.protocol === 'smb') await this.d.drivers.syncSmb();
      if (e.protocol === 'nbd') {
        await this.d.drivers.removeNbd(e);
        await this.d.drivers.applyNbd(e);
      }
    }
  }

  /** What the volume service asks before deleting a volume, and how it cascades. */
  dependents(): VolumeDependents {
    return {
      kind: 'export',
      list: async (volumeId) =>
        (await this.d.store.byVolume(volumeId)).map((e) => ({ id: e.id, readWrite: !e.read_only })),
      removeAll: async (volumeId, actor) => {
        for (const e of await this.d.store.byVolume(volumeId)) {
          if (e.state === 'deleting') continue;
          const job = await this.delete(SYSTEM_PRINCIPAL, e.id, true, actor);
          const done = await this.d.engine.wait(job.id, 120_000);
          if (done.state !== 'succeeded')
            throw new CairnError('JOB_FAILED', { id: job.id, reason: done.error?.message ?? done.state });
        }
      },
    };
  }
}

const SYSTEM_PRINCIPAL: Principal = {
  kind: 'system',
  userId: 'system',
  userName: 'system',
  role: 'admin',
  permissions: ['*'],
  pools: null,
};

function nextFree(used: number[], from: number): number {
  const s = new Set(used);
  let n = from;
  while (s.has(n)) n++;
  return n;
}
