// Protocol drivers: turn the exports in the database into daemon configuration. Each daemon is
// started lazily (first export of its protocol), re-configured in full after every (re)start, and
// stopped when its last export goes. Called from export jobs (which hold `daemon:<protocol>`) and
// from the supervisor after restarts.
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Exec } from '../../system/exec.js';
import type { Paths } from '../../system/paths.js';
import type { JobLog } from '../../domain/job-log.js';
import type { ExportRecord } from '../../domain/exports.js';
import type { ExportStore } from '../../store/exports.js';
import type { HostStore } from '../../store/hosts.js';
import type { VolumeAccess, ExportableVolume } from '../contracts.js';
import { Tgt } from '../../system/tgt/index.js';
import { TGTD_ENV, tgtdArgv } from '../../system/tgt/argv.js';
import { Ganesha, ganeshaArgv, ganeshaConf } from '../../system/ganesha/index.js';
import { Samba, smbConf, smbdArgv, usernameMap } from '../../system/samba/index.js';
import { nbdkitArgv } from '../../system/nbdkit/index.js';
import { ProcFs } from '../../system/procfs/index.js';
import type { Supervisor } from '../daemons/supervisor.js';
import type { SecretBox } from '../hosts/secrets.js';
import { tcpOpen, type ExportNet } from './net.js';

export interface DriverDeps {
  exec: Exec;
  paths: Paths;
  supervisor: Supervisor;
  exports: ExportStore;
  hosts: HostStore;
  box: SecretBox;
  volumes: () => VolumeAccess | undefined;
  net: ExportNet;
  logger: Logger;
  /** Where nbdkit's connections are read (/proc/net/tcp); tests may point it elsewhere. */
  procfs?: ProcFs;
}

export const NBD_PREFIX = 'nbdkit-';

export class ExportDrivers {
  readonly tgt: Tgt;
  readonly ganesha: Ganesha;
  readonly samba: Samba;
  private readonly smbDir: string;
  private readonly nfsDir: string;
  private readonly procfs: ProcFs;
  /** Whether this cairnd started rpcbind (then it also stops it). */
  constructor(private readonly d: DriverDeps) {
    this.tgt = new Tgt(d.exec, join(d.paths.daemonDir('tgtd'), 'tgtd.sock'));
    this.ganesha = new Ganesha(d.exec);
    this.smbDir = d.paths.daemonDir('smbd');
    this.nfsDir = d.paths.daemonDir('ganesha');
    this.samba = new Samba(d.exec, join(this.smbDir, 'smb.conf'));
    this.procfs = d.procfs ?? new ProcFs();
    this.defineDaemons();
  }

  async volume(e: ExportRecord): Promise<ExportableVolume> {
    const v = this.d.volumes();
    if (!v) throw new Error('no volume service');
    return v.exportable(e.volume_id);
  }

  private defineDaemons(): void {
    const { supervisor: sup, net } = this.d;
    const tgtDir = this.d.paths.daemonDir('tgtd');
    sup.define({
      name: 'tgtd',
      dir: tgtDir,
      prepare: async () => ({
        argv: [...tgtdArgv(`${net.iscsi.address}:${net.iscsi.port}`)],
        env: { ...TGTD_ENV, TGT_IPC_SOCKET: join(tgtDir, 'tgtd.sock') },
      }),
      ready: async () => (await tcpOpen(net.iscsi.address, net.iscsi.port)) && (await this.tgt.alive()),
      configure: () => this.configureIscsi(),
      shutdown: () => this.tgt.shutdown(),
    });
    sup.define({
      name: 'rpcbind',
      dir: this.d.paths.daemonDir('rpcbind'),
      prepare: async () => ({ argv: ['rpcbind', '-f'] }),
      ready: () => tcpOpen('127.0.0.1', 111),
      external: () => tcpOpen('127.0.0.1', 111),
    });
    sup.define({
      name: 'ganesha',
      dir: this.nfsDir,
      prepare: async () => {
        await this.writeNfsConfig();
        return {
          argv: ganeshaArgv(
            join(this.nfsDir, 'ganesha.conf'),
            join(this.nfsDir, 'ganesha.log'),
            join(this.nfsDir, 'ganesha.pid'),
          ),
        };
      },
      ready: () => tcpOpen(net.nfs.address, net.nfs.port),
      configure: async () => {
        for (const e of await this.d.exports.live('nfs')) await this.mountNfs(e).catch(() => undefined);
      },
    });
    sup.define({
      name: 'smbd',
      dir: this.smbDir,
      prepare: async () => {
        await this.writeSmbConfig();
        return { argv: smbdArgv(join(this.smbDir, 'smb.conf')) };
      },
      ready: () => tcpOpen(net.smb.address, net.smb.port),
    });
  }

