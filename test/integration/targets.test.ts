// iSCSI targets as objects with real tgtd and real initiators (qemu-img, qemu-io, libiscsi): a
// target with a CHAP host and two LUNs, both written and read back; LUNs added and removed and the
// ACL widened and narrowed while qemu-io holds sessions open (they stay, and are told the LUNs
// changed; another host taken out never cuts a session nor restarts tgtd);
// bad input answers its code; tgtd killed comes back with the target; iSCSI exports still work
// and show up as targets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportRig, client, service, sha256, MiB, type ExportBody } from './exports-support.js';
import { QemuIoSession, chapOpts, moreLuns, tgtView } from './targets-support.js';
import { realPartsSkip, waitFor } from '../support/real.js';
import { expectError } from '../support/api.js';
import type { InProcessCairn } from '../support/cairn.js';

const skip = realPartsSkip();
const IQN_A = 'iqn.2024-01.io.cairn.test:tgt-a';
const IQN_B = 'iqn.2024-01.io.cairn.test:tgt-b';
const SECRET_A = 'Secr3tPassw0rdA1';
const SECRET_B = 'Secr3tPassw0rdB2';

interface TargetBody {
  id: string;
  iqn: string;
  alias: string | null;
  export_id: string | null;
  host_ids: string[];
  portal: string;
  luns: { lun: number; volume_id: string; uri: string }[];
  state: string;
}

const req = <B>(c: InProcessCairn, method: string, path: string, body?: object) =>
  c.admin.request<B>(method, path, body);

