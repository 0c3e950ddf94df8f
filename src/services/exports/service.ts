// Exports of volumes: checks the request (volume type, hosts, addresses, protocol options, names),
// records the desired export and submits the job that publishes it. Pool-scoped API keys see and
// touch only exports of their pools.
import type { MaintenanceService } from '../maintenance.js';
import type { JobEngine } from '../../jobs/engine.js';
import { CairnError, type FieldProblem } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { Job } from '../../domain/job.js';
import type { ListParams, Page } from '../../domain/list.js';
import { principalName, systemPrincipal, type Principal } from '../../domain/permissions.js';
import {
  EXPORT_NAME_RE,
  checkAddresses,
  type Export,
  type ExportCreate,
  type ExportRecord,
  type ExportUpdate,
  type Host,
  type Protocol,
} from '../../domain/exports.js';
import { ExportSlotTaken, type ExportSettings, type ExportStore } from '../../store/exports.js';
import type { HostStore } from '../../store/hosts.js';
import type { VolumeAccess, VolumeDependents } from '../contracts.js';
import type { Actor } from '../../jobs/engine.js';
import type { ExportProtocols, ExportInput, ExportProtocol } from './protocols/index.js';
import { clientAddresses, type Placement } from './protocols/types.js';
import type { ExportNet } from './net.js';
import { exportCreate, exportDelete, exportUpdate } from './jobs.js';
import { tcpOpen } from './net.js';

/** The wire shape: options without accounts' internals or secrets. */
export function exportView(e: ExportRecord): Export {
  const options: Record<string, unknown> = { ...e.options };
  if (e.options.users) options.users = e.options.users.map((u) => u.name);
  return {
    id: e.id,
    volume_id: e.volumeId,
    pool_id: e.poolId,
    protocol: e.protocol,
    state: e.state,
    read_only: e.readOnly,
    hosts: e.hosts,
    allowed: e.allowed,
    name: e.exportName,
    uri: e.uri,
    options,
    error: e.error,
    created_at: e.createdAt,
    updated_at: e.updatedAt,
  };
}

export interface ExportServiceDeps {
  engine: JobEngine;
  store: ExportStore;
  hosts: HostStore;
  protocols: ExportProtocols;
  net: ExportNet;
  volumes: () => VolumeAccess | undefined;
  setVolumes(v: VolumeAccess): void;
  /** Maintenance mode refuses new exports (MAINTENANCE_MODE). */
  maintenance?: Pick<MaintenanceService, 'assertOff'>;
}

export class ExportService {
  readonly createJob;
  readonly updateJob;
  readonly deleteJob;

  constructor(private readonly d: ExportServiceDeps) {
    const deps = { store: d.store, protocols: d.protocols };
    this.createJob = exportCreate(deps);
    this.updateJob = exportUpdate(deps);
    this.deleteJob = exportDelete(deps);
  }

