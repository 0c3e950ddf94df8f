// Attachments: a volume used on this machine, reference-counted per requester. The first
// requester's attach mounts the volume (a lun goes on a loop device first, and is formatted once
// when it is mounted); later requesters share that one mount; the last detach unmounts. Decisions
// are made one at a time per volume (a queue per volume in this process); the work is done by the
// jobs in jobs.ts.
import { basename, dirname } from 'node:path';
import { CairnError } from '../../domain/errors.js';
import { newId, nowIso } from '../../domain/ids.js';
import type { Job } from '../../domain/job.js';
import { type ListParams, type Page, mapPage } from '../../domain/list.js';
import { principalName, type Principal } from '../../domain/permissions.js';
import {
  DEFAULT_LUN_FILESYSTEM,
  mountRootOf,
  type Attachment,
  type AttachmentCreate,
  type AttachmentMountChange,
  type LunFilesystem,
  type VolumeMount,
} from '../../domain/attachments.js';
import type { JobDefinition } from '../../jobs/define.js';
import type { Actor } from '../../jobs/engine.js';
import type { AttachmentRow } from '../../store/attachments.js';
import type { ExportableVolume, VolumeDependents } from '../contracts.js';
import type { AttachmentDeps } from './deps.js';
import type { AttachArgs, DetachArgs, MountPlan, RemountArgs } from './jobs.js';

export interface AttachmentJobs {
  attach: JobDefinition<AttachArgs>;
  detach: JobDefinition<DetachArgs>;
  remount: JobDefinition<RemountArgs>;
}

/** How long an attach or detach call waits for its job before answering with the state so far. */
const JOB_WAIT_MS = 10 * 60_000;

