// The Samba adapter: Unix accounts behind SMB users (names derived from ids), passwords into
// Samba's passdb through stdin (never argv, never logs), config writes and live reload.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { run, type Exec } from '../exec.js';
import type { JobLog } from '../../domain/job-log.js';
import { CairnError } from '../../domain/errors.js';

export * from './config.js';
export * from './parse.js';
import { parseSmbStatusJson, type SmbStatus } from './parse.js';

/** Share user accounts (`cairn-<export id>-<n>`) and Cairn users' (`cairn-u-<user id>`), from ids. */
const ACCOUNT_RE = /^cairn-([a-z0-9]{1,12}-\d{1,3}|u-[a-z0-9]{1,12})$/;
const NT_HASH_RE = /^[0-9A-F]{32}$/;
const account = (name: string) => {
  if (!ACCOUNT_RE.test(name)) throw new CairnError('INTERNAL', { requestId: `bad account name ${name}` });
  return name;
};

export class Samba {
  constructor(
    private readonly exec: Exec,
    private readonly conf: string,
  ) {}

  async ensureDirs(dir: string): Promise<void> {
    for (const d of ['private', 'lock', 'state', 'cache', 'run', 'ncalrpc'])
      await mkdir(`${dir}/${d}`, { recursive: true, mode: 0o700 });
  }

  async writeFileAtomic(path: string, text: string): Promise<void> {
    await writeFile(`${path}.tmp`, text, { mode: 0o600 });
    await rename(`${path}.tmp`, path);
  }

  /** Creates the Unix account (no home, no shell) unless it exists. */
  async ensureAccount(name: string, log?: JobLog): Promise<void> {
    const r = await this.exec({ argv: ['id', '-u', account(name)], timeoutMs: 10_000 });
    if (r.exitCode === 0) return;
    await run(this.exec, {
      argv: [
        'useradd',
        '-M',
        '-d',
        '/nonexistent',
        '-s',
        '/usr/sbin/nologin',
        '-c',
        'cairn smb user',
        account(name),
      ],
      timeoutMs: 30_000,
      log,
    });
  }

  /** Sets the SMB password (stdin, twice, as smbpasswd -s expects). */
  async setPassword(name: string, password: string, log?: JobLog): Promise<void> {
    await run(this.exec, {
      argv: ['smbpasswd', '-c', this.conf, '-a', '-s', account(name)],
      stdin: `${password}\n${password}\n`,
      timeoutMs: 30_000,
      log,
    });
  }

  /**
   * Gives Samba's passdb an NT hash (computed by Cairn) for an account: `pdbedit` imports an
   * smbpasswd-format file, written 0600 in the private directory and removed at once (pdbedit
   * cannot read a pipe). Neither argv nor the log carry the hash, and no plaintext is involved.
   */
  async importNtHash(name: string, hash: string, dir: string, log?: JobLog): Promise<void> {
    if (!NT_HASH_RE.test(hash)) throw new CairnError('INTERNAL', { requestId: 'not an NT hash' });
    const uid = (
      await run(this.exec, { argv: ['id', '-u', account(name)], timeoutMs: 10_000 })
    ).stdout.trim();
    const file = `${dir}/private/import-${randomBytes(8).toString('hex')}`;
    // Last change now (0 would mean "must change at next logon"); X: the password does not expire.
    const lct = Math.floor(Date.now() / 1000)
      .toString(16)
      .toUpperCase()
      .padStart(8, '0');
    await writeFile(file, `${account(name)}:${uid}:${'X'.repeat(32)}:${hash}:[UX         ]:LCT-${lct}:\n`, {
      mode: 0o600,
      flag: 'wx',
    });
    try {
      await run(this.exec, {
        argv: [
          'pdbedit',
          '-s',
          this.conf,
          '-i',
          `smbpasswd:${file}`,
          '-e',
          `tdbsam:${dir}/private/passdb.tdb`,
        ],
        timeoutMs: 30_000,
        log,
      });
    } finally {
      await rm(file, { force: true });
    }
  }

  /** Removes the passdb entry and the Unix account (idempotent). */
  async removeAccount(name: string, log?: JobLog): Promise<void> {
    await this.exec({ argv: ['smbpasswd', '-c', this.conf, '-x', account(name)], timeoutMs: 30_000, log });
    const r = await this.exec({ argv: ['id', '-u', account(name)], timeoutMs: 10_000 });
    if (r.exitCode === 0) await run(this.exec, { argv: ['userdel', account(name)], timeoutMs: 30_000, log });
  }

  /** Who uses the shares now (`smbstatus --json`, read from smbd's lock directory). */
  async status(): Promise<SmbStatus> {
    const r = await run(this.exec, { argv: ['smbstatus', '-s', this.conf, '--json'], timeoutMs: 15_000 });
    return parseSmbStatusJson(r.stdout);
  }

  /** Pushes a changed smb.conf to the running smbd and its existing connections. */
  async reload(log?: JobLog): Promise<void> {
    await run(this.exec, {
      argv: ['smbcontrol', '-s', this.conf, 'smbd', 'reload-config'],
      timeoutMs: 30_000,
      log,
    });
  }
}
