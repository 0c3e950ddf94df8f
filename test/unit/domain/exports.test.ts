// Export and host rules: IQNs, CHAP secrets, addresses, URIs, derived names and generated configs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkChap,
  defaultTargetIqn,
  exportUri,
  isAddressOrNetwork,
  isIqn,
  smbAccountName,
} from '../../../src/domain/exports.js';
import type { FieldProblem } from '../../../src/domain/errors.js';
import { ganeshaConf } from '../../../src/system/ganesha/config.js';
import { smbConf, usernameMap } from '../../../src/system/samba/config.js';
import { nbdkitArgv } from '../../../src/system/nbdkit/argv.js';
import { ISCSI_TARGET_PARAMS, TGTD_ENV, targetParamArgv } from '../../../src/system/tgt/argv.js';
import { SecretBox } from '../../../src/services/hosts/secrets.js';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test('IQNs: iqn. and eui. forms, nothing else', () => {
  assert.ok(isIqn('iqn.2024-01.io.cairn:vm.abc'));
  assert.ok(isIqn('iqn.1994-05.com.redhat:5f2e1c'));
  assert.ok(isIqn('eui.0123456789ABCDEF'));
  for (const bad of ['iqn.24-01.io.x', 'IQN.2024-01.io.x', 'iqn.2024-01.io x', 'x', 'iqn.2024-01.io.x:a;b'])
    assert.equal(isIqn(bad), false, bad);
});

test('CHAP secrets must be 12 to 16 printable characters; mutual needs both halves', () => {
  const p = (c: Parameters<typeof checkChap>[0]) => {
    const problems: FieldProblem[] = [];
    checkChap(c, 'chap', problems);
    return problems.map((x) => `${x.field}:${x.code}`);
  };
  assert.deepEqual(p({ user: 'u', secret: 'Secr3tPassw0rd16' }), []);
  assert.deepEqual(p({ user: 'u', secret: 'short' }), ['chap.secret:CHAP_SECRET_LENGTH']);
  assert.deepEqual(p({ user: 'u', secret: 'x'.repeat(17) }), ['chap.secret:CHAP_SECRET_LENGTH']);
  assert.deepEqual(p({ user: 'u', secret: 'has a space!' }), ['chap.secret:CHAP_SECRET_CHARACTERS']);
  assert.deepEqual(p({ user: 'u', secret: 'Secr3tPassw0rd16', mutual_user: 'm' }), [
    'chap.mutual_user:MUTUAL_INCOMPLETE',
  ]);
  assert.deepEqual(
    p({ user: 'u', secret: 'Secr3tPassw0rd16', mutual_user: 'm', mutual_secret: 'Secr3tPassw0rd16' }),
    ['chap.mutual_secret:SAME_AS_SECRET'],
  );
});

test('addresses and networks', () => {
  for (const ok of ['127.0.0.1', '192.0.2.0/24', '::1', 'fd00::/8']) assert.ok(isAddressOrNetwork(ok), ok);
  for (const bad of ['host.example', '10.0.0.0/33', '1.2.3.4/8/9', '', '10.0.0.1 ; rm'])
    assert.equal(isAddressOrNetwork(bad), false, bad);
});

test('URIs a standard client accepts', () => {
  assert.equal(
    exportUri('iscsi', '10.0.0.5', 3260, 'iqn.2024-01.io.cairn:x.y', 1),
    'iscsi://10.0.0.5:3260/iqn.2024-01.io.cairn:x.y/1',
  );
  assert.equal(exportUri('nfs', '10.0.0.5', 2049, '/srv/e1'), 'nfs://10.0.0.5/srv/e1');
  assert.equal(exportUri('nfs', '10.0.0.5', 2050, '/srv/e1'), 'nfs://10.0.0.5/srv/e1?nfsport=2050');
  assert.equal(exportUri('smb', '10.0.0.5', 445, 'data'), 'smb://10.0.0.5/data');
  assert.equal(exportUri('nbd', '::1', 10809, 'disk'), 'nbd://[::1]:10809/disk');
});

