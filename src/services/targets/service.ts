// Native iSCSI targets: an IQN (given or generated), an alias, the hosts whose IQNs may log in (with
// their CHAP accounts) and numbered LUNs of lun volumes. The service checks the request, writes
// the desired rows with the job that applies them (one transaction) and the job changes tgtd in
// place. A target that is the view of an iSCSI export is shown here but changed through the export.
import type { JobEngine, Actor } from '../../jobs/engine.js';
import { CairnError, type FieldProblem } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { Job } from '../../domain/job.js';
import type { JobLog } from '../../domain/job-log.js';
import type { ListParams, Page } from '../../domain/list.js';
import { principalName, type Principal } from '../../domain/permissions.js';
import { exportUri } from '../../domain/exports.js';
import {
  checkTargetInput,
  defaultNativeIqn,
  nextFreeLun,
  type LunAdd,
  type Target,
  type TargetCreate,
  type TargetUpdate,
  type TargetView,
} from '../../domain/targets.js';
import { TargetTidTaken, type TargetStore } from '../../store/targets.js';
import type { HostStore } from '../../store/hosts.js';
import type { ExportStore } from '../../store/exports.js';
import type { VolumeAccess, VolumeDependents } from '../contracts.js';
import type { IscsiProtocol } from '../exports/protocols/iscsi.js';
import type { ExportNet } from '../exports/net.js';
import { targetCreate, targetDelete, targetLunAdd, targetLunRemove, targetUpdate } from './jobs.js';

export interface TargetServiceDeps {
  engine: JobEngine;
  store: TargetStore;
  hosts: HostStore;
  exports: ExportStore;
  iscsi: IscsiProtocol;
  net: ExportNet;
  volumes: () => VolumeAccess | undefined;
  systemName: () => Promise<string>;
  logger: { error(o: object, m: string): void };
}

/** The wire shape: LUNs with the URI an initiator opens. */
export function targetView(t: Target, net: ExportNet): TargetView {
  const { advertise, iscsi } = net;
  return {
    id: t.id,
    iqn: t.iqn,
    alias: t.alias,
    export_id: t.exportId,
    host_ids: t.hostIds,
    portal: `${advertise.includes(':') ? `[${advertise}]` : advertise}:${iscsi.port}`,
    luns: t.luns.map((l) => ({
      lun: l.lun,
      volume_id: l.volumeId,
      pool_id: l.poolId,
      uri: exportUri('iscsi', advertise, iscsi.port, t.iqn, l.lun),
      created_at: l.createdAt,
    })),
    state: t.state,
    error: t.error,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
  };
}

export class TargetService {
  readonly createJob;
  readonly updateJob;
  readonly deleteJob;
  readonly lunAddJob;
  readonly lunRemoveJob;

  constructor(private readonly d: TargetServiceDeps) {
    const deps = {
      store: d.store,
      sync: (id: string, log?: JobLog) => this.sync(id, log),
      unpublish: (tid: number, log?: JobLog) => d.iscsi.unpublish(tid, log),
      stopIfIdle: () => d.iscsi.stopIfIdle(),
    };
    this.createJob = targetCreate(deps);
    this.updateJob = targetUpdate(deps);
    this.deleteJob = targetDelete(deps);
    this.lunAddJob = targetLunAdd(deps);
    this.lunRemoveJob = targetLunRemove(deps);
    d.iscsi.onConfigure(() => this.configureAll());
  }

  /** The one address tgtd listens on, or null when it listens on every address. */
  listenAddress(): string | null {
    const a = this.d.net.iscsi.address;
    return a === '0.0.0.0' || a === '::' || a === '' ? null : a;
  }

  view(t: Target): TargetView {
    return targetView(t, this.d.net);
  }

  /** A pool-scoped key sees a target only when every LUN is in its pools. */
  private scope(p: Principal, t: Target): void {
    const pools = p.pools;
    const out = pools ? t.luns.find((l) => !pools.includes(l.poolId)) : undefined;
    if (out) throw new CairnError('OUT_OF_SCOPE', { pool: out.poolId });
  }

  /** An export's target shows the export's hosts (its ACL lives on the export). */
  private async withExportHosts(t: Target): Promise<Target> {
    if (!t.exportId) return t;
    const e = await this.d.exports.find(t.exportId);
    return e ? { ...t, hostIds: e.hosts } : t;
  }

  async get(p: Principal, id: string): Promise<Target> {
    const t = await this.d.store.get(id);
    this.scope(p, t);
    return this.withExportHosts(t);
  }

  async list(p: Principal, params: ListParams): Promise<Page<Target>> {
    const page = await this.d.store.list(params, p.pools);
    const items: Target[] = [];
    for (const t of page.items) items.push(await this.withExportHosts(t));
    return { ...page, items };
  }

  /** A native target the caller may change (not an export's). */
  private async native(p: Principal, id: string): Promise<Target> {
    const t = await this.get(p, id);
    if (t.exportId) throw new CairnError('TARGET_OF_EXPORT', { id, export: t.exportId });
    return t;
  }