  // ---- iSCSI
  private async tgtSpec(e: ExportRecord) {
    const v = await this.volume(e);
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

  async applyIscsi(e: ExportRecord, log?: JobLog): Promise<void> {
    await this.d.supervisor.ensure('tgtd');
    const { spec, secrets } = await this.tgtSpec(e);
    for (const s of secrets) await this.tgt.ensureAccount(s.user, s.secret, log);
    await this.tgt.applyTarget(spec, log);
  }

  async removeIscsi(e: ExportRecord, log?: JobLog): Promise<void> {
    if (this.d.supervisor.isRunning('tgtd')) {
      await this.tgt.removeTarget(e.slot!, true, log);
      await this.dropUnusedAccounts(log);
    }
    if ((await this.d.exports.live('iscsi')).filter((x) => x.id !== e.id).length === 0)
      await this.d.supervisor.stop('tgtd');
  }

  /** Deletes tgt accounts no live target binds any more. */
  private async dropUnusedAccounts(log?: JobLog): Promise<void> {
    const used = new Set((await this.tgt.targets(log)).flatMap((t) => t.accounts));
    for (const a of await this.tgt.accounts(log)) if (!used.has(a)) await this.tgt.deleteAccount(a, log);
  }

  async iscsiSessions(e: ExportRecord): Promise<number> {
    if (!this.d.supervisor.isRunning('tgtd') || e.slot === null) return 0;
    return this.tgt.sessions(e.slot);
  }

  /** After tgtd (re)starts: every live iSCSI export again, from the database. */
  private async configureIscsi(): Promise<void> {
    for (const e of await this.d.exports.live('iscsi')) {
      try {
        const { spec, secrets } = await this.tgtSpec(e);
        for (const s of secrets) await this.tgt.ensureAccount(s.user, s.secret);
        await this.tgt.applyTarget(spec);
      } catch (err) {
        this.d.logger.error({ err, exportId: e.id }, 'could not re-apply iSCSI export');
        await this.d.exports.setState(e.id, e.state, `re-apply failed: ${String(err)}`);
      }
    }
  }

  // ---- NFS
  /** The path an NFS export is mounted and exported at (v3 path and v4 pseudo path). */
  exportPath(exportId: string): string {
    return this.d.paths.exportMount(exportId);
  }
  async mountNfs(e: ExportRecord, log?: JobLog): Promise<void> {
    const v = await this.volume(e);
    const id = await this.ganesha.subvolumeId(v.path, log);
    await this.ganesha.mountSubvolume(v.devices, id, this.d.paths.exportMount(e.id), log);
  }
  async unmountNfs(e: ExportRecord, log?: JobLog): Promise<void> {
    await this.ganesha.unmount(this.d.paths.exportMount(e.id), log);
  }

  private async writeNfsConfig(exclude?: string): Promise<number> {
    const live = (await this.d.exports.live('nfs')).filter((e) => e.id !== exclude);
    const hosts = new Map(
      (await this.d.hosts.many([...new Set(live.flatMap((e) => e.hosts))])).map((h) => [h.id, h]),
    );
    const exports = live.map((e) => ({
      exportId: e.slot!,
      path: this.d.paths.exportMount(e.id),
      readOnly: e.read_only,
      rootSquash: e.options.root_squash ?? true,
      versions: e.options.versions ?? [3, 4],
      clients: [...e.allowed, ...e.hosts.flatMap((h) => hosts.get(h)?.addresses ?? [])],
    }));
    await this.ganesha.writeConfig(
      join(this.nfsDir, 'ganesha.conf'),
      ganeshaConf(
        {
          bindAddress: this.d.net.nfs.address,
          nfsPort: this.d.net.nfs.port,
          mountPort: this.d.net.nfs.mountPort,
          recoveryDir: join(this.nfsDir, 'recovery'),
          v3: exports.some((x) => x.versions.includes(3)),
        },
        exports,
      ),
    );
    return exports.length;
  }

  /** Regenerates ganesha.conf and reloads it (SIGHUP keeps the other exports); lazy start/stop. */
  async syncNfs(log?: JobLog, exclude?: string): Promise<void> {
    await import('node:fs/promises').then((fs) =>
      fs.mkdir(join(this.nfsDir, 'recovery'), { recursive: true }),
    );
    const n = await this.writeNfsConfig(exclude);
    const sup = this.d.supervisor;
    if (n === 0) {
      log?.write('info', 'no NFS exports left: stopping ganesha');
      await sup.stop('ganesha');
      await sup.stop('rpcbind');
      return;
    }
    if (sup.isRunning('ganesha')) {
      log?.write('info', 'ganesha: SIGHUP to reload exports');
      sup.signal('ganesha', 'SIGHUP');
      await new Promise((r) => setTimeout(r, 500));
      return;
    }
    await sup.ensure('rpcbind');
    await sup.ensure('ganesha');
  }

  // ---- SMB
  private async writeSmbConfig(exclude?: string): Promise<number> {
    const live = (await this.d.exports.live('smb')).filter((e) => e.id !== exclude);
    const hosts = new Map(
      (await this.d.hosts.many([...new Set(live.flatMap((e) => e.hosts))])).map((h) => [h.id, h]),
    );
    const shares = [];
    for (const e of live) {
      const v = await this.volume(e).catch(() => null);
      if (!v) continue;
      shares.push({
        name: e.export_name,
        path: v.path,
        readOnly: e.read_only,
        guest: e.options.guest ?? false,
        accounts: (e.options.users ?? []).map((u) => u.account),
        allowed: [...e.allowed, ...e.hosts.flatMap((h) => hosts.get(h)?.addresses ?? [])],
      });
    }
    await this.samba.ensureDirs(this.smbDir);
    await this.samba.writeFileAtomic(
      join(this.smbDir, 'usermap'),
      usernameMap(live.flatMap((e) => e.options.users ?? [])),
    );
    await this.samba.writeFileAtomic(
      join(this.smbDir, 'smb.conf'),
      smbConf({ dir: this.smbDir, port: this.d.net.smb.port, address: this.d.net.smb.address }, shares),
    );
    return shares.length;
  }

  async syncSmb(log?: JobLog, exclude?: string): Promise<void> {
    const n = await this.writeSmbConfig(exclude);
    const sup = this.d.supervisor;
    if (n === 0) {
      await sup.stop('smbd');
      return;
    }
    if (sup.isRunning('smbd')) await this.samba.reload(log);
    else await sup.ensure('smbd');
  }

  async smbAccounts(e: ExportRecord, log?: JobLog): Promise<void> {
    await this.samba.ensureDirs(this.smbDir);
    await this.writeSmbConfig();
    for (const u of e.options.users ?? []) {
      await this.samba.ensureAccount(u.account, log);
      const sealed = (u as { secret?: string }).secret;
      if (sealed) await this.samba.setPassword(u.account, this.d.box.open(sealed), log);
    }
  }
  async removeSmbAccounts(e: ExportRecord, log?: JobLog): Promise<void> {
    for (const u of e.options.users ?? []) await this.samba.removeAccount(u.account, log);
  }

  // ---- NBD
  private nbdName(e: ExportRecord) {
    return `${NBD_PREFIX}${e.id}`;
  }
  private defineNbd(e: ExportRecord): string {
    const name = this.nbdName(e);
    const net = this.d.net;
    this.d.supervisor.define({
      name,
      dir: this.d.paths.daemonDir(name),
      prepare: async () => {
        const v = await this.volume(e);
        const hosts = await this.d.hosts.many(e.hosts);
        return {
          argv: nbdkitArgv({
            address: net.nbd.address,
            port: e.slot!,
            name: e.export_name,
            file: v.lunFile!,
            readOnly: e.read_only,
            allowed: [...e.allowed, ...hosts.flatMap((h) => h.addresses)],
            tlsDir: e.options.tls ? net.nbdTlsDir : null,
          }),
        };
      },
      ready: () => tcpOpen(net.nbd.address, e.slot!),
    });
    return name;
  }
  async applyNbd(e: ExportRecord): Promise<void> {
    await this.d.supervisor.ensure(this.defineNbd(e));
  }
  async removeNbd(e: ExportRecord): Promise<void> {
    await this.d.supervisor.remove(this.nbdName(e));
  }

  // ---- statistics
  /**
   * Client figures per export, as each daemon reports them, one call per daemon: tgtd (sessions,
   * connections and initiators per target), smbd (`smbstatus`: tree connects, client machines and
   * open files per share), nbdkit (established TCP connections on the export's own port). ganesha
   * reports clients only over D-Bus, which Cairn does not run: NFS exports get `daemon_up` alone.
   */
  async figures(exports: readonly ExportRecord[]): Promise<Map<string, Record<string, number>>> {
    const sup = this.d.supervisor;
    const out = new Map<string, Record<string, number>>();
    const of = (p: string) => exports.filter((e) => e.protocol === p);
    const warn = (what: string) => (err: unknown) => {
      this.d.logger.warn({ err }, `export statistics: ${what} did not answer`);
      return null;
    };
    // A running daemon that did not answer: its counts are unknown this round, not zero.
    const unknown = (up: boolean, answer: unknown) => (up && answer === null ? { daemon_up: 1 } : null);

    const iscsi = of('iscsi');
    const tgtUp = sup.isRunning('tgtd');
    const targets = iscsi.length && tgtUp ? await this.tgt.targets().catch(warn('tgtadm')) : null;
    for (const e of iscsi) {
      const t = targets?.find((x) => x.tid === e.slot);
      out.set(
        e.id,
        unknown(tgtUp, targets) ?? {
          daemon_up: tgtUp ? 1 : 0,
          sessions: t?.sessions ?? 0,
          connections: t?.connections ?? 0,
          clients: t?.initiators.length ?? 0,
        },
      );
    }

    const smb = of('smb');
    const smbUp = sup.isRunning('smbd');
    const status = smb.length && smbUp ? await this.samba.status().catch(warn('smbstatus')) : null;
    for (const e of smb) {
      const use = status?.shares.get(e.export_name);
      const path = status ? (await this.volume(e).catch(() => null))?.path : undefined;
      out.set(
        e.id,
        unknown(smbUp, status) ?? {
          daemon_up: smbUp ? 1 : 0,
          connections: use?.connections ?? 0,
          clients: use?.machines.length ?? 0,
          open_files: (path && status?.opensByPath.get(path)) || 0,
        },
      );
    }

    const nbd = of('nbd').filter((e) => e.slot !== null);
    const served = nbd.length
      ? await this.procfs.tcpServed(nbd.map((e) => e.slot!)).catch(warn('/proc/net/tcp'))
      : null;
    for (const e of nbd) {
      const c = served?.get(e.slot!);
      const up = sup.isRunning(this.nbdName(e));
      out.set(
        e.id,
        unknown(up, served) ?? {
          daemon_up: up ? 1 : 0,
          connections: c?.connections ?? 0,
          clients: c?.remotes ?? 0,
        },
      );
    }

    const nfsUp = sup.isRunning('ganesha') ? 1 : 0;
    for (const e of of('nfs')) out.set(e.id, { daemon_up: nfsUp });
    return out;
  }

  // ---- all
  /** At start-up: every protocol with live exports gets its daemon back, configured from the database. */
  async reconcile(): Promise<void> {
    const sup = this.d.supervisor;
    const tryIt = async (what: string, fn: () => Promise<void>) =>
      fn().catch((err: unknown) => this.d.logger.error({ err }, `could not start ${what}`));
    if ((await this.d.exports.countLive('iscsi')) > 0) await tryIt('tgtd', () => sup.ensure('tgtd'));
    if ((await this.d.exports.countLive('nfs')) > 0)
      await tryIt('ganesha', async () => {
        for (const e of await this.d.exports.live('nfs')) await this.mountNfs(e);
        await this.syncNfs();
      });
    if ((await this.d.exports.countLive('smb')) > 0) await tryIt('smbd', () => this.syncSmb());
    for (const e of await this.d.exports.live('nbd'))
      await tryIt(`nbdkit for ${e.id}`, () => this.applyNbd(e));
  }

  /** Stops every daemon (cairnd stopping). Mounts stay: exports come back at the next start. */
  async stopAll(): Promise<void> {
    await this.d.supervisor.close();
  }
}
