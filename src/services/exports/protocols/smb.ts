// SMB shares through one smbd: shares generated into smb.conf from the database and pushed with
// `smbcontrol reload-config`. Share users are Unix accounts named from the export id (a username
// map turns the login name into the account); their passwords go to Samba's passdb through stdin
// and are kept sealed in the row only until Samba holds them.
import { join } from 'node:path';
import { CairnError, type FieldProblem } from '../../../domain/errors.js';
import type { JobLog } from '../../../domain/job-log.js';
import {
  EXPORT_NAME_RE,
  SMB_USER_RE,
  exportUri,
  smbAccountName,
  smbUserAccount,
  type ExportRecord,
  type SmbShareUser,
} from '../../../domain/exports.js';
import { allows } from '../../../domain/permissions.js';
import { Samba, smbConf, smbdArgv, usernameMap } from '../../../system/samba/index.js';
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
  type Settings,
} from './types.js';

/** A share user as stored: the sealed password stays only until Samba has it. */
type StoredUser = SmbShareUser & { secret?: string };

const accountIndex = (account: string) => Number(/-(\d+)$/.exec(account)?.[1] ?? -1);

export class SmbProtocol implements ExportProtocol {
  readonly protocol = 'smb' as const;
  readonly volumeType = 'filesystem' as const;
  readonly fields = ['users', 'guest', 'name'] as const;
  readonly updatable = ['users', 'guest'] as const;
  readonly samba: Samba;
  private readonly dir: string;

  constructor(private readonly d: ProtocolDeps) {
    this.dir = d.paths.daemonDir('smbd');
    this.samba = new Samba(d.exec, join(this.dir, 'smb.conf'));
    d.supervisor.define({
      name: 'smbd',
      dir: this.dir,
      prepare: async () => {
        await this.writeConfig();
        // A fresh node, or a passdb lost with the data directory: Cairn users' hashes again.
        await this.cairnUserAccounts();
        return { argv: smbdArgv(join(this.dir, 'smb.conf')) };
      },
      ready: () => tcpOpen(d.net.smb.address, d.net.smb.port),
    });
  }

  settle(id: string, input: ExportInput, _s: Settings, problems: FieldProblem[], before?: ExportRecord) {
    const old = new Map((before?.options.users ?? []).map((u) => [u.name, u]));
    const given: { name: string; password?: string }[] =
      input.users ?? (before?.options.users ?? []).map((u) => ({ name: u.name }));
    given.forEach((u, i) => {
      if (!SMB_USER_RE.test(u.name))
        problems.push({
          field: `users.${i}.name`,
          code: 'PATTERN',
          message: 'lower-case letters, digits, _ and -',
        });
      if (u.password === undefined && !old.has(u.name))
        problems.push({
          field: `users.${i}.password`,
          code: 'REQUIRED',
          message: 'a new user needs a password',
        });
      if (u.password !== undefined && u.password.length < 8)
        problems.push({ field: `users.${i}.password`, code: 'TOO_SHORT', message: 'at least 8 characters' });
    });
    if (new Set(given.map((u) => u.name)).size !== given.length)
      problems.push({ field: 'users', code: 'DUPLICATE', message: 'a user is listed twice' });
    // Without share users and guests, the share admits Cairn users (see writeConfig).
    const guest = input.guest ?? before?.options.guest ?? false;
    // A new password gets a new account (a new index), so a failed update can fall back on the old one.
    let next = Math.max(-1, ...[...old.values()].map((u) => accountIndex(u.account))) + 1;
    const users: StoredUser[] = given.map((u) => {
      const kept = old.get(u.name);
      if (kept && u.password === undefined) return { name: kept.name, account: kept.account };
      return {
        name: u.name,
        account: smbAccountName(id, next++),
        secret: this.d.box.seal(u.password ?? ''),
      };
    });
    return { guest, users };
  }

  async place(_id: string, vol: { id: string; name: string }, input: ExportInput) {
    let name = input.name ?? vol.name;
    if (!EXPORT_NAME_RE.test(name)) name = `vol-${vol.id.slice(0, 8)}`;
    const { advertise, smb } = this.d.net;
    return { name, slot: 'none' as const, uri: () => exportUri('smb', advertise, smb.port, name) };
  }
  nameTaken(name: string) {
    return new CairnError('EXPORT_NAME_TAKEN', { protocol: 'smb', name });
  }

