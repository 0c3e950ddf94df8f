// The tgt adapter: drives one tgtd instance through its own control socket (TGT_IPC_SOCKET).
// tgtd keeps nothing across restarts; callers re-apply the whole configuration. No policy here.
import { run, type Exec } from '../exec.js';
import type { JobLog } from '../../domain/job-log.js';
import * as a from './argv.js';
import { parseAccounts, parseTargets, type TgtTarget } from './parse.js';
import { createPlan, syncPlan, type TgtTargetSpec } from './plan.js';

export type { TgtLun, TgtTargetSpec } from './plan.js';

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
  /**
   * Creates the account if tgtd lacks it. `replace` also re-creates an existing one (a new
   * password): tgt then unbinds it from every target, so the caller binds it again where it belongs.
   */
  async ensureAccount(user: string, password: string, log?: JobLog, replace = false): Promise<void> {
    if ((await this.accounts(log)).includes(user)) {
      if (!replace) return;
      await this.go(a.deleteAccountArgv(user), log);
    }
    await this.go(a.newAccountArgv(user, password), log, [a.ACCOUNT_PASSWORD_POS]);
  }
  async deleteAccount(user: string, log?: JobLog): Promise<void> {
    if ((await this.accounts(log)).includes(user)) await this.go(a.deleteAccountArgv(user), log);
  }
  /** Creates the target from scratch (deleting any target with that tid first). */
  async applyTarget(s: TgtTargetSpec, log?: JobLog): Promise<void> {
    await this.removeTarget(s.tid, true, log);
    for (const argv of createPlan(s)) await this.go(argv, log);
  }
  /**
   * Brings the target to `s` in place (ACL and CHAP bindings added, LUNs added, removed or
   * flagged) so open sessions stay; creates it when tgtd does not have it (or has another IQN under
   * that tid), and rebuilds it when something must be unbound (see syncPlan).
   */
  async syncTarget(s: TgtTargetSpec, log?: JobLog): Promise<void> {
    const cur = (await this.targets(log)).find((t) => t.tid === s.tid);
    const plan = cur && cur.iqn === s.iqn ? syncPlan(cur, s) : null;
    if (!plan) return this.applyTarget(s, log);
    for (const argv of plan) await this.go(argv, log);
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
