// NFS exports through one nfs-ganesha (VFS FSAL): each export mounts its volume's subvolume on its
// own mount point (ganesha cannot export a subvolume by its path under the pool mount) and gets an
// EXPORT block (Export_Id = its slot). Changes rewrite ganesha.conf from the database and reload it
// with SIGHUP, which keeps the other exports serving; rpcbind runs while any export offers NFSv3.
import { join } from 'node:path';
import { CairnError, type FieldProblem } from '../../../domain/errors.js';
import type { JobLog } from '../../../domain/job-log.js';
import { exportUri, type ExportRecord } from '../../../domain/exports.js';
import { Ganesha, ganeshaArgv, ganeshaConf } from '../../../system/ganesha/index.js';
import { makeDir } from '../../../system/files.js';
import { tcpOpen } from '../net.js';
import {
  clientAddresses,
  volumeOf,
  type ExportInput,
  type ExportProtocol,
  type Figures,
  type ProtocolDeps,
  type Settings,
} from './types.js';

export class NfsProtocol implements ExportProtocol {
  readonly protocol = 'nfs' as const;
  readonly volumeType = 'filesystem' as const;
  readonly fields = ['root_squash', 'versions'] as const;
  readonly updatable = ['root_squash', 'versions'] as const;
  readonly ganesha: Ganesha;
  private readonly dir: string;

  constructor(private readonly d: ProtocolDeps) {
    this.ganesha = new Ganesha(d.exec);
    this.dir = d.paths.daemonDir('ganesha');
    const { nfs } = d.net;
    d.supervisor.define({
      name: 'rpcbind',
      dir: d.paths.daemonDir('rpcbind'),
      prepare: async () => ({ argv: ['rpcbind', '-f'] }),
      ready: () => tcpOpen('127.0.0.1', 111),
      external: () => tcpOpen('127.0.0.1', 111),
    });
    d.supervisor.define({
      name: 'ganesha',
      dir: this.dir,
      prepare: async () => {
        await this.writeConfig();
        return {
          argv: ganeshaArgv(
            join(this.dir, 'ganesha.conf'),
            join(this.dir, 'ganesha.log'),
            join(this.dir, 'ganesha.pid'),
          ),
        };
      },
      ready: () => tcpOpen(nfs.address, nfs.port),
      configure: async () => {
        for (const e of await this.d.exports.live('nfs')) await this.mount(e).catch(() => undefined);
      },
    });
  }

  settle(_id: string, input: ExportInput, s: Settings, problems: FieldProblem[], before?: ExportRecord) {
    if (clientAddresses(s.allowed, s.hosts).length === 0)
      problems.push({
        field: 'allowed',
        code: 'REQUIRED',
        message: 'name at least one allowed address or network',
      });
    return {
      root_squash: input.root_squash ?? before?.options.root_squash ?? true,
      versions: [...new Set(input.versions ?? before?.options.versions ?? [3, 4])].sort(),
    };
  }

  async place(id: string) {
    // The path is the export's own mount point (built from its id): v3 path and v4 pseudo path.
    const name = this.d.paths.exportMount(id);
    const { advertise, nfs } = this.d.net;
    return { name, slot: 'counter' as const, uri: () => exportUri('nfs', advertise, nfs.port, name) };
  }
  nameTaken(name: string) {
    return new CairnError('EXPORT_NAME_TAKEN', { protocol: 'nfs', name });
  }

  /** Mounts the volume's own subvolume on the export's mount point (idempotent). */
  async mount(e: ExportRecord, log?: JobLog): Promise<void> {
    const v = await volumeOf(this.d, e);
    const id = await this.ganesha.subvolumeId(v.path, log);
    await this.ganesha.mountSubvolume(v.devices, id, this.d.paths.exportMount(e.id), log);
  }

  private async writeConfig(exclude?: string): Promise<number> {
    const live = (await this.d.exports.live('nfs')).filter((e) => e.id !== exclude);
    const hosts = new Map(
      (await this.d.hosts.many([...new Set(live.flatMap((e) => e.hosts))])).map((h) => [h.id, h]),
    );
    const exports = live.map((e) => ({
      exportId: e.slot!,
      path: this.d.paths.exportMount(e.id),
      readOnly: e.readOnly,
      rootSquash: e.options.root_squash ?? true,
      versions: e.options.versions ?? [3, 4],
      clients: clientAddresses(
        e.allowed,
        e.hosts.flatMap((h) => hosts.get(h) ?? []),
      ),
    }));
    const { nfs } = this.d.net;
    await this.ganesha.writeConfig(
      join(this.dir, 'ganesha.conf'),
      ganeshaConf(
        {
          bindAddress: nfs.address,
          nfsPort: nfs.port,
          mountPort: nfs.mountPort,
          recoveryDir: join(this.dir, 'recovery'),
          v3: exports.some((x) => x.versions.includes(3)),
        },
        exports,
      ),
    );
    return exports.length;
  }

  /** Regenerates ganesha.conf and reloads it (SIGHUP keeps the other exports); lazy start/stop. */
  private async sync(log?: JobLog, exclude?: string): Promise<void> {
    await makeDir(join(this.dir, 'recovery'));
    const n = await this.writeConfig(exclude);
    const sup = this.d.supervisor;
    if (n === 0) {
      log?.write('info', 'no NFS exports left: stopping ganesha');
      await sup.stop('ganesha');
      await sup.stop('rpcbind');
      return;
    }
    if (sup.isRunning('ganesha')) {
      // Done when ganesha logs the reload finished (a fixed wait was too short under load: a
      // client mounting right after the job could still be refused).
      const logFile = join(this.dir, 'ganesha.log');
      const before = await this.ganesha.reloadsDone(logFile);
      log?.write('info', 'ganesha: SIGHUP to reload exports');
      sup.signal('ganesha', 'SIGHUP');
      if (!(await this.ganesha.waitReloaded(logFile, before)))
        log?.write('warn', 'ganesha did not log the end of its export reload within 15 s');
      return;
    }
    await sup.ensure('rpcbind');
    await sup.ensure('ganesha');
  }

  async create(e: ExportRecord, log?: JobLog): Promise<void> {
    await this.mount(e, log);
    await this.sync(log);
  }
  async update(_before: ExportRecord, _after: ExportRecord, log?: JobLog): Promise<void> {
    await this.sync(log);
  }
  async settleUpdate(): Promise<void> {}
  async remove(e: ExportRecord, log?: JobLog): Promise<void> {
    await this.sync(log, e.id);
    await this.ganesha.unmount(this.d.paths.exportMount(e.id), log);
  }
  async reconcile(): Promise<void> {
    if ((await this.d.exports.countLive('nfs')) === 0) return;
    for (const e of await this.d.exports.live('nfs')) await this.mount(e);
    await this.sync();
  }
  async hostChanged(): Promise<void> {
    await this.sync();
  }
  async sessions(): Promise<number> {
    return 0;
  }
  /** ganesha reports clients only over D-Bus, which Cairn does not run: `daemon_up` alone. */
  async figures(exports: readonly ExportRecord[]): Promise<Figures> {
    const up = this.d.supervisor.isRunning('ganesha') ? 1 : 0;
    return new Map(exports.map((e) => [e.id, { daemon_up: up }]));
  }
}
