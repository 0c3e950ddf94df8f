// The export protocols by name, built once per cairnd over one daemon supervisor: the export service
// and jobs look a module up here and call the ExportProtocol interface, never a protocol's own code.
import type { ExportRecord, Protocol } from '../../../domain/exports.js';
import { IscsiProtocol } from './iscsi.js';
import { NfsProtocol } from './nfs.js';
import { SmbProtocol } from './smb.js';
import { NbdProtocol } from './nbd.js';
import type { ExportProtocol, Figures, ProtocolDeps } from './types.js';

export type { ExportProtocol, ExportInput, ProtocolDeps } from './types.js';

export class ExportProtocols {
  private readonly all: Record<Protocol, ExportProtocol>;
  /** SMB also serves Cairn users (their passdb entries follow the users service). */
  readonly smb: SmbProtocol;
  /** Native iSCSI targets share its tgtd. */
  readonly iscsi: IscsiProtocol;

  constructor(private readonly d: ProtocolDeps) {
    this.smb = new SmbProtocol(d);
    this.iscsi = new IscsiProtocol(d);
    this.all = {
      iscsi: this.iscsi,
      nfs: new NfsProtocol(d),
      smb: this.smb,
      nbd: new NbdProtocol(d),
    };
  }

  of(p: Protocol): ExportProtocol {
    return this.all[p];
  }

  /** Client figures of these exports, one call per daemon. */
  async figures(exports: readonly ExportRecord[]): Promise<Figures> {
    const out: Figures = new Map();
    for (const m of Object.values(this.all))
      for (const [id, f] of await m.figures(exports.filter((e) => e.protocol === m.protocol))) out.set(id, f);
    return out;
  }

  /** At start-up: every protocol with live exports gets its daemon back, configured from the database. */
  async reconcile(): Promise<void> {
    for (const m of Object.values(this.all))
      await m
        .reconcile()
        .catch((err: unknown) =>
          this.d.logger.error({ err, protocol: m.protocol }, 'could not bring the export daemon back'),
        );
  }

  /** Stops every daemon (cairnd stopping). Mounts stay: exports come back at the next start. */
  async stopAll(): Promise<void> {
    await this.d.supervisor.close();
  }
}