  /** Hosts by id, each one existing and with at least one IQN (the ACL is by initiator name). */
  private async checkHosts(ids: string[], problems: FieldProblem[]): Promise<void> {
    const hosts = await this.d.hosts.many(ids);
    ids.forEach((id, i) => {
      const h = hosts.find((x) => x.id === id);
      if (!h)
        problems.push({
          field: `host_ids.${i}`,
          code: 'HOST_NOT_FOUND',
          message: `host ${id} does not exist`,
        });
      else if (h.iqns.length === 0)
        problems.push({ field: `host_ids.${i}`, code: 'NO_IQN', message: `host ${h.name} has no IQN` });
    });
  }

  private actor(p: Principal): Actor {
    return { name: principalName(p) };
  }

  async create(p: Principal, input: TargetCreate): Promise<{ job: Job; id: string }> {
    const problems: FieldProblem[] = [];
    checkTargetInput(input, problems);
    const hostIds = [...new Set(input.host_ids ?? [])];
    await this.checkHosts(hostIds, problems);
    CairnError.assertNoProblems(problems);
    const id = newId();
    const iqn = input.iqn ?? defaultNativeIqn(await this.d.systemName(), id);
    const tried = new Set<number>();
    // The IQN and the tid are settled by the store's unique indexes (several nodes may share
    // PostgreSQL); a tid another writer took first sends this one to the next free tid.
    for (let attempt = 0; ; attempt++) {
      const tid = await this.freeTid(tried);
      try {
        const job = await this.d.engine.submit(this.createJob, { targetId: id, iqn, tid }, this.actor(p), {
          within: (tx) =>
            this.d.store.insert(
              tx,
              { id, iqn, alias: input.alias ?? null, tid, exportId: null, hostIds: hostIds },
              () => new CairnError('TARGET_IQN_TAKEN', { iqn }),
            ),
        });
        return { job, id };
      } catch (e) {
        if (!(e instanceof TargetTidTaken) || attempt >= 20) throw e;
        tried.add(e.tid);
      }
    }
  }

  /** The smallest tgt tid no target and no iSCSI export holds. */
  private async freeTid(tried: Set<number>): Promise<number> {
    const used = new Set([
      ...(await this.d.store.tids()),
      ...(await this.d.exports.slots('iscsi')),
      ...tried,
    ]);
    let n = 1;
    while (used.has(n)) n++;
    return n;
  }

  async update(p: Principal, id: string, input: TargetUpdate): Promise<Job> {
    const t = await this.native(p, id);
    const problems: FieldProblem[] = [];
    checkTargetInput(input, problems);
    const hostIds = input.host_ids ? [...new Set(input.host_ids)] : undefined;
    if (hostIds) await this.checkHosts(hostIds, problems);
    CairnError.assertNoProblems(problems);
    return this.d.engine.submit(
      this.updateJob,
      { targetId: id, iqn: t.iqn, before: { alias: t.alias, hostIds: t.hostIds } },
      this.actor(p),
      {
        within: (tx) =>
          this.d.store.setAttrs(
            id,
            {
              ...(input.alias !== undefined ? { alias: input.alias } : {}),
              ...(hostIds ? { hostIds } : {}),
            },
            tx,
          ),
      },
    );
  }

  async delete(p: Principal, id: string, force: boolean): Promise<Job> {
    const t = await this.native(p, id);
    if (!force) {
      if (t.luns.length) throw new CairnError('TARGET_HAS_LUNS', { id, luns: t.luns.length });
      const sessions = await this.sessions(t);
      if (sessions > 0) throw new CairnError('TARGET_BUSY', { id, sessions });
    }
    return this.d.engine.submit(this.deleteJob, { targetId: id, iqn: t.iqn, tid: t.tid }, this.actor(p));
  }

  async addLun(p: Principal, id: string, input: LunAdd): Promise<{ job: Job; lun: number }> {
    const t = await this.native(p, id);
    const access = this.d.volumes();
    if (!access) throw new CairnError('VOLUME_NOT_FOUND', { id: input.volume_id });
    const vol = await access.exportable(input.volume_id, p);
    if (vol.type !== 'lun' || !vol.lunFile)
      throw new CairnError('TARGET_VOLUME_NOT_LUN', { volume: vol.id, type: vol.type });
    const lun = input.lun ?? nextFreeLun(t.luns.map((l) => l.lun));
    if (lun === null) throw new CairnError('TARGET_FULL', { id });
    if (t.luns.some((l) => l.lun === lun)) throw new CairnError('TARGET_LUN_TAKEN', { id, lun });
    const row = { lun, volumeId: vol.id, poolId: vol.poolId };
    const job = await this.d.engine.submit(
      this.lunAddJob,
      { targetId: id, iqn: t.iqn, lun: row },
      this.actor(p),
      { within: (tx) => this.d.store.insertLun(tx, id, row) },
    );
    return { job, lun };
  }