  private async writeConfig(exclude?: string): Promise<number> {
    const live = (await this.d.exports.live('smb')).filter((e) => e.id !== exclude);
    const hosts = new Map(
      (await this.d.hosts.many([...new Set(live.flatMap((e) => e.hosts))])).map((h) => [h.id, h]),
    );
    // Cairn users: any role that reads exports may connect, one that changes them may also write.
    const cairn = (await this.d.smbUsers.admitted())
      .filter((u) => allows(u.permissions, 'export.read'))
      .map((u) => ({
        name: u.name,
        account: smbUserAccount(u.userId),
        write: allows(u.permissions, 'export.write'),
      }));
    const shares = [];
    for (const e of live) {
      const v = await volumeOf(this.d, e).catch(() => null);
      if (!v) continue;
      const own = (e.options.users ?? []).map((u) => u.account);
      const forCairn = own.length === 0 && !e.options.guest;
      shares.push({
        name: e.exportName,
        path: v.path,
        readOnly: e.readOnly,
        guest: e.options.guest ?? false,
        accounts: forCairn ? cairn.map((u) => u.account) : own,
        readers: forCairn ? cairn.filter((u) => !u.write).map((u) => u.account) : [],
        allowed: clientAddresses(
          e.allowed,
          e.hosts.flatMap((h) => hosts.get(h) ?? []),
        ),
      });
    }
    await this.samba.ensureDirs(this.dir);
    // Share users first: Samba's map stops at the first line that names the login, so a share user
    // shadows a Cairn user of the same name.
    await this.samba.writeFileAtomic(
      join(this.dir, 'usermap'),
      usernameMap([...live.flatMap((e) => e.options.users ?? []), ...cairn]),
    );
    const { smb } = this.d.net;
    await this.samba.writeFileAtomic(
      join(this.dir, 'smb.conf'),
      smbConf({ dir: this.dir, port: smb.port, address: smb.address }, shares),
    );
    return shares.length;
  }

  private async sync(log?: JobLog, exclude?: string): Promise<void> {
    const n = await this.writeConfig(exclude);
    const sup = this.d.supervisor;
    if (n === 0) await sup.stop('smbd');
    else if (sup.isRunning('smbd')) await this.samba.reload(log);
    else await sup.ensure('smbd');
  }

  /** The accounts of users whose passwords are still sealed in the row; then the row forgets them. */
  private async accounts(e: ExportRecord, log?: JobLog): Promise<void> {
    await this.samba.ensureDirs(this.dir);
    await this.writeConfig();
    for (const u of (e.options.users ?? []) as StoredUser[]) {
      if (!u.secret) continue;
      await this.samba.ensureAccount(u.account, log);
      await this.samba.setPassword(u.account, this.d.box.open(u.secret), log);
    }
    await this.d.exports.clearSecrets(e.id);
  }

  /** Unix accounts and passdb hashes of every Cairn user who may use SMB (idempotent). */
  private async cairnUserAccounts(log?: JobLog): Promise<void> {
    for (const u of await this.d.smbUsers.admitted()) {
      const account = smbUserAccount(u.userId);
      await this.samba.ensureAccount(account, log);
      await this.samba.importNtHash(account, this.d.box.open(u.ntHash), this.dir, log);
    }
  }

  /**
   * A Cairn user's SMB standing changed (users service): `ntHash` is the hash of a password just
   * set, null when the user may no longer use SMB (or is gone), undefined for any other change
   * (role, enabled). Kept sealed for every node; this node's passdb and smb.conf follow at once.
   */
  async cairnUserChanged(userId: string, ntHash: string | null | undefined): Promise<void> {
    if (ntHash) await this.d.smbUsers.setHash(userId, this.d.box.seal(ntHash));
    if (ntHash === null) await this.d.smbUsers.forget(userId);
    await this.samba.ensureDirs(this.dir);
    await this.writeConfig();
    if (ntHash === null) await this.samba.removeAccount(smbUserAccount(userId));
    else await this.cairnUserAccounts();
    if (this.d.supervisor.isRunning('smbd')) await this.samba.reload();
  }

  private async dropAccounts(users: readonly SmbShareUser[], log?: JobLog): Promise<void> {
    for (const u of users) await this.samba.removeAccount(u.account, log);
  }

  async create(e: ExportRecord, log?: JobLog): Promise<void> {
    await this.accounts(e, log);
    await this.sync(log);
  }
  async update(before: ExportRecord, after: ExportRecord, log?: JobLog): Promise<void> {
    // Accounts only `before` has stay until settleUpdate: a failed update goes back to them.
    void before;
    await this.accounts(after, log);
    await this.sync(log);
  }
  async settleUpdate(before: ExportRecord, after: ExportRecord, log?: JobLog): Promise<void> {
    const keep = new Set((after.options.users ?? []).map((u) => u.account));
    await this.dropAccounts(
      (before.options.users ?? []).filter((u) => !keep.has(u.account)),
      log,
    );
  }
  async remove(e: ExportRecord, log?: JobLog): Promise<void> {
    await this.sync(log, e.id);
    await this.dropAccounts(e.options.users ?? [], log);
  }
  async reconcile(): Promise<void> {
    if ((await this.d.exports.countLive('smb')) > 0) await this.sync();
  }
  async hostChanged(): Promise<void> {
    await this.sync();
  }
  async sessions(): Promise<number> {
    return 0;
  }

  /** `smbstatus`: tree connects, client machines and open files per share. */
  async figures(exports: readonly ExportRecord[]): Promise<Figures> {
    const out: Figures = new Map();
    const up = this.d.supervisor.isRunning('smbd');
    const status =
      exports.length && up ? await this.samba.status().catch(warnNoAnswer(this.d.logger, 'smbstatus')) : null;
    for (const e of exports) {
      const use = status?.shares.get(e.exportName);
      const path = status ? (await volumeOf(this.d, e).catch(() => null))?.path : undefined;
      out.set(
        e.id,
        unknownCounts(up, status) ?? {
          daemon_up: up ? 1 : 0,
          connections: use?.connections ?? 0,
          clients: use?.machines.length ?? 0,
          open_files: (path && status?.opensByPath.get(path)) || 0,
        },
      );
    }
    return out;
  }
}
