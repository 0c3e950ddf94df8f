// iSCSI exports through one tgtd: an export is the view of a target (tid = the export's slot, its
// row in iscsi_targets) with one LUN, its ACL from the mapped hosts' IQNs and allowed addresses,
// one-way or mutual CHAP from the hosts. Native targets (src/services/targets) share this tgtd:
// tids, IQNs and one iSCSI place per volume are settled by that table's unique indexes. Changes
// are made in place (tgtadm bind/unbind, LUN flags), so logged-in initiators keep their sessions.
// tgtd keeps nothing across restarts, so every (re)start re-applies every target.
import { join } from 'node:path';
import { CairnError, type FieldProblem } from '../../../domain/errors.js';
import type { JobLog } from '../../../domain/job-log.js';
import {
  defaultTargetIqn,
  exportUri,
  isIqn,
  type ExportOptions,
  type ExportRecord,
} from '../../../domain/exports.js';
import { Tgt } from '../../../system/tgt/index.js';
import type { StoreTx } from '../../../store/jobs.js';
import { ExportSlotTaken } from '../../../store/exports.js';
import { TargetTidTaken } from '../../../store/targets.js';
import { TGTD_ENV, tgtdArgv } from '../../../system/tgt/argv.js';
import { tcpOpen } from '../net.js';
import {
  unknownCounts,
  volumeOf,
  warnNoAnswer,
  type ExportInput,
  type ExportProtocol,
  type Figures,
  type ProtocolDeps,
  type Settings,
} from './types.js';

export class IscsiProtocol implements ExportProtocol {
  readonly protocol = 'iscsi' as const;
  readonly volumeType = 'lun' as const;
  readonly fields = ['lun', 'target_iqn', 'block_size'] as const;
  readonly updatable = [] as const;
  readonly tgt: Tgt;
  /** Re-applies the native targets after tgtd (re)starts (set by the targets service). */
  private natives: () => Promise<void> = async () => {};

  constructor(private readonly d: ProtocolDeps) {
    const dir = d.paths.daemonDir('tgtd');
    this.tgt = new Tgt(d.exec, join(dir, 'tgtd.sock'));
    const { iscsi } = d.net;
    d.supervisor.define({
      name: 'tgtd',
      dir,
      prepare: async () => ({
        argv: [...tgtdArgv(`${iscsi.address}:${iscsi.port}`)],
        env: { ...TGTD_ENV, TGT_IPC_SOCKET: join(dir, 'tgtd.sock') },
      }),
      ready: async () => (await tcpOpen(iscsi.address, iscsi.port)) && (await this.tgt.alive()),
      configure: () => this.configureAll(),
      shutdown: () => this.tgt.shutdown(),
    });
  }

  settle(_id: string, input: ExportInput, s: Settings, problems: FieldProblem[], before?: ExportRecord) {
    if (s.hosts.length === 0 && s.allowed.length === 0)
      problems.push({
        field: 'hosts',
        code: 'REQUIRED',
        message: 'map at least one host or allowed address',
      });
    // A host without initiators can only reach the target through an allowed address.
    const bare = s.hosts.filter((h) => h.iqns.length === 0);
    if (bare.length && s.allowed.length === 0)
      problems.push({
        field: 'hosts',
        code: 'NO_IQN',
        message: `a mapped host has no IQN (${bare.map((h) => h.name).join(', ')})`,
      });
    if (input.target_iqn !== undefined && !isIqn(input.target_iqn))
      problems.push({ field: 'target_iqn', code: 'NOT_IQN', message: 'not an iqn.… or eui.… name' });
    if (before) return before.options;
    const options: ExportOptions = { lun: input.lun ?? 1 };
    if (input.block_size !== undefined) options.block_size = input.block_size;
    return options;
  }

  async place(id: string, _vol: unknown, input: ExportInput, options: ExportOptions) {
    const name = input.target_iqn ?? defaultTargetIqn(await this.d.systemName(), id);
    const { advertise, iscsi } = this.d.net;
    return {
      name,
      slot: 'counter' as const,
      uri: () => exportUri('iscsi', advertise, iscsi.port, name, options.lun),
      taken: () => this.d.targets.tids(),
    };
  }

  /** The export's target and LUN rows, with the export's own row (one transaction). */
  async record(tx: StoreTx, e: Omit<ExportRecord, 'createdAt' | 'updatedAt' | 'error'>): Promise<void> {
    try {
      await this.d.targets.insert(
        tx,
        { id: e.id, iqn: e.exportName, alias: null, tid: e.slot!, exportId: e.id, hostIds: [] },
        () => this.nameTaken(e.exportName),
      );
    } catch (err) {
      if (err instanceof TargetTidTaken) throw new ExportSlotTaken(err.tid);
      throw err;
    }
    await this.d.targets.insertLun(tx, e.id, {
      lun: e.options.lun ?? 1,
      volumeId: e.volumeId,
      poolId: e.poolId,
    });
  }
  nameTaken(name: string) {
    return new CairnError('EXPORT_IQN_TAKEN', { iqn: name });
  }

  /** CHAP accounts of these hosts: one-way users, mutual (outgoing) users, and their secrets. */
  async chapOf(hostIds: string[]) {
    const accounts: string[] = [];
    const outgoing: string[] = [];
    const secrets: { user: string; secret: string }[] = [];
    for (const id of hostIds) {
      const c = await this.d.hosts.chap(id);
      if (!c) continue;
      accounts.push(c.user);
      secrets.push({ user: c.user, secret: this.d.box.open(c.secret) });
      if (c.mutualUser && c.mutualSecret) {
        outgoing.push(c.mutualUser);
        secrets.push({ user: c.mutualUser, secret: this.d.box.open(c.mutualSecret) });
      }
    }
    return { accounts, outgoing, secrets };
  }