  async removeLun(p: Principal, id: string, lun: number): Promise<Job> {
    const t = await this.native(p, id);
    const l = t.luns.find((x) => x.lun === lun);
    if (!l) throw new CairnError('TARGET_LUN_NOT_FOUND', { id, lun });
    return this.d.engine.submit(
      this.lunRemoveJob,
      { targetId: id, iqn: t.iqn, lun: { lun, volumeId: l.volumeId, poolId: l.poolId } },
      this.actor(p),
    );
  }

  /** Open initiator sessions of a target. */
  async sessions(t: Target): Promise<number> {
    if (!this.d.iscsi.running()) return 0;
    return this.d.iscsi.tgt.sessions(t.tid);
  }

  /** Brings tgtd to a native target's rows, in place (starting tgtd unless it is configuring). */
  async sync(id: string, log?: JobLog, configuring = false): Promise<void> {
    const t = await this.d.store.find(id);
    if (!t || t.exportId) return;
    if (!configuring) await this.d.iscsi.ensureDaemon();
    const access = this.d.volumes();
    const hosts = await this.d.hosts.many(t.hostIds);
    const { accounts, outgoing, secrets } = await this.d.iscsi.chapOf(t.hostIds);
    const luns = [];
    for (const l of t.luns) {
      if (!access) throw new CairnError('VOLUME_NOT_FOUND', { id: l.volumeId });
      const v = await access.exportable(l.volumeId);
      luns.push({
        lun: l.lun,
        path: v.lunFile!,
        readOnly: false,
        blockSize: v.blockSize,
        serial: `${t.id.replace(/-/g, '').slice(0, 12)}${String(l.lun).padStart(4, '0')}`,
      });
    }
    await this.d.iscsi.prepare(secrets, log);
    await this.d.iscsi.tgt.syncTarget(
      {
        tid: t.tid,
        iqn: t.iqn,
        luns,
        initiators: [...new Set(hosts.flatMap((h) => h.iqns))],
        addresses: [],
        accounts,
        outgoing,
      },
      log,
    );
    await this.d.iscsi.dropUnusedAccounts(log);
  }

  /** After tgtd (re)starts: every native target again, from the database. */
  private async configureAll(): Promise<void> {
    for (const t of await this.d.store.natives()) {
      try {
        await this.sync(t.id, undefined, true);
        if (t.state !== 'active') await this.d.store.setState(t.id, 'active', null);
      } catch (err) {
        this.d.logger.error({ err, targetId: t.id }, 'could not re-apply iSCSI target');
        await this.d.store.setState(t.id, 'failed', `re-apply failed: ${String(err)}`);
      }
    }
  }

  /** Native target ids whose ACL names a host. */
  mappedBy(hostId: string): Promise<string[]> {
    return this.d.store.mappingHost(hostId);
  }

  /** A host changed (IQNs, CHAP): the native targets that map it, in place. */
  async hostChanged(hostId: string): Promise<void> {
    if (!this.d.iscsi.running()) return;
    for (const id of await this.d.store.mappingHost(hostId)) await this.sync(id);
  }

  /** A host is being deleted (cascade): it leaves the targets that map it. */
  async dropHost(hostId: string, actor: Actor): Promise<void> {
    for (const id of await this.d.store.mappingHost(hostId)) {
      const t = await this.d.store.get(id);
      const job = await this.d.engine.submit(
        this.updateJob,
        { targetId: id, iqn: t.iqn, before: { alias: t.alias, hostIds: t.hostIds } },
        actor,
        {
          within: (tx) => this.d.store.setAttrs(id, { hostIds: t.hostIds.filter((h) => h !== hostId) }, tx),
        },
      );
      await this.d.engine.wait(job.id, 120_000);
    }
  }

  /** Volumes mapped as LUNs of native targets: a volume delete refuses, a cascade unmaps them. */
  dependents(): VolumeDependents {
    return {
      kind: 'target LUN',
      list: async (volumeId) => {
        const l = await this.d.store.lunOfVolume(volumeId);
        const t = l ? await this.d.store.find(l.target_id) : undefined;
        return l && t && !t.exportId ? [{ id: `${t.id}/${l.lun}`, readWrite: true }] : [];
      },
      removeAll: async (volumeId, actor) => {
        const l = await this.d.store.lunOfVolume(volumeId);
        const t = l ? await this.d.store.find(l.target_id) : undefined;
        if (!l || !t || t.exportId) return;
        const job = await this.d.engine.submit(
          this.lunRemoveJob,
          { targetId: t.id, iqn: t.iqn, lun: t.luns.find((x) => x.lun === l.lun)! },
          actor,
        );
        const done = await this.d.engine.wait(job.id, 120_000);
        if (done.state !== 'succeeded')
          throw new CairnError('JOB_FAILED', { id: job.id, reason: done.error?.message ?? done.state });
      },
    };
  }
}
