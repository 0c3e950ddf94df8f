// iSCSI (tgt) and NBD (nbdkit) exports with real clients: libiscsi and qemu-img with the right IQN
// and CHAP write and read back bytes; the wrong IQN, a wrong secret and an unmapped host are
// refused; a part of iscsi-test-cu runs; nbdcopy round trip and read-only; killing each daemon
// brings it back, configured, and a client works again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportRig, client, service, sha256, MiB, type ExportBody } from './exports-support.js';
import { realPartsSkip, waitFor } from '../support/real.js';
import { expectError } from '../support/api.js';
import { testStores } from '../support/stores.js';

const skip = realPartsSkip();
const IQN_A = 'iqn.2024-01.io.cairn.test:client-a';
const IQN_B = 'iqn.2024-01.io.cairn.test:client-b';
const SECRET = 'Secr3tPassw0rd16';

for (const store of testStores())
  test(
    `${store}: iSCSI export with hosts, ACL and CHAP, checked with libiscsi and qemu-img`,
    { skip },
    async (t) => {
      const rig = await exportRig(t, { store, lunBytes: 128 * MiB });
      const c = rig.cairn;
      // 1. hosts: bad CHAP secrets are refused, secrets never come back
      await expectError(
        c.admin.request('POST', 'hosts', {
          name: 'bad',
          iqns: [IQN_A],
          chap: { user: 'u', secret: 'short' },
        }),
        400,
        'VALIDATION_FAILED',
      );
      await expectError(
        c.admin.request('POST', 'hosts', { name: 'bad2', iqns: ['not-an-iqn'] }),
        400,
        'VALIDATION_FAILED',
      );
      const a = (
        await c.admin.request<{ id: string }>('POST', 'hosts', {
          name: 'a',
          iqns: [IQN_A],
          chap: { user: 'usera', secret: SECRET },
        })
      ).body;
      const b = (await c.admin.request<{ id: string }>('POST', 'hosts', { name: 'b', iqns: [IQN_B] })).body;
      assert.doesNotMatch(JSON.stringify(await c.admin.get(`hosts/${a.id}`)), new RegExp(SECRET));
      // an IQN may belong to several hosts (tested with a login in hosts-initiators)
      assert.equal((await c.admin.request('POST', 'hosts', { name: 'a2', iqns: [IQN_A] })).status, 201);

      // 2. wrong volume type and unknown hosts are refused before any job
      await expectError(
        c.admin.request('POST', `volumes/${rig.lun.id}/exports`, { protocol: 'nfs', allowed: ['127.0.0.1'] }),
        422,
        'EXPORT_TYPE_MISMATCH',
      );
      await expectError(
        c.admin.request('POST', `volumes/${rig.lun.id}/exports`, { protocol: 'iscsi', hosts: ['nope'] }),
        400,
        'VALIDATION_FAILED',
      );
      await expectError(
        c.admin.request('POST', `volumes/${rig.lun.id}/exports`, {
          protocol: 'iscsi',
          hosts: [a.id],
          bogus: 1,
        }),
        400,
        'VALIDATION_FAILED',
      );
      assert.equal(
        (await service(c, 'tgtd'))?.state ?? 'stopped',
        'stopped',
        'no daemon before the first export',
      );

      // 3. export to host a
      const r = await c.admin.request<ExportBody>('POST', `volumes/${rig.lun.id}/exports?wait=60`, {
        protocol: 'iscsi',
        hosts: [a.id],
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const ex = r.body;
      assert.equal(ex.state, 'active');
      assert.match(
        ex.uri,
        new RegExp(`^iscsi://127\\.0\\.0\\.1:${rig.ports.iscsi}/iqn\\.2024-01\\.io\\.cairn:[a-z0-9.-]+/1$`),
      );
      const target = ex.name;
      const url = (user?: string) =>
        `iscsi://${user ? `${user}@` : ''}127.0.0.1:${rig.ports.iscsi}/${target}/1`;

      // 4. the right IQN and CHAP: inquiry works; qemu-img writes and reads back the same bytes
      const inq = client(['iscsi-inq', '-i', IQN_A, url('usera')], { LIBISCSI_CHAP_PASSWORD: SECRET });
      assert.equal(inq.code, 0, inq.out);
      assert.match(inq.out, /Vendor:CAIRN/);
      const src = rig.randomFile('src.raw', 16 * MiB);
      const secretFile = join(rig.dir, 'chap.secret');
      writeFileSync(secretFile, SECRET, { mode: 0o600 });
      const opts = (initiator: string) =>
        `driver=iscsi,transport=tcp,portal=127.0.0.1:${rig.ports.iscsi},target=${target},lun=1,user=usera,password-secret=sec0,initiator-name=${initiator}`;
      const obj = `secret,id=sec0,file=${secretFile}`;
      const w = client([
        'qemu-img',
        'convert',
        '-n',
        '-f',
        'raw',
        '--object',
        obj,
        '--target-image-opts',
        src.path,
        opts(IQN_A),
      ]);
      assert.equal(w.code, 0, w.out);
      const back = join(rig.dir, 'back.raw');
      const rd = client([
        'qemu-img',
        'dd',
        '--object',
        obj,
        '--image-opts',
        'bs=1M',
        'count=16',
        `if=${opts(IQN_A)}`,
        `of=${back}`,
        '-O',
        'raw',
      ]);
      assert.equal(rd.code, 0, rd.out);
      assert.equal(sha256(readFileSync(back)), src.sum);
      assert.equal(
        sha256(readFileSync(rig.lun.lunFile!).subarray(0, 16 * MiB)),
        src.sum,
        'bytes reached the lun file',
      );

      // 5. refused: wrong secret, unmapped host's IQN, no credentials
      const wrong = client(['iscsi-inq', '-i', IQN_A, url('usera')], {
        LIBISCSI_CHAP_PASSWORD: 'Wrong-secret-16c',
      });
      assert.notEqual(wrong.code, 0);
      assert.match(wrong.out, /Authentication failure/);
      const unmapped = client(['iscsi-inq', '-i', IQN_B, url('usera')], { LIBISCSI_CHAP_PASSWORD: SECRET });
      assert.notEqual(unmapped.code, 0);
      assert.match(unmapped.out, /Target not found|not found/i);
      const noChap = client(['iscsi-inq', '-i', IQN_A, url()]);
      assert.notEqual(noChap.code, 0);
      const ls = client(['iscsi-ls', '-i', IQN_B, `iscsi://127.0.0.1:${rig.ports.iscsi}`]);
      assert.doesNotMatch(
        ls.out,
        new RegExp(target.replace(/\./g, '\\.')),
        'discovery hides the target from an unmapped host',
      );

      // 6. a part of libiscsi's conformance suite
      const cu = client(
        [
          'iscsi-test-cu',
          '-i',
          IQN_A,
          '--test=SCSI.Inquiry,SCSI.ReadCapacity10,SCSI.ReadCapacity16,SCSI.Read10,SCSI.Write10,SCSI.TestUnitReady',
          url('usera'),
        ],
        { LIBISCSI_CHAP_PASSWORD: SECRET },
      );
      const passed = /Run Summary[\s\S]*?tests\s+\d+\s+(\d+)\s+(\d+)\s+(\d+)/.exec(cu.out);
      t.diagnostic(
        `iscsi-test-cu: ${passed ? `ran ${passed[1]}, passed ${passed[2]}, failed ${passed[3]}` : cu.out.slice(-600)}`,
      );
      assert.ok(passed && Number(passed[2]) > 0, cu.out.slice(-2000));

      // 7. kill tgtd: the supervisor restarts it and re-applies targets, ACL and CHAP from the database
      const before = await service(c, 'tgtd');
      assert.equal(before?.state, 'running');
      process.kill(before!.pid!, 'SIGKILL');
      const after = await waitFor(
        'tgtd restarted',
        async () => {
          const s = await service(c, 'tgtd');
          return s?.state === 'running' && s.pid !== before!.pid && s.restarts >= 1 ? s : undefined;
        },
        60_000,
      );
      assert.ok(after.last_error === null || typeof after.last_error === 'string');
      const again = client(['iscsi-inq', '-i', IQN_A, url('usera')], { LIBISCSI_CHAP_PASSWORD: SECRET });
      assert.equal(again.code, 0, again.out);
      const again2 = client(['iscsi-inq', '-i', IQN_B, url('usera')], { LIBISCSI_CHAP_PASSWORD: SECRET });
      assert.notEqual(again2.code, 0, 'the ACL came back too');
      const rd2 = client([
        'qemu-img',
        'dd',
        '--object',
        obj,
        '--image-opts',
        'bs=1M',
        'count=16',
        `if=${opts(IQN_A)}`,
        `of=${back}2`,
        '-O',
        'raw',
      ]);
      assert.equal(rd2.code, 0, rd2.out);
      assert.equal(sha256(readFileSync(`${back}2`)), src.sum);

      // 8. a mapped host cannot go without cascade; the export goes, and with it tgtd
      await expectError(c.admin.request('DELETE', `hosts/${a.id}`), 409, 'HOST_IN_USE');
      const list = await c.admin.get<{ items: ExportBody[]; total: number }>(`exports?protocol=iscsi`);
      assert.equal(list.total, 1);
      const del = await c.admin.request('DELETE', `exports/${ex.id}?wait=60&force=true`);
      assert.equal(del.status, 204);
      await expectError(c.admin.get(`exports/${ex.id}`), 404, 'EXPORT_NOT_FOUND');
      assert.equal((await service(c, 'tgtd'))?.state, 'stopped');
      await c.admin.request('DELETE', `hosts/${a.id}`);
      await c.admin.request('DELETE', `hosts/${b.id}`);
    },
  );

test(
  'NBD export: nbdcopy round trip, read-only refuses writes, nbdkit restarts after a kill',
  { skip },
  async (t) => {
    const rig = await exportRig(t, { lunBytes: 64 * MiB });
    const c = rig.cairn;
    const rw = (
      await c.admin.request<ExportBody>('POST', `volumes/${rig.lun.id}/exports?wait=60`, {
        protocol: 'nbd',
        name: 'disk1',
      })
    ).body;
    assert.equal(rw.state, 'active');
    assert.match(rw.uri, /^nbd:\/\/127\.0\.0\.1:\d+\/disk1$/);
    const src = rig.randomFile('src.raw', 64 * MiB);
    const put = client(['nbdcopy', '--flush', src.path, rw.uri]);
    assert.equal(put.code, 0, put.out);
    const back = join(rig.dir, 'back.raw');
    const get = client(['nbdcopy', rw.uri, back]);
    assert.equal(get.code, 0, get.out);
    assert.equal(sha256(readFileSync(back)), src.sum);
    const wrongName = client(['nbdinfo', rw.uri.replace(/disk1$/, 'other')]);
    assert.notEqual(wrongName.code, 0, 'unknown export names are refused');

    const ro = (
      await c.admin.request<ExportBody>('POST', `volumes/${rig.lun.id}/exports?wait=60`, {
        protocol: 'nbd',
        name: 'disk1ro',
        read_only: true,
      })
    ).body;
    const denied = client(['nbdcopy', src.path, ro.uri]);
    assert.notEqual(denied.code, 0, 'a read-only export refuses writes');
    const roBack = join(rig.dir, 'ro.raw');
    assert.equal(client(['nbdcopy', ro.uri, roBack]).code, 0);
    assert.equal(sha256(readFileSync(roBack)), src.sum);

    const name = `nbdkit-${rw.id}`;
    const before = await service(c, name);
    assert.equal(before?.state, 'running');
    process.kill(before!.pid!, 'SIGKILL');
    await waitFor(
      'nbdkit restarted',
      async () => {
        const s = await service(c, name);
        return s?.state === 'running' && s.pid !== before!.pid && s.restarts >= 1;
      },
      60_000,
    );
    const get2 = client(['nbdcopy', rw.uri, `${back}2`]);
    assert.equal(get2.code, 0, get2.out);
    assert.equal(sha256(readFileSync(`${back}2`)), src.sum);

    for (const e of [rw, ro])
      assert.equal((await c.admin.request('DELETE', `exports/${e.id}?wait=60`)).status, 204);
    assert.equal(await service(c, name), undefined);
  },
);
