// iSCSI exports through one tgtd: a target per export (tid = the export's slot) with one LUN, its
// ACL from the mapped hosts' IQNs and allowed addresses, one-way or mutual CHAP from the hosts.
// tgtd keeps nothing across restarts, so every (re)start re-applies every live target.
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
    };
  }
  nameTaken(name: string) {
    return new CairnError('EXPORT_IQN_TAKEN', { iqn: name });
  }

  private async spec(e: ExportRecord) {
    const v = await volumeOf(this.d, e);
    const hosts = await this.d.hosts.many(e.hosts);
    const accounts: string[] = [];
    const outgoing: string[] = [];
    const secrets: { user: string; secret: string }[] = [];
    for (const h of hosts) {
      const c = await this.d.hosts.chap(h.id);
      if (!c) continue;
      accounts.push(c.user);
      secrets.push({ user: c.user, secret: this.d.box.open(c.secret) });
      if (c.mutual_user && c.mutual_secret) {
        outgoing.push(c.mutual_user);
        secrets.push({ user: c.mutual_user, secret: this.d.box.open(c.mutual_secret) });
      }
    }
    return {
      secrets,
      spec: {
        tid: e.slot!,
        iqn: e.export_name,
        luns: [
          {
            lun: e.options.lun ?? 1,
            path: v.lunFile!,
            readOnly: e.read_only,
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

  private async apply(e: ExportRecord, log?: JobLog): Promise<void> {
    const { spec, secrets } = await this.spec(e);
    for (const s of secrets) await this.tgt.ensureAccount(s.user, s.secret, log);
    await this.tgt.applyTarget(spec, log);
  }

  async create(e: ExportRecord, log?: JobLog): Promise<void> {
    await this.d.supervisor.ensure('tgtd');
    await this.apply(e, log);
  }

  /** tgt has no in-place ACL edit that also covers LUN flags: the target is rebuilt (same tid and IQN). */
  async update(_before: ExportRecord, after: ExportRecord, log?: JobLog): Promise<void> {
    await this.create(after, log);
    await this.dropUnusedAccounts(log);
  }
  async settleUpdate(): Promise<void> {}

  async remove(e: ExportRecord, log?: JobLog): Promise<void> {
    if (this.d.supervisor.isRunning('tgtd') && e.slot !== null) {
      await this.tgt.removeTarget(e.slot, true, log);
      await this.dropUnusedAccounts(log);
    }
    if ((await this.d.exports.live('iscsi')).filter((x) => x.id !== e.id).length === 0)
      await this.d.supervisor.stop('tgtd');
  }

  async reconcile(): Promise<void> {
    if ((await this.d.exports.countLive('iscsi')) > 0) await this.d.supervisor.ensure('tgtd');
  }

  async hostChanged(e: ExportRecord): Promise<void> {
    await this.apply(e);
  }

  /** Deletes tgt accounts no live target binds any more. */
  private async dropUnusedAccounts(log?: JobLog): Promise<void> {
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
