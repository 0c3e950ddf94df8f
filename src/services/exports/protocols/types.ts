// The one interface every export protocol implements (iSCSI, NFS, SMB, NBD), so the export service
// and its jobs never switch on the protocol: rules and options of the protocol's own fields, the
// name and slot it needs, and create/update/remove/reconcile against its daemon.
import type { Logger } from 'pino';
import type { FieldProblem } from '../../../domain/errors.js';
import type { JobLog } from '../../../domain/job-log.js';
import type { ExportInput, ExportOptions, ExportRecord, Host, Protocol } from '../../../domain/exports.js';
import type { Exec } from '../../../system/exec.js';
import type { Paths } from '../../../system/paths.js';
import type { ProcFs } from '../../../system/procfs/index.js';
import type { ExportStore } from '../../../store/exports.js';
import type { HostStore } from '../../../store/hosts.js';
import type { TargetStore } from '../../../store/targets.js';
import type { StoreTx } from '../../../store/jobs.js';
import type { SmbUserStore } from '../../../store/smb-users.js';
import type { ExportableVolume, VolumeAccess } from '../../contracts.js';
import type { Supervisor } from '../../daemons/supervisor.js';
import type { SecretBox } from '../../hosts/secrets.js';
import type { ExportNet } from '../net.js';

export type { ExportInput };
export type OptionField = Exclude<keyof ExportInput, 'hosts' | 'allowed' | 'read_only'>;

/** The settings an export is served with, after defaults (create) or merged over the old (update). */
export interface Settings {
  readOnly: boolean;
  hosts: Host[];
  allowed: string[];
}

/** How an export is named and numbered, worked out before its row is written. */
export interface Placement {
  /** The name clients ask for (target IQN, NFS path, share or NBD export name): unique per protocol. */
  name: string;
  /** none; counter: the smallest free integer ≥ 1 (tgt tid, ganesha Export_Id); port: a free NBD port. */
  slot: 'none' | 'counter' | 'port';
  uri(slot: number | null): string;
  /** Counter slots other objects hold in the same daemon (native iSCSI targets' tids). */
  taken?(): Promise<number[]>;
}

/** Everything a protocol module may use: stores, daemons, programs; never the HTTP layer. */
export interface ProtocolDeps {
  exec: Exec;
  paths: Paths;
  supervisor: Supervisor;
  exports: ExportStore;
  hosts: HostStore;
  /** iSCSI targets: an iSCSI export is the view of one (tids and IQNs shared with native targets). */
  targets: TargetStore;
  smbUsers: SmbUserStore;
  box: SecretBox;
  volumes: () => VolumeAccess | undefined;
  net: ExportNet;
  logger: Logger;
  procfs: ProcFs;
  systemName: () => Promise<string>;
}

/** Client figures of exports, by export id (the monitor samples them). */
export type Figures = Map<string, Record<string, number>>;

export interface ExportProtocol {
  readonly protocol: Protocol;
  /** The volume type it exports. */
  readonly volumeType: 'filesystem' | 'lun';
  /** The input fields only this protocol takes; the others are refused (NOT_FOR_PROTOCOL). */
  readonly fields: readonly OptionField[];
  /** The input fields an update may change (the rest are fixed at create). */
  readonly updatable: readonly OptionField[];
  /**
   * The protocol's rules on the settings and the options to store; `before` on an update. Collects
   * problems instead of throwing. `id` is the export's (names of share accounts derive from it).
   */
  settle(
    id: string,
    input: ExportInput,
    s: Settings,
    problems: FieldProblem[],
    before?: ExportRecord,
  ): ExportOptions;
  /**
   * Refuses addresses the protocol cannot enforce here (EXPORT_ALLOW_LIST_UNAVAILABLE): the export's
   * own plus its hosts', on create and on update, before anything is recorded.
   */
  admits?(addresses: readonly string[]): Promise<void>;
  /** Name, slot kind and URI of a new export. Throws EXPORT_TLS_UNAVAILABLE etc. */
  place(id: string, vol: ExportableVolume, input: ExportInput, options: ExportOptions): Promise<Placement>;
  /** The error for a name another export of the protocol has. */
  nameTaken(name: string): Error;
  /**
   * Rows the protocol keeps beside the export, written in the transaction that records it (an
   * iSCSI export's target and LUN). Throws ExportSlotTaken when the slot went to another object.
   */
  record?(tx: StoreTx, e: Omit<ExportRecord, 'createdAt' | 'updatedAt' | 'error'>): Promise<void>;

  /** Serves the export as its row says (idempotent; the undo is remove). */
  create(e: ExportRecord, log?: JobLog): Promise<void>;
  /** Serves `after` instead of `before`; the row already holds `after` (idempotent both ways). */
  update(before: ExportRecord, after: ExportRecord, log?: JobLog): Promise<void>;
  /** Drops what `before` needed and `after` does not (share accounts), once `after` serves. */
  settleUpdate(before: ExportRecord, after: ExportRecord, log?: JobLog): Promise<void>;
  /** Stops serving it and releases what it held (idempotent). */
  remove(e: ExportRecord, log?: JobLog): Promise<void>;
  /** At start-up: the daemon back with every live export of the protocol. */
  reconcile(): Promise<void>;
  /** A host it maps changed (IQNs, CHAP, addresses): serve the export again. */
  hostChanged(e: ExportRecord): Promise<void>;
  /** Open client sessions (a delete without force refuses while there are some). */
  sessions(e: ExportRecord): Promise<number>;
  figures(exports: readonly ExportRecord[]): Promise<Figures>;
}

/** The volume behind an export, through the volume area's contract. */
export async function volumeOf(d: ProtocolDeps, e: ExportRecord): Promise<ExportableVolume> {
  const v = d.volumes();
  if (!v) throw new Error('no volume service');
  return v.exportable(e.volumeId);
}

/** The addresses an export admits: its own allowed ones plus those of the hosts it maps. */
export function clientAddresses(
  allowed: readonly string[],
  hosts: readonly { addresses: readonly string[] }[],
): string[] {
  return [...allowed, ...hosts.flatMap((h) => h.addresses)];
}

/** For the statistics: a running daemon that did not answer has unknown counts, not zero. */
export const unknownCounts = (up: boolean, answer: unknown) =>
  up && answer === null ? { daemon_up: 1 } : null;

export const warnNoAnswer = (logger: Logger, what: string) => (err: unknown) => {
  logger.warn({ err }, `export statistics: ${what} did not answer`);
  return null;
};
