// The tgt adapter: drives one tgtd instance through its own control socket (TGT_IPC_SOCKET).
// tgtd keeps nothing across restarts; callers re-apply the whole configuration. No policy here.
import { run, type Exec } from '../exec.js';
import type { JobLog } from '../../domain/job-log.js';
import * as a from './argv.js';
import { parseAccounts, parseTargets, type TgtTarget } from './parse.js';

export interface TgtLun {
  lun: number;
  path: string;
  readOnly: boolean;
  blockSize: number | null;
  serial: string;
}

export interface TgtTargetSpec {
  tid: number;
  iqn: string;
  luns: TgtLun[];
  initiators: string[];
  addresses: string[];
  /** Accounts (already created) bound for one-way CHAP. */
  accounts: string[];
  /** Accounts bound as outgoing (mutual CHAP). */
  outgoing: string[];
}

const T = 30_000;

export class Tgt {
  /** `socketBase` is TGT_IPC_SOCKET: tgtd and tgtadm append `.<control port>`. */
  constructor(
    private readonly exec: Exec,
    private readonly socketBase: string,
  ) {}

  private env() {
    return { TGT_IPC_SOCKET: this.socketBase };
  }
  private go(argv: readonly string[], log?: JobLog, secretArgs?: number[]) {
    return run(this.exec, {
      argv: argv as [string, ...string[]],
      timeoutMs: T,
      env: this.env(),
      ...(log ? { log } : {}),
      ...(secretArgs ? { secretArgs } : {}),
    });
  }

  /** Whether tgtd answers on its control socket. */
  async alive(): Promise<boolean> {
    const r = await this.exec({ argv: a.showSystemArgv(), timeoutMs: 5000, env: this.env() });
    return r.exitCode === 0;
  }
  async targets(log?: JobLog): Promise<TgtTarget[]> {
    return parseTargets((await this.go(a.showTargetsArgv(), log)).stdout);
  }
  async accounts(log?: JobLog): Promise<string[]> {
    return parseAccounts((await this.go(a.showAccountsArgv(), log)).stdout);
  }
  async ensureAccount(user: string, password: string, log?: JobLog): Promise<void> {
    if ((await this.accounts(log)).includes(user)) await this.go(a.deleteAccountArgv(user), log);
    await this.go(a.newAccountArgv(user, password), log, [a.ACCOUNT_PASSWORD_POS]);
  }
  async deleteAccount(user: string, log?: JobLog): Promise<void> {
    if ((await this.accounts(log)).includes(user)) await this.go(a.deleteAccountArgv(user), log);
  }
  /** Creates the target from scratch (deleting any target with that tid first). */
  async applyTarget(s: TgtTargetSpec, log?: JobLog): Promise<void> {
    await this.removeTarget(s.tid, true, log);
    await this.go(a.newTargetArgv(s.tid, s.iqn), log);
    for (const [name, value] of a.ISCSI_TARGET_PARAMS)
      await this.go(a.targetParamArgv(s.tid, name, value), log);
    for (const l of s.luns) {
      await this.go(a.newLunArgv(s.tid, l.lun, l.path, l.blockSize), log);
      const params = [
        'vendor_id=CAIRN',
        `scsi_sn=${l.serial}`,
        'thin_provisioning=1',
        ...(l.readOnly ? ['readonly=1'] : []),
      ].join(',');
      await this.go(a.lunParamsArgv(s.tid, l.lun, params), log);
    }
    for (const u of s.accounts) await this.go(a.bindAccountArgv(s.tid, u, false), log);
    for (const u of s.outgoing) await this.go(a.bindAccountArgv(s.tid, u, true), log);
    for (const q of s.initiators) await this.go(a.bindInitiatorArgv(s.tid, q), log);
    for (const ad of s.addresses) await this.go(a.bindAddressArgv(s.tid, ad), log);
  }
  /** Deletes a target if it exists; `force` also drops open sessions. */
  async removeTarget(tid: number, force: boolean, log?: JobLog): Promise<void> {
    if (!(await this.targets(log)).some((t) => t.tid === tid)) return;
    await this.go(a.deleteTargetArgv(tid, force), log);
  }
  async sessions(tid: number, log?: JobLog): Promise<number> {
    return (await this.targets(log)).find((t) => t.tid === tid)?.sessions ?? 0;
  }
  /** Clean shutdown: offline, delete every target, then the system (tgtd exits). */
  async shutdown(log?: JobLog): Promise<void> {
    await this.go(a.offlineArgv(), log);
    for (const t of await this.targets(log)) await this.go(a.deleteTargetArgv(t.tid, true), log);
    await this.go(a.deleteSystemArgv(), log);
  }
}