test('names derived from ids', () => {
  assert.equal(defaultTargetIqn('My Box!', 'AB12-cd'), 'iqn.2024-01.io.cairn:my-box.ab12-cd');
  assert.ok(isIqn(defaultTargetIqn('vm', '0f8e3c1e-1111-2222-3333-444455556666')));
  const acct = smbAccountName('0f8e3c1e-1111-2222-3333-444455556666', 2);
  assert.equal(acct, 'cairn-0f8e3c1e1111-2');
  assert.ok(acct.length <= 32);
});

test('ganesha.conf: one EXPORT per export, v3 only when asked, clients and squash', () => {
  const conf = ganeshaConf(
    { bindAddress: '127.0.0.1', nfsPort: 2050, mountPort: 2051, recoveryDir: '/d/rec', v3: true },
    [
      {
        exportId: 1,
        path: '/d/exports/e1',
        readOnly: true,
        rootSquash: true,
        versions: [3, 4],
        clients: ['10.0.0.0/8'],
      },
    ],
  );
  assert.match(conf, /Protocols = 3, 4;/);
  assert.match(conf, /NFS_Port = 2050;/);
  assert.match(conf, /Path = "\/d\/exports\/e1";/);
  assert.match(conf, /Squash = Root_Squash;/);
  assert.match(conf, /CLIENT \{ Clients = 10\.0\.0\.0\/8; Access_Type = RO; \}/);
  assert.match(conf, /Access_Type = None;/, 'nobody else gets in');
});

test('smb.conf: hosts allow comes with hosts deny = ALL; guests off unless asked', () => {
  const conf = smbConf({ dir: '/d/smbd', port: 4450, address: '127.0.0.1' }, [
    {
      name: 'data',
      path: '/p/v',
      readOnly: false,
      guest: false,
      accounts: ['cairn-a-0'],
      allowed: ['10.0.0.0/8'],
    },
  ]);
  assert.match(conf, /map to guest = never/);
  assert.match(conf, /hosts allow = 10\.0\.0\.0\/8\n\s+hosts deny = ALL/);
  assert.match(conf, /valid users = cairn-a-0/);
  assert.match(conf, /guest ok = no/);
  assert.match(conf, /vfs objects = btrfs/);
  assert.equal(usernameMap([{ account: 'cairn-a-0', name: 'alice' }]), 'cairn-a-0 = alice\n');
});

test('nbdkit argv: strict export name, read-only, address filter', () => {
  const argv = nbdkitArgv({
    address: '0.0.0.0',
    port: 10809,
    name: 'd1',
    file: '/p/lun.img',
    readOnly: true,
    allowed: ['10.0.0.0/8'],
    tlsDir: null,
  });
  assert.ok(argv.includes('-r'));
  assert.ok(argv.includes('exportname-strict=true'));
  assert.ok(argv.includes('allow=10.0.0.0/8'));
  assert.ok(argv.includes('deny=all'));
  assert.ok(!argv.some((a) => a.startsWith('--tls')));
  assert.ok(!argv.includes('cache=none'), 'the page cache serves reads and absorbs writes');
});

test('tgt: each target offers large bursts and unsolicited data; tgtd keeps its buffers', () => {
  const params = new Map(ISCSI_TARGET_PARAMS);
  assert.equal(params.get('MaxRecvDataSegmentLength'), '262144');
  assert.equal(params.get('MaxBurstLength'), '1048576');
  assert.equal(params.get('InitialR2T'), 'No');
  assert.deepEqual(targetParamArgv(3, 'InitialR2T', 'No').slice(6), [
    'update',
    '--mode',
    'target',
    '--tid',
    '3',
    '--name',
    'InitialR2T',
    '--value',
    'No',
  ]);
  assert.match(TGTD_ENV.GLIBC_TUNABLES ?? '', /mmap_threshold=33554432/);
});

test('sealed secrets open again with the same key file, which is 0600', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-box-'));
  try {
    const sealed = new SecretBox(dir).seal('Secr3tPassw0rd16');
    assert.doesNotMatch(sealed, /Secr3t/);
    assert.equal(new SecretBox(dir).open(sealed), 'Secr3tPassw0rd16');
    assert.equal(statSync(join(dir, 'secrets.key')).mode & 0o777, 0o600);
    const [v, iv, , body] = sealed.split(':');
    const forged = [v, iv, Buffer.alloc(16).toString('base64'), body].join(':');
    assert.throws(() => new SecretBox(dir).open(forged), 'a forged tag is refused');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
