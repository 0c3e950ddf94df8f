// NBD exports: one supervised nbdkit per export on its own port (the export's slot), with a strict
// export name, an IP allow list and optional TLS. A change restarts that export's nbdkit only.
import { CairnError, type FieldProblem } from '../../../domain/errors.js';
import { EXPORT_NAME_RE, exportUri, type ExportRecord } from '../../../domain/exports.js';
import { nbdkitArgv, nbdkitParsesAddressRules } from '../../../system/nbdkit/index.js';
import { tcpOpen } from '../net.js';
import {
  clientAddresses,
  unknownCounts,
  volumeOf,
  warnNoAnswer,
  type ExportInput,
  type ExportProtocol,
  type Figures,
  type ProtocolDeps,
} from './types.js';

export const NBD_PREFIX = 'nbdkit-';

export class NbdProtocol implements ExportProtocol {
  readonly protocol = 'nbd' as const;
  readonly volumeType = 'lun' as const;
  readonly fields = ['tls', 'name'] as const;
  readonly updatable = [] as const;

  constructor(private readonly d: ProtocolDeps) {}

  settle(_id: string, input: ExportInput, _s: unknown, _p: FieldProblem[], before?: ExportRecord) {
    if (before) return before.options;
    if (input.tls && !this.d.net.nbdTlsDir) throw new CairnError('EXPORT_TLS_UNAVAILABLE');
    return { tls: input.tls ?? false };
  }

  async place(_id: string, vol: { id: string; name: string }, input: ExportInput) {
    let name = input.name ?? vol.name;
    if (!EXPORT_NAME_RE.test(name)) name = `vol-${vol.id.slice(0, 8)}`;
    const { advertise } = this.d.net;
    return {
      name,
      slot: 'port' as const,
      uri: (port: number | null) => exportUri('nbd', advertise, port!, name),
    };
  }
  private addressRules: Promise<boolean> | null = null;
  async admits(addresses: readonly string[]): Promise<void> {
    if (addresses.length === 0) return;
    this.addressRules ??= nbdkitParsesAddressRules(this.d.exec);
    if (!(await this.addressRules))
      throw new CairnError('EXPORT_ALLOW_LIST_UNAVAILABLE', {
        protocol: 'nbd',
        reason: "this nbdkit's ip filter refuses address rules (Debian 12's nbdkit 1.32.5 does)",
      });
  }
  nameTaken(name: string) {
    return new CairnError('EXPORT_NAME_TAKEN', { protocol: 'nbd', name });
  }

  private daemon(e: ExportRecord) {
    return `${NBD_PREFIX}${e.id}`;
  }
  /** (Re)defines the export's nbdkit from its row as it is now. */
  private define(e: ExportRecord): string {
    const name = this.daemon(e);
    const { nbd, nbdTlsDir } = this.d.net;
    this.d.supervisor.define({
      name,
      dir: this.d.paths.daemonDir(name),
      prepare: async () => {
        const v = await volumeOf(this.d, e);
        return {
          argv: nbdkitArgv({
            address: nbd.address,
            port: e.slot!,
            name: e.exportName,
            file: v.lunFile!,
            readOnly: e.readOnly,
            allowed: clientAddresses(e.allowed, await this.d.hosts.many(e.hosts)),
            tlsDir: e.options.tls ? nbdTlsDir : null,
          }),
        };
      },
      ready: () => tcpOpen(nbd.address, e.slot!),
    });
    return name;
  }

  async create(e: ExportRecord): Promise<void> {
    await this.d.supervisor.ensure(this.define(e));
  }
  async update(_before: ExportRecord, after: ExportRecord): Promise<void> {
    await this.d.supervisor.remove(this.daemon(after));
    await this.create(after);
  }
  async settleUpdate(): Promise<void> {}
  async remove(e: ExportRecord): Promise<void> {
    await this.d.supervisor.remove(this.daemon(e));
  }
  async reconcile(): Promise<void> {
    for (const e of await this.d.exports.live('nbd'))
      await this.create(e).catch((err: unknown) =>
        this.d.logger.error({ err, exportId: e.id }, 'could not start nbdkit'),
      );
  }
  async hostChanged(e: ExportRecord): Promise<void> {
    await this.update(e, e);
  }
  async sessions(): Promise<number> {
    return 0;
  }

  /** Established TCP connections on each export's own port (/proc/net/tcp). */
  async figures(exports: readonly ExportRecord[]): Promise<Figures> {
    const out: Figures = new Map();
    const nbd = exports.filter((e) => e.slot !== null);
    const served = nbd.length
      ? await this.d.procfs
          .tcpServed(nbd.map((e) => e.slot!))
          .catch(warnNoAnswer(this.d.logger, '/proc/net/tcp'))
      : null;
    for (const e of nbd) {
      const c = served?.get(e.slot!);
      const up = this.d.supervisor.isRunning(this.daemon(e));
      out.set(
        e.id,
        unknownCounts(up, served) ?? {
          daemon_up: up ? 1 : 0,
          connections: c?.connections ?? 0,
          clients: c?.remotes ?? 0,
        },
      );
    }
    return out;
  }
}