export class AttachmentService {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly d: AttachmentDeps,
    private readonly jobs: AttachmentJobs,
  ) {}

  async attach(p: Principal, volumeId: string, input: AttachmentCreate): Promise<Attachment> {
    await this.d.assertNotInMaintenance('attaching a volume');
    const v = await this.d.volumes.exportable(volumeId, p);
    return this.serial(volumeId, async () => {
      let m = await this.settled(volumeId);
      const mine = await this.d.store.find(volumeId, input.requester);
      if (m) this.assertCompatible(v, m, input);
      if (mine) return this.toWire(mine, m);
      if (m) {
        const row = this.row(volumeId, input.requester, m.readOnly, 'attached');
        await this.d.store.insert(row);
        return this.toWire(row, m);
      }
      const plan = await this.plan(v, input);
      const row = this.row(volumeId, input.requester, plan.readOnly, 'attaching');
      m = {
        volumeId: volumeId,
        state: 'attaching',
        volumeType: plan.type,
        source: plan.source,
        mountPath: plan.mountPath,
        devicePath: null,
        readOnly: plan.readOnly,
        jobId: null,
      };
      const mount = m;
      const job = await this.d.engine.submit(this.jobs.attach, plan, this.actor(p), {
        within: async (tx, { id: jobId }) => {
          await this.d.store.insertMount({ ...mount, jobId: jobId }, tx);
          await this.d.store.insert(row, tx);
        },
      });
      await this.finish(job);
      return this.get(p, row.id);
    });
  }

  async detach(p: Principal, attachmentId: string): Promise<void> {
    const a = await this.d.store.get(attachmentId);
    await this.d.volumes.exportable(a.volumeId, p).catch((e: unknown) => {
      // A volume that is not online (being deleted, in error) can still be detached from.
      if (!(e instanceof CairnError && e.code === 'VOLUME_NOT_READY')) throw e;
    });
    await this.serial(a.volumeId, async () => {
      const m = await this.settled(a.volumeId);
      const all = await this.d.store.ofVolume(a.volumeId);
      if (!all.some((x) => x.id === attachmentId)) return;
      if (!m || all.length > 1) return this.d.store.delete(attachmentId);
      await this.unmount(m, [attachmentId], this.actor(p));
    });
  }

  /**
   * Moves the volume's one mount in place: a lun attached as a block device gains a mount (formatted
   * once) and can lose it again, keeping its loop device; a filesystem volume moves between a
   * requested path and Cairn's own (`mount_path` null). Another requester's use of an existing
   * mount is never pulled away from under it (ATTACHMENT_CONFLICT).
   */
  async setMount(p: Principal, attachmentId: string, change: AttachmentMountChange): Promise<Attachment> {
    const a = await this.d.store.get(attachmentId);
    if (change.mount_path !== null) await this.d.assertNotInMaintenance('mounting a volume');
    const v = await this.d.volumes.exportable(a.volumeId, p);
    return this.serial(v.id, async () => {
      const m = await this.settled(v.id);
      const all = await this.d.store.ofVolume(v.id);
      if (!m || !all.some((x) => x.id === attachmentId))
        throw new CairnError('ATTACHMENT_NOT_FOUND', { id: attachmentId });
      if (m.state !== 'mounted') throw new CairnError('VOLUME_NOT_READY', { id: v.id, state: m.state });
      const target = change.mount_path ?? (v.type === 'filesystem' ? this.d.paths.attachMount(v.id) : null);
      if (target === m.mountPath) {
        await this.assertFilesystem(v, change);
        return this.get(p, attachmentId);
      }
      if (m.mountPath !== null && all.length > 1)
        throw new CairnError('ATTACHMENT_CONFLICT', {
          id: v.id,
          what: `at ${m.mountPath}`,
          reason: `${all.length - 1} other requester(s) use that mount`,
        });
      const to = await this.plan(v, {
        requester: a.requester,
        read_only: m.readOnly,
        ...(change.mount_path !== null ? { mount_path: change.mount_path } : {}),
        ...(change.fs ? { fs: change.fs } : {}),
      });
      // The old mount's filesystem, for an undo that mounts it back.
      const was = m.mountPath && v.type === 'lun' ? await this.assertFilesystem(v, {}) : null;
      const args: RemountArgs = { volumeId: v.id, from: this.planOf(m, was, false), to };
      const job = await this.d.engine.submit(this.jobs.remount, args, this.actor(p), {
        within: (tx, { id: jobId }) =>
          this.d.store.updateMount(v.id, { state: 'remounting', jobId: jobId }, tx),
      });
      await this.finish(job);
      return this.get(p, attachmentId);
    });
  }

  async get(p: Principal | undefined, id: string): Promise<Attachment> {
    const a = await this.d.store.get(id);
    if (p) await this.d.volumes.exportable(a.volumeId, p).catch(this.onlyScope);
    return this.toWire(a, await this.d.store.mount(a.volumeId));
  }

  async list(p: Principal, params: ListParams): Promise<Page<Attachment>> {
    // An API key limited to some pools sees the attachments of their volumes only.
    const page = await this.d.store.list(params, p.pools ? ['', ...p.pools] : null);
    const mounts = new Map(
      (await this.d.store.mounts([...new Set(page.items.map((a) => a.volumeId))])).map((m) => [
        m.volumeId,
        m,
      ]),
    );
    return mapPage(page, (a) => this.toWire(a, mounts.get(a.volumeId)));
  }

  /** Attachments refuse a plain volume delete (VOLUME_IN_USE) and are detached on a cascade. */
  dependents(): VolumeDependents {
    return {
      kind: 'attachment',
      list: async (volumeId) =>
        (await this.d.store.ofVolume(volumeId)).map((a) => ({ id: a.id, readWrite: !a.readOnly })),
      removeAll: (volumeId, actor) =>
        this.serial(volumeId, async () => {
          const m = await this.settled(volumeId);
          const all = await this.d.store.ofVolume(volumeId);
          if (m)
            await this.unmount(
              m,
              all.map((a) => a.id),
              actor,
            );
          else await this.d.store.deleteOfVolume(volumeId);
        }),
    };
  }

  /** The loop device of every attached lun, by volume id (its kernel counters are the volume's I/O). */
  async devices(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const m of await this.d.store.mounts())
      if (m.state === 'mounted' && m.devicePath) out.set(m.volumeId, m.devicePath);
    return out;
  }

  /** A deleted volume's format record goes with it. */
  forgetVolume(volumeId: string): Promise<void> {
    return this.d.store.forgetVolume(volumeId);
  }

  /**
   * At start: every mount the store holds is there exactly once. A restart (even a kill -9) leaves
   * the kernel's mounts and loop devices in place: those are adopted; what is missing (after a
   * reboot) is made again; a mount stacked twice at one path loses the extra one. Mounts with a job
   * still running are left to that job's recovery.
   */
  async reconcile(): Promise<void> {
    for (const m of await this.d.store.mounts()) {
      if (m.state !== 'mounted') continue;
      await this.reconcileOne(m).catch((err: unknown) =>
        this.d.logger.error({ err, volumeId: m.volumeId }, 'could not restore an attached volume'),
      );
    }
  }

  private async reconcileOne(m: VolumeMount): Promise<void> {
    const fs =
      m.volumeType === 'lun' ? ((await this.d.store.filesystem(m.volumeId)) ?? DEFAULT_LUN_FILESYSTEM) : null;
    const plan = this.planOf(m, fs);
    let device: string | null = null;
    if (m.volumeType === 'lun') {
      device = await this.d.loop.attach(m.source, undefined, { readOnly: m.readOnly });
      if (device !== m.devicePath) {
        this.d.logger.info({ volumeId: m.volumeId, device }, 'attached volume: loop device restored');
        await this.d.store.updateMount(m.volumeId, { devicePath: device });
      }
    }
    if (!m.mountPath || !plan.mountDir) return;
    const n = await this.d.mounts.countAt(m.mountPath);
    if (n === 0) {
      const dir = await this.d.mounts.ensureDirUnder(plan.mountDir.root, plan.mountDir.segments, m.mountPath);
      if (m.volumeType === 'filesystem') await this.d.mounts.bind(m.source, dir, m.readOnly);
      else await this.d.mounts.mountDevice(device!, dir, fs!, m.readOnly);
      this.d.logger.info({ volumeId: m.volumeId, path: m.mountPath }, 'attached volume: mount restored');
    }
    for (let extra = n - 1; extra > 0; extra--) await this.d.mounts.umount(m.mountPath);
  }

  private onlyScope = (e: unknown): void => {
    if (e instanceof CairnError && e.code === 'OUT_OF_SCOPE') throw e;
  };

  /** The last requester goes: the detach job unmounts, detaches the loop device and drops the rows. */
  private async unmount(m: VolumeMount, attachmentIds: string[], actor: Actor): Promise<void> {
    const plan: DetachArgs = { ...this.planOf(m, null, false), attachmentIds };
    const job = await this.d.engine.submit(this.jobs.detach, plan, actor, {
      within: async (tx, { id: jobId }) => {
        await this.d.store.updateMount(m.volumeId, { state: 'detaching', jobId: jobId }, tx);
        for (const id of attachmentIds) await this.d.store.setState(id, 'detaching', tx);
      },
    });
    await this.finish(job);
  }

  /** Waits for the volume's job; throws its error when it failed. */
  private async finish(job: Job): Promise<void> {
    const done = await this.d.engine.wait(job.id, JOB_WAIT_MS);
    if (done.state === 'succeeded') return;
    if (done.error && done.state !== 'running' && done.state !== 'pending') {
      const code = done.error.code as ConstructorParameters<typeof CairnError>[0];
      throw new CairnError(code, done.error.details ?? {}, done.error.message);
    }
  }

  /** The volume's mount once no job is changing it (a job a restart interrupted is waited for). */
  private async settled(volumeId: string): Promise<VolumeMount | undefined> {
    const m = await this.d.store.mount(volumeId);
    if (!m || m.state === 'mounted' || !m.jobId) return m;
    await this.d.engine.wait(m.jobId, JOB_WAIT_MS);
    return this.d.store.mount(volumeId);
  }

  private assertCompatible(v: ExportableVolume, m: VolumeMount, input: AttachmentCreate): void {
    const what = m.mountPath ? `at ${m.mountPath}` : 'as a block device only';
    if (m.state !== 'mounted') throw new CairnError('VOLUME_NOT_READY', { id: v.id, state: m.state });
    if (input.read_only !== undefined && input.read_only !== m.readOnly)
      throw new CairnError('ATTACHMENT_CONFLICT', {
        id: v.id,
        what: `${what} ${m.readOnly ? 'read-only' : 'read-write'}`,
        reason: `it cannot also be ${input.read_only ? 'read-only' : 'read-write'}`,
      });
    if (input.mount === true && !m.mountPath)
      throw new CairnError('ATTACHMENT_CONFLICT', { id: v.id, what, reason: 'it cannot also be mounted' });
    if (input.mount_path !== undefined && input.mount_path !== m.mountPath)
      throw new CairnError('ATTACHMENT_CONFLICT', {
        id: v.id,
        what,
        reason: `it cannot also be mounted at ${input.mount_path}`,
      });
  }

  /** Checks a first attach's request and decides where and how the volume is mounted. */
  private async plan(v: ExportableVolume, input: AttachmentCreate): Promise<MountPlan> {
    const mounted = input.mount_path !== undefined || input.mount === true;
    const fs = mounted ? await this.assertFilesystem(v, input) : null;
    const path =
      input.mount_path ?? (v.type === 'filesystem' || mounted ? this.d.paths.attachMount(v.id) : null);
    const plan = this.planFor(v, path, input.read_only ?? false, fs);
    if (input.mount_path !== undefined) {
      const where = plan.mountDir!;
      if (
        (await this.d.store.mountAt(input.mount_path)) ||
        (await this.d.mounts.countAt(input.mount_path)) > 0
      )
        throw new CairnError('MOUNT_PATH_BUSY', { path: input.mount_path });
      // Made now (inside its root, no symlink on the way), so a bad path is refused before any job.
      await this.d.mounts.ensureDirUnder(where.root, where.segments, input.mount_path);
    }
    return plan;
  }

  /** The filesystem a lun is mounted with: the one it was formatted with, else the one asked. */
  private async assertFilesystem(
    v: Pick<ExportableVolume, 'id' | 'type'>,
    input: { fs?: LunFilesystem },
  ): Promise<LunFilesystem | null> {
    if (v.type !== 'lun') return null;
    const recorded = await this.d.store.filesystem(v.id);
    if (recorded && input.fs && input.fs !== recorded)
      throw new CairnError('LUN_FILESYSTEM_MISMATCH', { id: v.id, found: recorded, asked: input.fs });
    return recorded ?? input.fs ?? DEFAULT_LUN_FILESYSTEM;
  }

  private planFor(
    v: Pick<ExportableVolume, 'id' | 'type' | 'path' | 'lunFile'>,
    mountPath: string | null,
    readOnly: boolean,
    fs: LunFilesystem | null,
  ): MountPlan {
    const source = v.type === 'lun' ? v.lunFile! : v.path;
    return this.planOf(
      { volumeId: v.id, volumeType: v.type, source, mountPath: mountPath, readOnly: readOnly },
      fs,
    );
  }

  private planOf(
    m: Pick<VolumeMount, 'volumeId' | 'volumeType' | 'source' | 'mountPath' | 'readOnly'>,
    fs: LunFilesystem | null,
    strict = true,
  ): MountPlan {
    const own = this.d.paths.attachMount(m.volumeId);
    const chosen = m.mountPath === own;
    let mountDir: MountPlan['mountDir'] = null;
    if (chosen) mountDir = { root: dirname(own), segments: [basename(own)] };
    else if (m.mountPath !== null) {
      const r = mountRootOf(m.mountPath, this.d.mountRoots);
      // A detach still unmounts a path the mount roots no longer allow (it only cannot mount it back).
      if ('problem' in r) {
        if (strict) throw new CairnError('MOUNT_PATH_NOT_ALLOWED', { path: m.mountPath, reason: r.problem });
      } else mountDir = r;
    }
    return {
      volumeId: m.volumeId,
      type: m.volumeType,
      source: m.source,
      mountPath: m.mountPath,
      mountDir,
      chosenPath: chosen,
      readOnly: m.readOnly,
      fs,
    };
  }

  private row(
    volumeId: string,
    requester: string,
    readOnly: boolean,
    state: AttachmentRow['state'],
  ): AttachmentRow {
    return { id: newId(), volumeId: volumeId, requester, readOnly: readOnly, state, createdAt: nowIso() };
  }

  private actor(p: Principal): Actor {
    return { name: principalName(p) };
  }

  private toWire(a: AttachmentRow, m: VolumeMount | undefined): Attachment {
    return {
      id: a.id,
      volume_id: a.volumeId,
      requester: a.requester,
      read_only: a.readOnly,
      mount_path: m?.mountPath ?? null,
      device_path: m?.devicePath ?? null,
      state: a.state,
      created_at: a.createdAt,
    };
  }

  /** Runs `f` after every earlier decision on the same volume (one at a time per volume). */
  private serial<T>(volumeId: string, f: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(volumeId) ?? Promise.resolve();
    const next = prev.then(f, f);
    const tail = next.catch(() => undefined);
    this.queues.set(volumeId, tail);
    void tail.then(() => {
      if (this.queues.get(volumeId) === tail) this.queues.delete(volumeId);
    });
    return next;
  }
}