  /** tgtd up. Not from tgtd's own configure hook (it runs inside ensure). */
  ensureDaemon(): Promise<void> {
    return this.d.supervisor.ensure('tgtd');
  }

  /** These accounts in tgtd (existing ones keep their bindings unless `replace`). */
  async prepare(secrets: { user: string; secret: string }[], log?: JobLog, replace = false): Promise<void> {
    for (const s of secrets) await this.tgt.ensureAccount(s.user, s.secret, log, replace);
  }

  private async spec(e: ExportRecord) {
    const v = await volumeOf(this.d, e);
    const hosts = await this.d.hosts.many(e.hosts);
    const { accounts, outgoing, secrets } = await this.chapOf(e.hosts);
    return {
      secrets,
      spec: {
        tid: e.slot!,
        iqn: e.exportName,
        luns: [
          {
            lun: e.options.lun ?? 1,
            path: v.lunFile!,
            readOnly: e.readOnly,
            blockSize: e.options.block_size ?? v.blockSize,
            serial: e.id.replace(/-/g, '').slice(0, 16),
          },
        ],
        initiators: [...new Set(hosts.flatMap((h) => h.iqns))],
        addresses: e.allowed,
        accounts,
        outgoing,
      },
    };
  }

  /** Serves the export's target as its row says, in place when tgtd already has it. */
  private async apply(e: ExportRecord, log?: JobLog): Promise<void> {
    const { spec, secrets } = await this.spec(e);
    await this.prepare(secrets, log);
    await this.tgt.syncTarget(spec, log);
  }

  async create(e: ExportRecord, log?: JobLog): Promise<void> {
    await this.ensureDaemon();
    await this.apply(e, log);
  }

  /** In place: ACL and CHAP bound and unbound, the LUN's read-only flag set; sessions stay. */
  async update(_before: ExportRecord, after: ExportRecord, log?: JobLog): Promise<void> {
    await this.ensureDaemon();
    await this.apply(after, log);
    await this.dropUnusedAccounts(log);
  }
  async settleUpdate(): Promise<void> {}

  async remove(e: ExportRecord, log?: JobLog): Promise<void> {
    if (e.slot !== null) await this.unpublish(e.slot, log);
    await this.d.targets.delete(e.id);
    if ((await this.d.exports.live('iscsi')).filter((x) => x.id !== e.id).length === 0)
      await this.stopIfIdle();
  }

  /** Removes a target from tgtd (open sessions dropped) and the accounts no target binds any more. */
  async unpublish(tid: number, log?: JobLog): Promise<void> {
    if (!this.d.supervisor.isRunning('tgtd')) return;
    await this.tgt.removeTarget(tid, true, log);
    await this.dropUnusedAccounts(log);
  }

  running(): boolean {
    return this.d.supervisor.isRunning('tgtd');
  }

  /** Stops tgtd once no target (native or export) is left. */
  async stopIfIdle(): Promise<void> {
    if ((await this.d.targets.count()) === 0) await this.d.supervisor.stop('tgtd');
  }

  async reconcile(): Promise<void> {
    if ((await this.d.exports.countLive('iscsi')) > 0 || (await this.d.targets.count()) > 0)
      await this.d.supervisor.ensure('tgtd');
  }

  /** The host's accounts again (a new secret), once, before the targets mapping it are re-synced. */
  async refreshHost(hostId: string): Promise<void> {
    if (!this.d.supervisor.isRunning('tgtd')) return;
    await this.prepare((await this.chapOf([hostId])).secrets, undefined, true);
  }

  async hostChanged(e: ExportRecord): Promise<void> {
    if (!this.running()) return;
    await this.apply(e);
    await this.dropUnusedAccounts();
  }

  /** The native targets' re-apply, run after the exports' whenever tgtd (re)starts. */
  onConfigure(natives: () => Promise<void>): void {
    this.natives = natives;
  }

  /** Deletes tgt accounts no live target binds any more. */
  async dropUnusedAccounts(log?: JobLog): Promise<void> {
    const used = new Set((await this.tgt.targets(log)).flatMap((t) => t.accounts));
    for (const a of await this.tgt.accounts(log)) if (!used.has(a)) await this.tgt.deleteAccount(a, log);
  }

  async sessions(e: ExportRecord): Promise<number> {
    if (!this.d.supervisor.isRunning('tgtd') || e.slot === null) return 0;
    return this.tgt.sessions(e.slot);
  }

  /** After tgtd (re)starts: every live iSCSI export again, from the database. */
  private async configureAll(): Promise<void> {
    for (const e of await this.d.exports.live('iscsi')) {
      try {
        await this.apply(e);
      } catch (err) {
        this.d.logger.error({ err, exportId: e.id }, 'could not re-apply iSCSI export');
        await this.d.exports.setState(e.id, e.state, `re-apply failed: ${String(err)}`);
      }
    }
    await this.natives();
  }

  /** Sessions, connections and initiators per target, from one `tgtadm --op show`. */
  async figures(exports: readonly ExportRecord[]): Promise<Figures> {
    const out: Figures = new Map();
    const up = this.d.supervisor.isRunning('tgtd');
    const targets =
      exports.length && up ? await this.tgt.targets().catch(warnNoAnswer(this.d.logger, 'tgtadm')) : null;
    for (const e of exports) {
      const t = targets?.find((x) => x.tid === e.slot);
      out.set(
        e.id,
        unknownCounts(up, targets) ?? {
          daemon_up: up ? 1 : 0,
          sessions: t?.sessions ?? 0,
          connections: t?.connections ?? 0,
          clients: t?.initiators.length ?? 0,
        },
      );
    }
    return out;
  }
}