  private scope(p: Principal, e: ExportRecord): void {
    if (p.pools && !p.pools.includes(e.poolId)) throw new CairnError('OUT_OF_SCOPE', { pool: e.poolId });
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
    return this.d.protocols.figures(exports);
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

  /** Hosts by id, with a problem for each one that does not exist. */
  private async hostsOf(ids: string[], problems: FieldProblem[]): Promise<Host[]> {
    const hosts = await this.d.hosts.many(ids);
    for (const h of ids)
      if (!hosts.some((x) => x.id === h))
        problems.push({ field: 'hosts', code: 'HOST_NOT_FOUND', message: `host ${h} does not exist` });
    return hosts;
  }

  /** Fields the protocol does not take, or (on an update) cannot change once created. */
  private fieldProblems(
    proto: ExportProtocol,
    input: ExportInput,
    problems: FieldProblem[],
    update: boolean,
  ) {
    const fields = [
      'root_squash',
      'versions',
      'users',
      'guest',
      'lun',
      'target_iqn',
      'block_size',
      'tls',
      'name',
    ] as const;
    for (const f of fields) {
      if (input[f] === undefined) continue;
      if (!proto.fields.includes(f))
        problems.push({
          field: f,
          code: 'NOT_FOR_PROTOCOL',
          message: `${f} does not apply to ${proto.protocol} exports`,
        });
      else if (update && !proto.updatable.includes(f))
        problems.push({ field: f, code: 'NOT_UPDATABLE', message: `${f} is set when the export is created` });
    }
  }

  async create(p: Principal, volumeId: string, input: ExportCreate): Promise<{ job: Job; id: string }> {
    this.d.maintenance?.assertOff('a new export');
    const access = this.d.volumes();
    if (!access) throw new CairnError('VOLUME_NOT_FOUND', { id: volumeId });
    const vol = await access.exportable(volumeId, p);
    const proto = this.d.protocols.of(input.protocol);
    const problems: FieldProblem[] = [];
    const hostIds = [...new Set(input.hosts ?? [])];
    const allowed = [...new Set(input.allowed ?? [])];
    checkAddresses(allowed, 'allowed', problems);
    const hosts = await this.hostsOf(hostIds, problems);
    this.fieldProblems(proto, input, problems, false);
    if (input.name !== undefined && !EXPORT_NAME_RE.test(input.name))
      problems.push({ field: 'name', code: 'PATTERN', message: 'letters, digits, _ and -, up to 64' });
    const id = newId();
    const readOnly = input.read_only ?? false;
    const options = proto.settle(id, input, { readOnly: readOnly, hosts, allowed }, problems);
    CairnError.assertNoProblems(problems);
    await proto.admits?.(clientAddresses(allowed, hosts));
    if (vol.type !== proto.volumeType)
      throw new CairnError('EXPORT_TYPE_MISMATCH', {
        protocol: proto.protocol,
        expected: proto.volumeType,
        id: vol.id,
        type: vol.type,
      });

    // The row and its job are one transaction; the store's unique indexes settle the name and the
    // slot between concurrent creates (several nodes may share PostgreSQL), and a slot another
    // writer took first sends this one to the next free slot.
    const place = await proto.place(id, vol, input, options);
    const tried = new Set<number>();
    for (let attempt = 0; ; attempt++) {
      const slot = await this.pickSlot(proto.protocol, place, tried);
      try {
        const job = await this.d.engine.submit(
          this.createJob,
          { exportId: id, volumeId: vol.id, protocol: proto.protocol },
          { name: principalName(p) },
          {
            within: async (tx) => {
              const row = {
                id,
                volumeId: vol.id,
                poolId: vol.poolId,
                protocol: proto.protocol,
                state: 'creating' as const,
                readOnly,
                hosts: hostIds,
                allowed,
                options,
                exportName: place.name,
                slot,
                uri: place.uri(slot),
              };
              await this.d.store.insert(tx, row, () => proto.nameTaken(place.name));
              await proto.record?.(tx, row);
            },
          },
        );
        return { job, id };
      } catch (e) {
        if (!(e instanceof ExportSlotTaken) || attempt >= 20) throw e;
        tried.add(e.slot);
      }
    }
  }

  /** The slot to try: none, the smallest free counter, or a free NBD port nothing listens on. */
  private async pickSlot(protocol: Protocol, place: Placement, tried: Set<number>): Promise<number | null> {
    if (place.slot === 'none') return null;
    const used = new Set([
      ...(await this.d.store.slots(protocol)),
      ...((await place.taken?.()) ?? []),
      ...tried,
    ]);
    if (place.slot === 'counter') {
      let n = 1;
      while (used.has(n)) n++;
      return n;
    }
    const { nbd } = this.d.net;
    for (let port = nbd.basePort; port <= nbd.lastPort; port++)
      if (!used.has(port) && !(await tcpOpen(nbd.address, port, 300))) return port;
    throw new CairnError('NO_FREE_PORT', { protocol, from: nbd.basePort, to: nbd.lastPort });
  }

  /**
   * Changes an export in place: the id, name and URI stay. The new settings are recorded with the
   * job that applies them (one transaction); if applying fails, the job serves the old ones again.
   */
  async update(p: Principal, id: string, input: ExportUpdate, actor?: Actor): Promise<Job> {
    const e = await this.get(p, id);
    if (e.state !== 'active') throw new CairnError('EXPORT_NOT_READY', { id, state: e.state });
    const proto = this.d.protocols.of(e.protocol);
    const problems: FieldProblem[] = [];
    const hostIds = input.hosts ? [...new Set(input.hosts)] : e.hosts;
    const allowed = input.allowed ? [...new Set(input.allowed)] : e.allowed;
    checkAddresses(allowed, 'allowed', problems);
    const hosts = await this.hostsOf(hostIds, problems);
    this.fieldProblems(proto, input, problems, true);
    const readOnly = input.read_only ?? e.readOnly;
    const options = proto.settle(e.id, input, { readOnly: readOnly, hosts, allowed }, problems, e);
    CairnError.assertNoProblems(problems);
    await proto.admits?.(clientAddresses(allowed, hosts));
    const after: ExportSettings = { readOnly: readOnly, hosts: hostIds, allowed, options };
    return this.d.engine.submit(
      this.updateJob,
      {
        exportId: e.id,
        volumeId: e.volumeId,
        protocol: e.protocol,
        before: settingsOf(e),
        after: withoutSecrets(after),
      },
      actor ?? { name: principalName(p) },
      {
        within: async (tx) => {
          if (!(await this.d.store.setSettings(e.id, after, { from: 'active', to: 'updating' }, tx)))
            throw new CairnError('EXPORT_NOT_READY', { id, state: (await this.d.store.get(id, tx)).state });
        },
      },
    );
  }

  async delete(p: Principal, id: string, force: boolean, actor?: Actor): Promise<Job> {
    const e = await this.get(p, id);
    if (e.state === 'deleting') throw new CairnError('EXPORT_NOT_READY', { id, state: e.state });
    if (!force) {
      const sessions = await this.d.protocols.of(e.protocol).sessions(e);
      if (sessions > 0) throw new CairnError('EXPORT_BUSY', { id, sessions });
    }
    // 'deleting' is recorded with the job that deletes it (both or neither), from the state read
    // above only, which the job puts back if it fails.
    return this.d.engine.submit(
      this.deleteJob,
      { exportId: id, volumeId: e.volumeId, protocol: e.protocol, stateBefore: e.state },
      actor ?? { name: principalName(p) },
      {
        within: async (tx) => {
          if (!(await this.d.store.transition(id, [e.state], 'deleting', tx)))
            throw new CairnError('EXPORT_NOT_READY', { id, state: (await this.d.store.get(id, tx)).state });
        },
      },
    );
  }

  /** Re-applies the exports that map a host after the host changed (IQNs, CHAP, addresses). */
  /** Refuses new addresses for a host when an export mapping it could not be limited to them. */
  async admitsHostAddresses(hostId: string, addresses: readonly string[]): Promise<void> {
    for (const id of await this.d.store.mappingHost(hostId)) {
      const e = await this.d.store.find(id);
      if (e) await this.d.protocols.of(e.protocol).admits?.(clientAddresses(e.allowed, [{ addresses }]));
    }
  }

  async hostChanged(hostId: string): Promise<void> {
    for (const id of await this.d.store.mappingHost(hostId)) {
      const e = await this.d.store.find(id);
      if (e?.state === 'active') await this.d.protocols.of(e.protocol).hostChanged(e);
    }
  }

  /** What the volume service asks before deleting a volume, and how it cascades. */
  dependents(): VolumeDependents {
    return {
      kind: 'export',
      list: async (volumeId) =>
        (await this.d.store.byVolume(volumeId)).map((e) => ({ id: e.id, readWrite: !e.readOnly })),
      removeAll: async (volumeId, actor) => {
        for (const e of await this.d.store.byVolume(volumeId)) {
          if (e.state === 'deleting') continue;
          const job = await this.delete(systemPrincipal(), e.id, true, actor);
          const done = await this.d.engine.wait(job.id, 120_000);
          if (done.state !== 'succeeded')
            throw new CairnError('JOB_FAILED', { id: job.id, reason: done.error?.message ?? done.state });
        }
      },
    };
  }
}

const settingsOf = (e: ExportRecord): ExportSettings => ({
  readOnly: e.readOnly,
  hosts: e.hosts,
  allowed: e.allowed,
  options: e.options,
});

/** Settings as a job may carry them: share passwords (sealed) stay in the row only. */
const withoutSecrets = (s: ExportSettings): ExportSettings => ({
  ...s,
  options: {
    ...s.options,
    ...(s.options.users ? { users: s.options.users.map((u) => ({ name: u.name, account: u.account })) } : {}),
  },
});
