// The built `cairn` CLI (bin/cairn) against a real in-process Cairn: what a new user types, with
// its output read as they would read it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { chmodSync, writeFileSync } from 'node:fs';
import { startCairn, freePort, ADMIN_PASSWORD, REPO, type InProcessCairn } from '../support/cairn.js';
import { client } from './exports-support.js';
import { realPartsSkip, tempDir, type T } from '../support/real.js';

const skip = realPartsSkip();

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs bin/cairn against `c` as admin (no config file: HOME is empty). With closeStdout the reader
 * of its output goes away at once, as `cairn … | head -1` does once it has its line.
 */
function cairn(
  t: T,
  c: InProcessCairn,
  args: string[],
  o: { closeStdout?: boolean; env?: Record<string, string> } = {},
): Promise<Run> {
  const child = spawn(join(REPO, 'bin/cairn'), args, {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: tempDir(t, 'cairn-home-'),
      CAIRN_URL: c.url,
      CAIRN_PASSWORD: ADMIN_PASSWORD,
      ...o.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  if (o.closeStdout) child.stdout.destroy();
  else child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Runs a command that must succeed; its stdout. */
async function ok(t: T, c: InProcessCairn, args: string[], env?: Record<string, string>): Promise<string> {
  const r = await cairn(t, c, args, { env });
  assert.equal(r.code, 0, `cairn ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Runs a command with --json; the API's answer. */
async function json<V>(t: T, c: InProcessCairn, args: string[]): Promise<V> {
  return JSON.parse(await ok(t, c, ['--json', ...args])) as V;
}

const GiB = 1024 ** 3;
type Item = { id: string; name: string; size: number };

test(
  'sizes with units, objects by name, sizes for people: disks, a raid1 pool, volumes and snapshots',
  { skip },
  async (t) => {
    const c = await startCairn(t);
    // Every size flag and argument takes units.
    await ok(t, c, ['disks', 'create', '2G', '--name', 'd1']);
    await ok(t, c, ['disks', 'create', '2GiB', '--name', 'd2']);
    const disks = await json<{ items: Item[] }>(t, c, ['disks', 'list']);
    assert.deepEqual(
      disks.items.map((d) => [d.name, d.size]),
      [
        ['d1', 2 * GiB],
        ['d2', 2 * GiB],
      ],
    );
    // Disks and pools by name.
    await ok(t, c, ['pools', 'create', 'tank', '--disks', 'd1,d2', '--profile', 'raid1']);
    const pool = await json<Item>(t, c, ['pools', 'show', 'tank']);
    const listed = await json<{ items: Item[] }>(t, c, ['pools', 'list']);
    // One size: the list and the object agree, and it is the usable capacity.
    assert.equal(listed.items[0]!.size, pool.size);
    assert.equal(pool.size, 2 * GiB);
    // Tables print sizes for people; --json keeps bytes.
    const table = await ok(t, c, ['pools', 'list']);
    assert.match(table, /^ID\s+NAME\s+STATE\s+HEALTH\s+PROFILE\s+SIZE/m);
    assert.match(table, /tank\s+\S+\s+\S+\s+raid1\s+2\.0 GiB\s/);
    assert.doesNotMatch(table, /2147483648/);
    assert.match(await ok(t, c, ['disks', 'list']), /d1\s+virtual\s+\S+\s+2\.0 GiB/);

    await ok(t, c, ['volumes', 'create', 'data', '--pool', 'tank', '--size', '1G']);
    await ok(t, c, ['volumes', 'create', 'logs', '--pool', pool.id, '--size', '512MiB']);
    const data = await json<Item>(t, c, ['volumes', 'show', 'data']);
    assert.equal(data.size, GiB);
    assert.equal((await json<Item>(t, c, ['volumes', 'show', 'logs'])).size, 512 * 1024 ** 2);
    assert.match(await ok(t, c, ['volumes', 'show', 'data']), /^size\s+1\.0 GiB$/m);
    await ok(t, c, ['volumes', 'update', 'data', '--size', '1.5G']);
    assert.equal((await json<Item>(t, c, ['volumes', 'show', data.id])).size, 1.5 * GiB);

    // A snapshot's name is unique within its volume: by name alone two match; within a volume, one.
    await ok(t, c, ['snapshots', 'create', 'data', '--name', 'before']);
    await ok(t, c, ['snapshots', 'create', 'logs', '--name', 'before']);
    const ambiguous = await cairn(t, c, ['snapshots', 'show', 'before']);
    assert.equal(ambiguous.code, 1);
    assert.match(ambiguous.stderr, /2 snapshots are named "before": give the id/);
    await ok(t, c, ['volumes', 'rollback', 'data', 'before']);

    // Unknown names and bad sizes are clear errors, not stack traces.
    const unknown = await cairn(t, c, ['volumes', 'create', 'x', '--pool', 'nope', '--size', '1G']);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr, 'cairn: no pool is named "nope" (and it is not an id)\n');
    const badSize = await cairn(t, c, ['volumes', 'create', 'x', '--pool', 'tank', '--size', '1GB']);
    assert.equal(badSize.code, 2);
    assert.match(badSize.stderr, /not a size: "1GB"/);

    await ok(t, c, ['volumes', 'delete', 'logs', '--cascade']);
    await ok(t, c, ['pools', 'delete', 'tank', '--force']);
    await ok(t, c, ['disks', 'delete', 'd1']);
    await ok(t, c, ['disks', 'delete', 'd2']);
    assert.equal((await json<{ total: number }>(t, c, ['disks', 'list'])).total, 0);
  },
);

test(
  'an SMB share from the CLI: --smb-user (password from the environment) and --guest, then changed in place',
  { skip },
  async (t) => {
    const smbPort = await freePort();
    Object.assign(process.env, { CAIRN_SMB_PORT: String(smbPort), CAIRN_SMB_ADDRESS: '127.0.0.1' });
    const c = await startCairn(t);
    await ok(t, c, ['disks', 'create', '1G', '--name', 's1']);
    await ok(t, c, ['pools', 'create', 'p', '--disks', 's1', '--profile', 'single']);
    await ok(t, c, ['volumes', 'create', 'files', '--pool', 'p', '--size', '256M']);

    // Without share users or guests the share is made: Cairn's own users reach it.
    await ok(t, c, ['exports', 'create', 'files', 'smb', '--name', 'staff']);
    const noPassword = await cairn(t, c, ['exports', 'create', 'files', 'smb', '--smb-user', 'alice']);
    assert.match(noPassword.stderr, /set CAIRN_SMB_PASSWORD_ALICE \(or CAIRN_SMB_PASSWORD\)/);

    const pw = 'Alice-passw0rd';
    await ok(t, c, ['exports', 'create', 'files', 'smb', '--name', 'files', '--smb-user', 'alice'], {
      CAIRN_SMB_PASSWORD_ALICE: pw,
    });
    await ok(t, c, ['exports', 'create', 'files', 'smb', '--name', 'pub', '--guest', '--read-only']);
    const shares = await json<{ items: { id: string; name: string; options: Record<string, unknown> }[] }>(
      t,
      c,
      ['exports', 'list'],
    );
    assert.deepEqual(shares.items.map((e) => [e.name, e.options.guest]).sort(), [
      ['files', false],
      ['pub', true],
      ['staff', false],
    ]);
    assert.doesNotMatch(JSON.stringify(shares), new RegExp(pw));

    // Real clients: alice with her password writes; a guest reads the other share without one (Samba
    // serves guests as nobody, who must reach the volume: the data directory not 0700; scripts/test.sh
    // makes the test root 0755 too).
    chmodSync(c.dataDir, 0o755);
    const dir = tempDir(t, 'cairn-smb-');
    const cred = join(dir, 'alice');
    writeFileSync(cred, `username = alice\npassword = ${pw}\n`, { mode: 0o600 });
    writeFileSync(join(dir, 'hello.txt'), 'hello\n');
    const smb = (share: string, auth: string[], cmd: string) =>
      client(['smbclient', '-p', String(smbPort), `//127.0.0.1/${share}`, ...auth, '-c', cmd]);
    const put = smb('files', ['-A', cred], `lcd ${dir}; put hello.txt`);
    assert.equal(put.code, 0, put.out);
    const guest = smb('pub', ['-N'], 'ls');
    assert.equal(guest.code, 0, guest.out);
    assert.match(guest.out, /hello\.txt/);

    // In place: bob joins with his password from the environment; alice keeps hers.
    await ok(t, c, ['exports', 'update', 'files', '--smb-user', 'alice', '--smb-user', 'bob'], {
      CAIRN_SMB_PASSWORD_BOB: 'Bob-passw0rd1',
    });
    const bobCred = join(dir, 'bob');
    writeFileSync(bobCred, 'username = bob\npassword = Bob-passw0rd1\n', { mode: 0o600 });
    const bob = smb('files', ['-A', bobCred], 'ls');
    assert.equal(bob.code, 0, bob.out);
    assert.match(bob.out, /hello\.txt/);
    const alice = smb('files', ['-A', cred], 'ls');
    assert.equal(alice.code, 0, alice.out);
    await ok(t, c, ['exports', 'delete', 'pub']);
    await ok(t, c, ['exports', 'delete', 'staff']);
    assert.equal((await json<{ total: number }>(t, c, ['exports', 'list'])).total, 1);
  },
);

test('a closed pipe (cairn … | head -1) ends the CLI quietly, without a stack trace', { skip }, async (t) => {
  const c = await startCairn(t);
  // The pipe is closed before the CLI answers: its first write meets EPIPE.
  for (const args of [['users', 'list'], ['--json', 'users', 'list'], ['system'], ['--help']]) {
    const r = await cairn(t, c, args, { closeStdout: true });
    assert.equal(r.stderr, '', `cairn ${args.join(' ')} wrote to stderr: ${r.stderr}`);
    assert.equal(r.code, 0, `cairn ${args.join(' ')}`);
  }
});
