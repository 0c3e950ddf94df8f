// The tgt adapter: drives one tgtd instance through its own control socket (TGT_IPC_SOCKET).
// tgtd keeps nothing across restarts; callers re-apply the whole configuration. No policy here.
// Changes run one at a time: each reads tgtd's state and plans from it (the account order matters,
// see accounts.ts), so two plans must not interleave.
import { run, type Exec } from '../exec.js';
import type { JobLog } from '../../domain/job-log.js';
import * as a from './argv.js';
import { parseAccounts, parseTargets, type TgtTarget } from './parse.js';
import { createPlan, syncPlan, type TgtTargetSpec } from './plan.js';
import { accessOf, accessPlan } from './accounts.js';

export type { TgtLun, TgtTargetSpec } from './plan.js';

const T = 30_000;

export class Tgt {
  private queue: Promise<unknown> = Promise.resolve();
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

  /** Runs `f` after every change queued before it. */
  private serial<R>(f: () => Promise<R>): Promise<R> {
    const next = this.queue.then(f, f);
    this.queue = next.catch(() => undefined);
    return next;
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
   * password): it is first unbound from every target (safely, see accounts.ts), so the caller
   * binds it again where it belongs.
   */
  ensureAccount(user: string, password: string, log?: JobLog, replace = false): Promise<void> {
    return this.serial(async () => {
      if ((await this.accounts(log)).includes(user)) {
        if (!replace) return;
        await this.unbindEverywhere(user, log);
        await this.go(a.deleteAccountArgv(user), log);
      }
      await this.go(a.newAccountArgv(user, password), log, [a.ACCOUNT_PASSWORD_POS]);
    });
  }
  private async unbindEverywhere(user: string, log?: JobLog): Promise<void> {
    for (const t of await this.targets(log)) {
      if (!t.accounts.includes(user)) continue;
      const now = accessOf(t);
      const want = {
        ...now,
        incoming: now.incoming.filter((u) => u !== user),
        outgoing: now.outgoing.filter((u) => u !== user),
      };
      for (const argv of accessPlan(t.tid, now, want)) await this.go(argv, log);
    }
  }
  /** Deletes an account no target binds (tgt's delete unbinds it everywhere, unsafely). */
  deleteAccount(user: string, log?: JobLog): Promise<void> {
    return this.serial(async () => {
      if (!(await this.accounts(log)).includes(user)) return;
      await this.unbindEverywhere(user, log);
      await this.go(a.deleteAccountArgv(user), log);
    });
  }
  /** Creates the target from scratch (deleting any target with that tid first). */
  applyTarget(s: TgtTargetSpec, log?: JobLog): Promise<void> {
    return this.serial(() => this.create(s, log));
  }
  private async create(s: TgtTargetSpec, log?: JobLog): Promise<void> {
    await this.remove(s.tid, true, log);
    for (const argv of createPlan(s)) await this.go(argv, log);
  }
  /**
   * Brings the target to `s` in place (ACL, CHAP bindings and LUNs) so open sessions stay;
   * creates it when tgtd does not have it (or has another IQN under that tid).
   */
  syncTarget(s: TgtTargetSpec, log?: JobLog): Promise<void> {
    return this.serial(async () => {
      const cur = (await this.targets(log)).find((t) => t.tid === s.tid);
      if (!cur || cur.iqn !== s.iqn) return this.create(s, log);
      for (const argv of syncPlan(cur, s)) await this.go(argv, log);
    });
  }
  /** Deletes a target if it exists; `force` also drops open sessions. */
  removeTarget(tid: number, force: boolean, log?: JobLog): Promise<void> {
    return this.serial(() => this.remove(tid, force, log));
  }
  private async remove(tid: number, force: boolean, log?: JobLog): Promise<void> {
    if (!(await this.targets(log)).some((t) => t.tid === tid)) return;
    await this.go(a.deleteTargetArgv(tid, force), log);
  }
  async sessions(tid: number, log?: JobLog): Promise<number> {
    return (await this.targets(log)).find((t) => t.tid === tid)?.sessions ?? 0;
  }
  /** Clean shutdown: offline, delete every target, then the system (tgtd exits). */
  shutdown(log?: JobLog): Promise<void> {
    return this.serial(async () => {
      await this.go(a.offlineArgv(), log);
      for (const t of await this.targets(log)) await this.go(a.deleteTargetArgv(t.tid, true), log);
      await this.go(a.deleteSystemArgv(), log);
    });
  }
}
