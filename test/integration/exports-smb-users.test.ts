// Cairn users on SMB with their own passwords: a share without share users or guests admits the
// Cairn users SMB is enabled for (read/write for roles that change exports, read for those that
// only read them); a password change reaches Samba at once; the plaintext is nowhere on disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportRig, client, sha256, MiB, type ExportBody } from './exports-support.js';
import { realPartsSkip } from '../support/real.js';

const skip = realPartsSkip();
const CAROL = 'Carol-passw0rd-1';
const CAROL2 = 'Carol-passw0rd-2';
const VIC = 'Vic-passw0rd-1';

/** Every file under a directory (no pool images there: the rig keeps its pool elsewhere). */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    const s = statSync(p, { throwIfNoEntry: false });
    if (!s) return [];
    return s.isDirectory() ? filesUnder(p) : s.isFile() && s.size < 64 * MiB ? [p] : [];
  });

test(
  'SMB: Cairn users reach a share with their own passwords; bytes checked with smbclient',
  { skip },
  async (t) => {
    const rig = await exportRig(t);
    const c = rig.cairn;
    const user = async (name: string, password: string, role: string, smb: boolean) =>
      (await c.admin.request<{ id: string }>('POST', 'users', { name, password, role, smb_enabled: smb }))
        .body;
    const carol = await user('carol', CAROL, 'operator', true);
    const vic = await user('vic', VIC, 'viewer', true);
    await user('nosmb', 'Nosmb-passw0rd-1', 'operator', false);

    // 1. a share with no share users and no guests is allowed: it is the Cairn users' share
    const team = (
      await c.admin.request<ExportBody>('POST', `volumes/${rig.fs.id}/exports?wait=60`, {
        protocol: 'smb',
        name: 'team',
      })
    ).body;
    assert.equal(team.state, 'active', JSON.stringify(team));
    const creds = (name: string, pw: string) => {
      const f = join(rig.dir, `creds-${name}-${pw.length}-${pw.at(-1)}`);
      writeFileSync(f, `username = ${name}\npassword = ${pw}\n`, { mode: 0o600 });
      return f;
    };
    const smb = (share: string, name: string, pw: string, cmd: string) =>
      client([
        'smbclient',
        '-p',
        String(rig.ports.smb),
        `//127.0.0.1/${share}`,
        '-A',
        creds(name, pw),
        '-c',
        cmd,
      ]);

    // 2. an operator writes and reads back the same bytes
    const src = rig.randomFile('team.bin', 8 * MiB);
    const back = join(rig.dir, 'team.back');
    const rw = smb('team', 'carol', CAROL, `put ${src.path} team.bin; get team.bin ${back}`);
    assert.equal(rw.code, 0, rw.out);
    assert.equal(sha256(readFileSync(back)), src.sum);
    assert.equal(sha256(readFileSync(join(rig.fs.path, 'team.bin'))), src.sum);

    // 3. a viewer reads but may not write; a user without SMB, or a wrong password, is refused
    const ro = smb('team', 'vic', VIC, `get team.bin ${back}.vic`);
    assert.equal(ro.code, 0, ro.out);
    assert.equal(sha256(readFileSync(`${back}.vic`)), src.sum);
    assert.match(smb('team', 'vic', VIC, `put ${src.path} vic.bin`).out, /ACCESS_DENIED/);
    assert.match(smb('team', 'nosmb', 'Nosmb-passw0rd-1', 'ls').out, /LOGON_FAILURE|ACCESS_DENIED/);
    assert.match(smb('team', 'carol', 'Wrong-passw0rd-9', 'ls').out, /LOGON_FAILURE/);

    // 4. a password change reaches Samba at once: the old one is refused, the new one works
    await c.admin.request('PATCH', `users/${carol.id}`, { password: CAROL2 });
    assert.match(smb('team', 'carol', CAROL, 'ls').out, /LOGON_FAILURE/);
    const again = smb('team', 'carol', CAROL2, `get team.bin ${back}.2`);
    assert.equal(again.code, 0, again.out);
    assert.equal(sha256(readFileSync(`${back}.2`)), src.sum);

    // 5. a share with its own users does not admit Cairn users
    await c.admin.request('POST', `volumes/${rig.fs.id}/exports?wait=60`, {
      protocol: 'smb',
      name: 'own',
      users: [{ name: 'dave', password: 'Dave-passw0rd-1' }],
    });
    assert.match(smb('own', 'carol', CAROL2, 'ls').out, /ACCESS_DENIED|LOGON_FAILURE|BAD_NETWORK_NAME/);
    assert.equal(smb('own', 'dave', 'Dave-passw0rd-1', 'ls').code, 0);

    // 6. no plaintext password in any file of the data directory (database, smb.conf, passdb, logs)
    for (const f of filesUnder(c.dataDir)) {
      const text = readFileSync(f).toString('latin1');
      for (const pw of [CAROL, CAROL2, VIC])
        assert.ok(
          !text.includes(pw) && !text.includes(Buffer.from(pw, 'utf16le').toString('latin1')),
          `${pw} in ${f}`,
        );
    }

    // 7. SMB switched off for carol: refused from then on
    await c.admin.request('PATCH', `users/${carol.id}`, { smb_enabled: false });
    assert.match(smb('team', 'carol', CAROL2, 'ls').out, /LOGON_FAILURE|ACCESS_DENIED/);
    const account = (id: string) => new RegExp(`^cairn-u-${id.replace(/-/g, '').slice(0, 12)}:`, 'm');
    assert.doesNotMatch(readFileSync('/etc/passwd', 'utf8'), account(carol.id));

    // 8. a deleted user's account goes with them; the shares go, their share accounts with them
    assert.equal((await c.admin.request('DELETE', `users/${vic.id}`)).status, 204);
    assert.doesNotMatch(readFileSync('/etc/passwd', 'utf8'), account(vic.id));
    const all = await c.admin.get<{ items: { id: string }[] }>('exports');
    for (const e of all.items)
      assert.equal((await c.admin.request('DELETE', `exports/${e.id}?wait=60`)).status, 204);
  },
);