test(
  'targets: CHAP host, two LUNs read and written, live LUN and ACL changes keep a session',
  { skip },
  async (t) => {
    const rig = await exportRig(t, { lunBytes: 32 * MiB });
    const c = rig.cairn;
    const [x0, x1, x2] = await moreLuns(rig, 3);
    const a = (
      await req<{ id: string }>(c, 'POST', 'hosts', {
        name: 'a',
        iqns: [IQN_A],
        chap: { user: 'usera', secret: SECRET_A },
      })
    ).body;
    const b = (
      await req<{ id: string }>(c, 'POST', 'hosts', {
        name: 'b',
        iqns: [IQN_B],
        chap: { user: 'userb', secret: SECRET_B },
      })
    ).body;
    const bare = (await req<{ id: string }>(c, 'POST', 'hosts', { name: 'bare', iqns: [] })).body;

    // 1. bad input: each answers its code before any job
    await expectError(req(c, 'POST', 'targets', { iqn: 'not-an-iqn' }), 400, 'VALIDATION_FAILED', /NOT_IQN/);
    await expectError(
      req(c, 'POST', 'targets', { host_ids: ['nope'] }),
      400,
      'VALIDATION_FAILED',
      /HOST_NOT_FOUND/,
    );
    await expectError(req(c, 'POST', 'targets', { host_ids: [bare.id] }), 400, 'VALIDATION_FAILED', /NO_IQN/);
    await expectError(req(c, 'POST', 'targets', { bogus: 1 }), 400, 'VALIDATION_FAILED');
    await expectError(c.admin.get('targets/nope'), 404, 'TARGET_NOT_FOUND');

    // 2. created empty with a generated IQN; a second target may not take that IQN
    const made = await req<TargetBody>(c, 'POST', 'targets?wait=60', { alias: 'db disks', host_ids: [a.id] });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const tg = made.body;
    assert.match(tg.iqn, /^iqn\.2024-01\.io\.cairn:[a-z0-9.-]+$/);
    assert.deepEqual(tg.luns, []);
    assert.deepEqual(tg.host_ids, [a.id]);
    await expectError(req(c, 'POST', 'targets?wait=60', { iqn: tg.iqn }), 409, 'TARGET_IQN_TAKEN');
    assert.equal((await service(c, 'tgtd'))?.state, 'running');

    // 3. two LUNs (numbers given and next free); wrong volumes and taken places are refused
    const l1 = (await req<TargetBody>(c, 'POST', `targets/${tg.id}/luns?wait=60`, { volume_id: rig.lun.id }))
      .body;
    assert.deepEqual(
      l1.luns.map((l) => l.lun),
      [1],
    );
    const l2 = (
      await req<TargetBody>(c, 'POST', `targets/${tg.id}/luns?wait=60`, { volume_id: x0!.id, lun: 2 })
    ).body;
    assert.deepEqual(
      l2.luns.map((l) => [l.lun, l.volume_id]),
      [
        [1, rig.lun.id],
        [2, x0!.id],
      ],
    );
    await expectError(
      req(c, 'POST', `targets/${tg.id}/luns`, { volume_id: rig.fs.id }),
      422,
      'TARGET_VOLUME_NOT_LUN',
    );
    await expectError(
      req(c, 'POST', `targets/${tg.id}/luns`, { volume_id: x1!.id, lun: 2 }),
      409,
      'TARGET_LUN_TAKEN',
    );
    await expectError(
      req(c, 'POST', `targets/${tg.id}/luns`, { volume_id: rig.lun.id }),
      409,
      'VOLUME_ALREADY_MAPPED',
    );
    await expectError(
      req(c, 'POST', `targets/${tg.id}/luns`, { volume_id: 'nope' }),
      404,
      'VOLUME_NOT_FOUND',
    );
    await expectError(
      req(c, 'POST', `targets/${tg.id}/luns`, { volume_id: x1!.id, lun: 0 }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      req(c, 'POST', `volumes/${x0!.id}/exports?wait=60`, { protocol: 'iscsi', hosts: [a.id] }),
      409,
      'VOLUME_ALREADY_MAPPED',
    );
    await expectError(req(c, 'DELETE', `targets/${tg.id}?wait=60`), 409, 'TARGET_HAS_LUNS');

    // 4. both LUNs written and read back through CHAP (qemu-img), the bytes in each volume's file
    const ca = chapOpts(rig, 'usera', SECRET_A);
    for (const [lun, vol] of [
      [1, rig.lun],
      [2, x0!],
    ] as const) {
      const src = rig.randomFile(`src${lun}.raw`, 8 * MiB);
      const w = client([
        'qemu-img',
        'convert',
        '-n',
        '-f',
        'raw',
        '--object',
        ca.object,
        '--target-image-opts',
        src.path,
        ca.opts(tg.iqn, lun, IQN_A),
      ]);
      assert.equal(w.code, 0, w.out);
      const back = join(rig.dir, `back${lun}.raw`);
      const r = client([
        'qemu-img',
        'dd',
        '--object',
        ca.object,
        '--image-opts',
        'bs=1M',
        'count=8',
        `if=${ca.opts(tg.iqn, lun, IQN_A)}`,
        `of=${back}`,
        '-O',
        'raw',
      ]);
      assert.equal(r.code, 0, r.out);
      assert.equal(sha256(readFileSync(back)), src.sum, `LUN ${lun} reads back what was written`);
      assert.equal(
        sha256(readFileSync(vol.lunFile!).subarray(0, 8 * MiB)),
        src.sum,
        `LUN ${lun} is its volume`,
      );
    }
    const noChap = client(['iscsi-inq', '-i', IQN_A, `iscsi://127.0.0.1:${rig.ports.iscsi}/${tg.iqn}/1`]);
    assert.notEqual(noChap.code, 0, 'CHAP is required');

    // 5. a session held open by qemu-io on LUN 1; a LUN added and one removed live: the session
    // stays (same I_T nexus), is told "reported LUNs data has changed" (ASC/ASCQ 3f/0e) and keeps
    // working; a new discovery lists the LUNs as they are now
    const tid = await waitFor('tgt tid', () => {
      const out = client(['tgtadm', '-C', '0', '--lld', 'iscsi', '--op', 'show', '--mode', 'target'], {
        TGT_IPC_SOCKET: join(c.dataDir, 'daemons', 'tgtd', 'tgtd.sock'),
      }).out;
      const m = new RegExp(`^Target (\\d+): ${tg.iqn.replace(/\./g, '\\.')}$`, 'm').exec(out);
      return m ? Number(m[1]) : undefined;
    });
    const io = new QemuIoSession(t, ca.object, ca.opts(tg.iqn, 1, IQN_A));
    assert.match(await io.run('read -v 0 512', /qemu-io> $/), /read 512\/512 bytes/);
    const nexus = tgtView(c.dataDir, tid).nexus;
    assert.equal(nexus.length, 1, 'one session open');

    const l3 = (await req<TargetBody>(c, 'POST', `targets/${tg.id}/luns?wait=60`, { volume_id: x1!.id }))
      .body;
    assert.deepEqual(
      l3.luns.map((l) => l.lun),
      [1, 2, 3],
      'the next free number',
    );
    const told = await io.run('read 4096 4096', /read 4096\/4096 bytes/);
    assert.match(told, /UNIT_ATTENTION[\s\S]*0x3f0e/, 'the session is told its LUNs changed');
    assert.deepEqual(tgtView(c.dataDir, tid).nexus, nexus, 'the same session');
    const ls = client(['iscsi-ls', '-s', '-i', IQN_A, `iscsi://usera@127.0.0.1:${rig.ports.iscsi}`], {
      LIBISCSI_CHAP_PASSWORD: SECRET_A,
    });
    assert.match(ls.out, /Lun:3\s+Type:DIRECT_ACCESS/, ls.out);
    const inq3 = client(
      ['iscsi-readcapacity16', '-i', IQN_A, `iscsi://usera@127.0.0.1:${rig.ports.iscsi}/${tg.iqn}/3`],
      {
        LIBISCSI_CHAP_PASSWORD: SECRET_A,
      },
    );
    assert.match(inq3.out, new RegExp(`Total size:${32 * MiB}`), inq3.out);

    await expectError(req(c, 'DELETE', `targets/${tg.id}/luns/9?wait=60`), 404, 'TARGET_LUN_NOT_FOUND');
    const un = (await req<TargetBody>(c, 'DELETE', `targets/${tg.id}/luns/2?wait=60`)).body;
    assert.deepEqual(
      un.luns.map((l) => l.lun),
      [1, 3],
    );
    assert.deepEqual(tgtView(c.dataDir, tid).luns, [0, 1, 3]);
    assert.match(await io.run('write -P 0x5a 0 4096', /wrote 4096\/4096 bytes/), /wrote/);
    assert.deepEqual(tgtView(c.dataDir, tid).nexus, nexus, 'still the same session');
    // the unmapped volume may go elsewhere now
    const x0Again = await req<TargetBody>(c, 'POST', `targets/${tg.id}/luns?wait=60`, {
      volume_id: x0!.id,
      lun: 7,
    });
    assert.equal(x0Again.status, 201);

    // 6. the ACL changed live: host b may log in while a's session stays open; then a is taken out
    const both = (
      await req<TargetBody>(c, 'PATCH', `targets/${tg.id}?wait=60`, { host_ids: [a.id, b.id], alias: 'db' })
    ).body;
    assert.deepEqual(both.host_ids.sort(), [a.id, b.id].sort());
    assert.equal(both.alias, 'db');
    const inqB = () =>
      client(['iscsi-inq', '-i', IQN_B, `iscsi://userb@127.0.0.1:${rig.ports.iscsi}/${tg.iqn}/1`], {
        LIBISCSI_CHAP_PASSWORD: SECRET_B,
      });
    const inqA = () =>
      client(['iscsi-inq', '-i', IQN_A, `iscsi://usera@127.0.0.1:${rig.ports.iscsi}/${tg.iqn}/1`], {
        LIBISCSI_CHAP_PASSWORD: SECRET_A,
      });
    assert.equal(inqB().code, 0, 'b logs in');
    assert.match(await io.run('read -v 0 16', /qemu-io> $/), /5a 5a 5a 5a/, 'a keeps its open session');
    assert.deepEqual(tgtView(c.dataDir, tid).nexus, nexus);
    const tgtd = (await service(c, 'tgtd'))!.pid;

    // A new CHAP secret for a (tgt's first account of two): tgt's own account delete would leave a
    // hole in the target's account list (b's logins fail, the next `show` kills tgtd); Cairn
    // unbinds it from the end first. Both sessions' hosts log in afresh, a with its new secret.
    const NEW_A = 'Secr3tPassw0rdA9';
    await req(c, 'PATCH', `hosts/${a.id}`, { chap: { user: 'usera', secret: NEW_A } });
    assert.equal(inqB().code, 0, 'b still logs in');
    assert.notEqual(inqA().code, 0, "a's old secret no longer works");
    const inqA2 = client(
      ['iscsi-inq', '-i', IQN_A, `iscsi://usera@127.0.0.1:${rig.ports.iscsi}/${tg.iqn}/1`],
      {
        LIBISCSI_CHAP_PASSWORD: NEW_A,
      },
    );
    assert.equal(inqA2.code, 0, inqA2.out);
    assert.equal((await service(c, 'tgtd'))!.pid, tgtd, 'tgtd did not restart');

    // b holds a session of its own; then a (the target's first account) is taken out: b's session
    // keeps reading and writing, b logs in afresh, a may not; tgtd never restarted. An initiator's
    // open session is never cut by an ACL change (a's own stays until it logs out).
    const cb = chapOpts(rig, 'userb', SECRET_B);
    const ioB = new QemuIoSession(t, cb.object, cb.opts(tg.iqn, 1, IQN_B));
    assert.match(await ioB.run('write -P 0x6b 8192 4096', /qemu-io> $/), /wrote 4096\/4096 bytes/);
    const sessions = tgtView(c.dataDir, tid).nexus;
    assert.equal(sessions.length, 2, 'a and b logged in');
    const onlyB = (await req<TargetBody>(c, 'PATCH', `targets/${tg.id}?wait=60`, { host_ids: [b.id] })).body;
    assert.deepEqual(onlyB.host_ids, [b.id]);
    assert.deepEqual(tgtView(c.dataDir, tid).acl, [IQN_B]);
    assert.match(await ioB.run('read -v 8192 16', /qemu-io> $/), /6b 6b 6b 6b/, "b's session reads");
    assert.match(await ioB.run('write -P 0x6c 12288 4096', /qemu-io> $/), /wrote 4096\/4096 bytes/);
    assert.match(await ioB.run('read -v 12288 16', /qemu-io> $/), /6c 6c 6c 6c/, "b's session writes");
    assert.deepEqual(tgtView(c.dataDir, tid).nexus, sessions, 'both sessions stayed');
    assert.match(await io.run('read -v 0 16', /qemu-io> $/), /5a 5a 5a 5a/, "a's open session carries on");
    assert.equal(inqB().code, 0, 'b logs in afresh');
    const refusedA = client(
      ['iscsi-inq', '-i', IQN_A, `iscsi://usera@127.0.0.1:${rig.ports.iscsi}/${tg.iqn}/1`],
      { LIBISCSI_CHAP_PASSWORD: NEW_A },
    );
    assert.notEqual(refusedA.code, 0, 'a new login of a is refused');
    assert.equal((await service(c, 'tgtd'))!.pid, tgtd, 'tgtd did not restart');
    io.close();
    ioB.close();
    await waitFor('both logged out', () => (tgtView(c.dataDir, tid).nexus.length === 0 ? true : undefined));
    await expectError(
      req(c, 'PATCH', `targets/${tg.id}`, { host_ids: [bare.id] }),
      400,
      'VALIDATION_FAILED',
      /NO_IQN/,
    );
    await expectError(req(c, 'PATCH', `targets/${tg.id}`, {}), 400, 'VALIDATION_FAILED');
    await expectError(
      req(c, 'PATCH', `targets/${tg.id}`, { iqn: 'iqn.2024-01.io.x:y' }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(req(c, 'DELETE', `hosts/${b.id}`), 409, 'HOST_IN_USE');

    // 7. tgtd killed: the supervisor restarts it and gives it the target again, from the database
    const before = await service(c, 'tgtd');
    process.kill(before!.pid!, 'SIGKILL');
    await waitFor(
      'tgtd restarted',
      async () => {
        const s = await service(c, 'tgtd');
        return s?.state === 'running' && s.pid !== before!.pid ? s : undefined;
      },
      60_000,
    );
    await waitFor('target re-applied', () => (inqB().code === 0 ? true : undefined), 30_000);
    assert.deepEqual(tgtView(c.dataDir, tid).luns, [0, 1, 3, 7]);
    assert.notEqual(inqA().code, 0, 'the ACL came back as it was');

    // 8. an iSCSI export is still one call, and is listed as a target changed only through it
    const ex = (
      await req<ExportBody>(c, 'POST', `volumes/${x2!.id}/exports?wait=60`, {
        protocol: 'iscsi',
        hosts: [a.id],
      })
    ).body;
    assert.equal(ex.state, 'active');
    assert.match(ex.uri, /\/1$/);
    const list = await c.admin.get<{ items: TargetBody[]; total: number }>('targets?sort=created_at');
    assert.equal(list.total, 2);
    const view = list.items.find((x) => x.export_id === ex.id)!;
    assert.equal(view.iqn, ex.name);
    assert.deepEqual(view.host_ids, [a.id]);
    assert.deepEqual(
      view.luns.map((l) => [l.lun, l.volume_id]),
      [[1, x2!.id]],
    );
    assert.equal((await c.admin.get<{ total: number }>(`targets?export_id=${ex.id}`)).total, 1);
    await expectError(req(c, 'PATCH', `targets/${view.id}`, { alias: 'x' }), 409, 'TARGET_OF_EXPORT');
    await expectError(
      req(c, 'POST', `targets/${view.id}/luns`, { volume_id: x1!.id }),
      409,
      'TARGET_OF_EXPORT',
    );
    const exInq = client(
      ['iscsi-inq', '-i', IQN_A, `iscsi://usera@127.0.0.1:${rig.ports.iscsi}/${ex.name}/1`],
      {
        LIBISCSI_CHAP_PASSWORD: NEW_A,
      },
    );
    assert.equal(exInq.code, 0, exInq.out);
    assert.equal((await req(c, 'DELETE', `exports/${ex.id}?wait=60&force=true`)).status, 204);
    assert.equal(
      (await c.admin.get<{ total: number }>('targets')).total,
      1,
      "the export's target went with it",
    );

    // 9. delete with force: LUNs unmapped with it; tgtd stops with the last target
    const del = await req(c, 'DELETE', `targets/${tg.id}?wait=60&force=true`);
    assert.equal(del.status, 204);
    await expectError(c.admin.get(`targets/${tg.id}`), 404, 'TARGET_NOT_FOUND');
    assert.equal((await service(c, 'tgtd'))?.state, 'stopped');
    assert.equal((await req(c, 'DELETE', `hosts/${b.id}`)).status, 204, 'no target maps b any more');
  },
);
