// NGXStorage conformance: every example request of the NGX API document (test/fixtures/seeds/
// ngx-002.txt) runs against a real Cairn with real loop-device disks, with an API key made by the
// native API; each answer must carry the fields the document shows, and the effect must be real.

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_PASSWORD } from '../support/cairn.js';
import { client } from './exports-support.js';
import { LibiscsiSession } from './targets-support.js';
import { portalId } from '../../src/api/dialects/ngx/map.js';
import { realPartsSkip, sh, waitFor } from '../support/real.js';
import { missingFields } from '../support/seed.js';
import {
  cairnIdOf,
  example,
  examples,
  fieldByField,
  ngxError,
  ngxRig,
  replay,
  replayed,
  request,
} from './ngx-support.js';

test(
  'NGX seed 002: pools, status, network and logs, field by field, with real figures',
  { skip: realPartsSkip() },
  async (t) => {
    const { c, pool, call } = await ngxRig(t);
    const poolId = `${pool.replace(/-/g, '')}a0000001`;

    // Pool
    const list = fieldByField(await replay(call, 'Pool: List')) as unknown as Record<string, unknown>[];
    assert.deepEqual(
      list.map((p) => [p.pool_name, p.pool_id]),
      [['test', poolId]],
    );
    const detail = fieldByField(await replay(call, 'Pool: Detail', { id: poolId }));
    assert.equal(detail.raidtype, 'raid1');
    assert.equal(detail.status, 'ONLINE');
    assert.equal(detail.stripe_len, 2);
    fieldByField(await replay(call, 'Pool: Detail List'));
    const overview = fieldByField(await replay(call, 'Pool: Overview')) as unknown as {
      capacity: Record<string, unknown>;
    }[];
    const native = await c.admin.get<{ size: number }>(`pools/${pool}`);
    assert.equal(overview[0]!.capacity.total_size, String(native.size));
    assert.deepEqual(overview[0]!.capacity.flashtier_total, 0, 'no flash tier');

    // Status and network
    for (const s of [
      'Bandwidth',
      'IOPS',
      'CPU',
      'Cluster',
      'License',
      'Pools',
      'Services',
      'System Info',
      'Enclosures',
    ])
      fieldByField(await replay(call, `Status: ${s}`));
    const cluster = fieldByField(await replay(call, 'Status: Cluster'));
    assert.equal(cluster.connected, 1);
    assert.equal(cluster.status, 'Master');
    assert.deepEqual((await replay(call, 'Status: Cache')).body, {}, 'no DRAM cache');
    // Keyed by pool name: the document's pools are `test` and `test2`, this system has `test`.
    const capR = await replay(call, 'Status: Capacity');
    assert.equal(capR.status, 200);
    const cap = capR.body as Record<string, unknown>;
    assert.deepEqual(Object.keys(cap), ['test']);
    const doc = (example('Status: Capacity').response as { test: Record<string, object> }).test;
    for (const part of ['info', 'protocol_usage'])
      assert.deepEqual(
        Object.keys((cap.test as Record<string, object>)[part]!).sort(),
        Object.keys(doc[part]!).sort(),
      );
    assert.deepEqual(
      fieldByField(await replay(call, 'Status: Overloaded Volumes')).overloaded_volumes,
      [],
      'nothing full yet',
    );
    // A share (filesystem volume of 48 MiB) filled with 44 MiB of real bytes: past the
    // volume_capacity rule's 85%, it is an overloaded volume.
    const share = (
      (await call('POST', '/api/v2/share/', { pool_name: 'test', name: 'full', size: 48, sing: 'M' })) as {
        body: { vol_id: string };
      }
    ).body.vol_id;
    const vol = await c.admin.get<{ id: string; path: string }>(`volumes/${cairnIdOf(share)}`);
    const f = await open(join(vol.path, 'data.bin'), 'w');
    for (let i = 0; i < 44; i++) await f.write(randomBytes(1024 * 1024));
    await f.sync();
    await f.close();
    sh(['btrfs', 'filesystem', 'sync', vol.path]); // qgroups are counted at a commit
    await c.app.services.volumes.maintain(pool);
    await c.app.services.monitor.sampleNow();
    const over = fieldByField(await replay(call, 'Status: Overloaded Volumes')) as {
      overloaded_volumes: Record<string, unknown>[];
    };
    assert.equal(over.overloaded_volumes.length, 1, JSON.stringify(over));
    const o = over.overloaded_volumes[0]!;
    assert.deepEqual(
      [o.pool_name, o.vol_id, o.vol_name, o.vol_type, o.vol_size],
      ['test', share, 'full', 'share', 48 * 1024 * 1024],
    );
    assert.ok(Number(o.vol_used) >= 44 * 1024 * 1024, JSON.stringify(o));
    assert.deepEqual(
      missingFields(
        (example('Status: Overloaded Volumes').response as { overloaded_volumes: object[] })
          .overloaded_volumes[0],
        o,
      ),
      [],
    );
    const services = fieldByField(await replay(call, 'Status: Services'));
    assert.equal(services.s3, 0);
    const info = fieldByField(await replay(call, 'Status: System Info'));
    assert.equal(info.fc_initiators, 0);
    const net = await replay(call, 'Network: Info');
    assert.equal(net.status, 200);
    assert.ok((net.body as { name: string }[]).some((n) => n.name === 'lo'));

    // Logs: NGX's filters reach the native lists.
    const audit = fieldByField(
      await replay(
        call,
        'Log: Audit',
        {},
        undefined,
        '?filter[user]=admin&sort[]=time&order=desc&limit=5&page=1',
      ),
    );
    assert.ok(Array.isArray(audit));
    fieldByField(
      await replay(
        call,
        'Log: Alert',
        {},
        undefined,
        '?filter[type][]=warning&filter[type][]=error&limit=10',
      ),
    );
    const events = await replay(
      call,
      'Log: System Event',
      {},
      undefined,
      '?filter[time][]=2020-01-01&filter[time][]=2100-01-01&sort[]=time&order=asc',
    );
    assert.equal(events.status, 200);
    assert.ok((events.body as unknown[]).length > 0, 'pool and disk events were recorded');
    fieldByField({ ...events, example: example('Log: System Event') });
    ngxError(await call('GET', '/api/v2/log/alert?order=sideways'), 400);
    // The key's own calls are in the audit trail, found by NGX's filters.
    ngxError(await call('POST', '/api/v2/lun/', { pool_name: 'nope', name: 'x', size: 1 }), 5011);
    const mine = (
      await call('GET', '/api/v2/log/audit?filter[agent]=apikey&filter[description]=lun&order=desc')
    ).body as { description: string; agent: string }[];
    assert.ok(
      mine.length === 1 && mine[0]!.agent === 'apikey' && mine[0]!.description.includes('/api/v2/lun'),
      JSON.stringify(mine),
    );

    // Errors: unknown ids, unknown endpoints, keys.
    ngxError(await call('GET', `/api/v2/pool/${'0'.repeat(32)}a0000001`), 5011);
    ngxError(await call('GET', `/api/v2/pool/${poolId.slice(0, 32)}a0000002`), 5011, /pool/);
    ngxError(await call('GET', '/api/v2/nothing/here'), 5011);
    ngxError(await request(c, 'Bearer cairn_nope_nope', 'GET', '/api/v2/pool'), 5000);
    ngxError(await request(c, null, 'GET', '/api/v2/pool'), 5000);
    const basic = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
    ngxError(await request(c, basic, 'GET', '/api/v2/pool'), 5000, /authenticate with: bearer/);
    // A key limited to no pool of these sees none, and cannot read one by id.
    const narrow = (
      await c.admin.request<{ key: string }>('POST', 'api-keys', {
        name: 'other',
        pools: ['00000000-0000-0000-0000-000000000000'],
      })
    ).body.key;
    const n = await request(c, `Bearer ${narrow}`, 'GET', '/api/v2/pool');
    assert.deepEqual(n.body, []);
    ngxError(await request(c, `Bearer ${narrow}`, 'GET', `/api/v2/pool/${poolId}`), 5000);
    assert.ok(examples.length >= 60);
  },
);

test(
  'NGX seed 002: LUNs and snapshots, field by field, on real volumes; a schedule made through NGX takes snapshots',
  { skip: realPartsSkip() },
  async (t) => {
    const { c, call } = await ngxRig(t);

    // LUN: the seed's create makes ten thin 2 GiB LUNs in pool `test`.
    const made = fieldByField(await replay(call, 'LUN: Create')) as {
      luns: { vol_id: string; scsi_lunid: string }[];
    };
    assert.equal(made.luns.length, 10);
    const vols = await c.admin.get<{
      items: { id: string; name: string; size: number; thin: boolean; type: string }[];
    }>('volumes?limit=100&sort=name');
    assert.equal(vols.items.length, 10);
    assert.ok(vols.items.every((v) => v.type === 'lun' && v.thin && v.size === 2 * 1024 ** 3));
    assert.deepEqual(vols.items.map((v) => v.name).slice(0, 2), ['sada21sd212_1', 'sada21sd212_10']);
    const lun = made.luns[0]!.vol_id;
    const lunDetail = fieldByField(await replay(call, 'LUN: Detail', { vol_id: lun }));
    assert.equal(lunDetail.provision_type, 'thin');
    assert.equal(lunDetail.vol_size, String(2 * 1024 ** 3));
    assert.deepEqual(lunDetail.protocols, { fc: null, iscsi: null });
    // The seed's settings Cairn does not act on are kept in the metadata bag and read back.
    assert.equal(lunDetail.blocksize, '32768');
    assert.equal(lunDetail.dedup, 'on');
    assert.equal(lunDetail.io_type, 'sequential');
    assert.equal(lunDetail.qos_priority, 32);
    const meta = (await c.admin.get<{ metadata: Record<string, string> }>(`volumes/${cairnIdOf(lun)}`))
      .metadata;
    assert.deepEqual(meta, {
      'ngx.blocksize': '32k',
      'ngx.deduplication': 'on',
      'ngx.dram_cache': 'on',
      'ngx.flash_cache': 'on',
      'ngx.io_type': 'sequential',
      'ngx.qos_priority': '32',
    });
    const modified = fieldByField(await replay(call, 'LUN: Modify', { vol_id: lun }));
    const after = fieldByField(await replay(call, 'LUN: Detail', { vol_id: lun }));
    assert.equal(after.io_type, 'transactional');
    assert.equal(after.qos_priority, 4);
    assert.equal(after.blocksize, '32768', 'a setting not sent stays');
    assert.equal(modified.vol_size, String(2 * 1024 ** 3), 'size 0 keeps the size');
    assert.equal((await replay(call, 'LUN: Detail', { vol_id: lun }).then(fieldByField)).compress, 'on');
    const grown = await call('PATCH', `/api/v2/lun/${lun}`, { size: 3 });
    assert.equal((grown.body as { vol_size: string }).vol_size, String(3 * 1024 ** 3));
    assert.equal((fieldByField(await replay(call, 'LUN: Detail List')) as unknown as unknown[]).length, 10);
    const listed = fieldByField(await replay(call, 'LUN: List')) as unknown as {
      name: string;
      pool: string;
    }[];
    assert.ok(listed.every((l) => l.pool === 'test'));
    ngxError(
      await call('POST', '/api/v2/lun/', { pool_name: 'test', name: 'x', size: 1, thin_provision: 'maybe' }),
      400,
    );
    ngxError(await call('POST', '/api/v2/lun/', { pool_name: 'nope', name: 'x', size: 1 }), 5011);
    ngxError(await call('POST', '/api/v2/lun/', { pool_name: 'test', name: 'sada21sd212_1', size: 1 }), 710);
    ngxError(await call('GET', `/api/v2/lun/${lun.slice(0, 32)}a0000003`), 5011);
    // quantity is all or none: the second name is taken, so the first one made goes again.
    ngxError(
      await call('POST', '/api/v2/lun/', { pool_name: 'test', name: 'sada21sd212', size: 1, quantity: 2 }),
      710,
    );
    assert.equal((await c.admin.get<{ total: number }>('volumes?limit=1')).total, 10);

    // Snapshot
    const snap = fieldByField(
      await replay(call, 'Snapshot: Create', {}, { name: 'snapname', volume_id: lun }),
    );
    assert.equal(snap.snap_vol, 'sada21sd212_1@snapname');
    const snapId = snap.snap_id as string;
    fieldByField(await replay(call, 'Snapshot: Detail', { snap_id: snapId }));
    const byVol = fieldByField(await replay(call, 'Snapshot: List', {}, undefined, `?vol_id=${lun}`)) as {
      luns: object[];
      shares: object[];
    };
    assert.equal(byVol.luns.length, 1);
    assert.deepEqual(byVol.shares, []);
    assert.deepEqual(
      missingFields((example('Snapshot: List').response as { luns: object[] }).luns[0], byVol.luns[0]),
      [],
    );
    const detailList = fieldByField(
      await replay(call, 'Snapshot: Detail List', {}, undefined, `?vol_id=${lun}`),
    ) as { luns: object[] };
    assert.deepEqual(
      missingFields(
        (example('Snapshot: Detail List').response as { luns: object[] }).luns[0],
        detailList.luns[0],
      ),
      [],
    );
    const clone = fieldByField(
      await replay(call, 'Snapshot: Clone', { snap_id: snapId }, { name: 'clonename' }),
    );
    assert.match(String(clone.vol_id), /^[0-9a-f]{40}$/);
    assert.equal(fieldByField(await replay(call, 'Snapshot: Detail', { snap_id: snapId })).binded, 1);
    ngxError(await replay(call, 'Snapshot: Delete', { snap_id: snapId }), 534, /clone/);
    fieldByField(await replay(call, 'Snapshot: Restore', { snap_id: snapId }));
    const sched = fieldByField(await replay(call, 'Snapshot: Schedule Create', { vol_id: lun }));
    const native = (
      await c.admin.get<{ items: { description: string; cron: string; retention: { keep_last: number } }[] }>(
        'schedules',
      )
    ).items;
    assert.equal(native.length, 1);
    assert.equal(sched.h_read, native[0]!.description);
    assert.equal(native[0]!.cron, '45 23 * * 6');
    assert.equal(native[0]!.retention.keep_last, 30);
    const sd = fieldByField(await replay(call, 'Snapshot: Schedule Detail', { vol_id: lun }));
    assert.equal(sd.c_time, '45 23 * * 6');
    assert.equal(sd.keep_max, 30);
    assert.equal(sd.vol_type, 'lun');
    assert.deepEqual((await replay(call, 'Snapshot: Schedule Delete', { vol_id: lun })).body, {});
    ngxError(await replay(call, 'Snapshot: Schedule Detail', { vol_id: lun }), 5011);
    ngxError(
      await call('POST', `/api/v2/snapshot/schedule/${lun}`, { cron_time: '45 23 * * 6', keep_max: 0 }),
      400,
    );

    // A schedule made through NGX takes snapshots and keeps keep_max of them.
    const second = made.luns[1]!.vol_id;
    fieldByField(
      await replay(
        call,
        'Snapshot: Schedule Create',
        { vol_id: second },
        { cron_time: '*/1 * * * * *', keep_max: 2 },
      ),
    );
    const secondId = cairnIdOf(second);
    const taken = new Set<string>();
    await waitFor(
      'three scheduled snapshots',
      async () => {
        for (const s of (
          await c.admin.get<{ items: { id: string }[] }>(`volumes/${secondId}/snapshots?limit=100`)
        ).items)
          taken.add(s.id);
        return taken.size >= 3;
      },
      60_000,
    );
    await call('DELETE', `/api/v2/snapshot/schedule/${second}`);
    await c.app.services.scheduler.settled();
    const kept = await call('GET', `/api/v2/snapshot?vol_id=${second}`);
    assert.ok((kept.body as { luns: unknown[] }).luns.length <= 2, JSON.stringify(kept.body));

    // Delete, delete all, and the LUNs go.
    const s2 = fieldByField(await replay(call, 'Snapshot: Create', {}, { name: 'two', volume_id: second }));
    fieldByField(await replay(call, 'Snapshot: Delete', { snap_id: s2.snap_id as string }));
    ngxError(await replay(call, 'Snapshot: Detail', { snap_id: s2.snap_id as string }), 5011);
    await replay(call, 'Snapshot: Create', {}, { name: 'three', volume_id: second });
    const all = fieldByField(await replay(call, 'Snapshot: Delete All', { vol_id: second }));
    assert.equal(all.warning, '');
    assert.deepEqual((await call('GET', `/api/v2/snapshot?vol_id=${second}`)).body, { luns: [], shares: [] });
    fieldByField(await replay(call, 'LUN: Delete', { vol_id: second }));
    ngxError(await replay(call, 'LUN: Delete', { vol_id: second }), 5011);
  },
);

test(
  'NGX seed 002: auth groups, shares and portal groups, field by field, on real hosts and exports',
  { skip: realPartsSkip() },
  async (t) => {
    const { c, call } = await ngxRig(t);

    // Auth Group: a Cairn host.
    const made = fieldByField(await replay(call, 'Auth Group: Create'));
    const g = made.id as string;
    assert.equal((await c.admin.get<{ name: string }>(`hosts/${cairnIdOf(g)}`)).name, 'new_auth_group');
    fieldByField(await replay(call, 'Auth Group: Change Name', { id: g }));
    // NGX names are free text; a host name keeps letters, digits, `.`, `_` and `-`.
    assert.equal((await c.admin.get<{ name: string }>(`hosts/${cairnIdOf(g)}`)).name, 'asdsadasasdasd_d');
    ngxError(await replay(call, 'Auth Group: Add CHAP', { id: g }), 400, /secret/);
    fieldByField(
      await replay(
        call,
        'Auth Group: Add CHAP',
        { id: g },
        { username: 'dddggg', password: 'chfsgsdf435345', owner: 'A' },
      ),
    );
    const iqn = fieldByField(await replay(call, 'Auth Group: Add IQN', { id: g }));
    ngxError(await replay(call, 'Auth Group: Add IQN', { id: g }), 522);
    // NGX shares one initiator between auth groups: each membership has an id of its own.
    const g2 = (
      (await call('POST', '/api/v2/auth_group/', { name: 'other', owner: 'A' })).body as { id: string }
    ).id;
    const iqn2 = fieldByField(await replay(call, 'Auth Group: Add IQN', { id: g2 }));
    assert.notEqual(iqn2.id, iqn.id);
    fieldByField(await replay(call, 'Auth Group: Delete', { id: g2 }));
    const d = fieldByField(await replay(call, 'Auth Group: Detail', { id: g }));
    assert.equal(d.chap_status, 1);
    assert.deepEqual(d.chap, { password: '', username: 'dddggg' }, 'the CHAP secret is never shown');
    assert.deepEqual(d.initiator, [
      {
        id: iqn.id,
        iqn: 'iqn.1993-08.org.debian.iscsi:01:107dc7e4254a',
        iqn_alias: '01:107dc7e4254a'.split(':').pop(),
      },
    ]);
    const host = await c.admin.get<{ iqns: string[]; chap: { user: string } }>(`hosts/${cairnIdOf(g)}`);
    assert.deepEqual(host.iqns, ['iqn.1993-08.org.debian.iscsi:01:107dc7e4254a']);
    assert.equal(host.chap.user, 'dddggg');
    const dl = fieldByField(await replay(call, 'Auth Group: Detail List')) as unknown as Record<
      string,
      unknown
    >[];
    assert.deepEqual(dl[0], { group_id: '1', group_name: 'DefaultAuthGroup' });
    assert.deepEqual(missingFields((example('Auth Group: Detail List').response as object[])[1], dl[1]), []);
    const l = fieldByField(await replay(call, 'Auth Group: List')) as unknown as Record<string, unknown>[];
    assert.deepEqual(missingFields((example('Auth Group: List').response as object[])[1], l[1]), []);
    assert.deepEqual((await replay(call, 'Auth Group: Delete IQN', { iqn_id: iqn.id as string })).body, {});
    ngxError(await replay(call, 'Auth Group: Delete IQN', { iqn_id: iqn.id as string }), 521);
    fieldByField(await replay(call, 'Auth Group: Delete CHAP', { id: g }));
    assert.equal((await replay(call, 'Auth Group: Detail', { id: g }).then(fieldByField)).chap_status, 0);
    fieldByField(await replay(call, 'Auth Group: Delete', { id: g }));
    ngxError(await replay(call, 'Auth Group: Detail', { id: g }), 5011);
    ngxError(await call('POST', '/api/v2/auth_group/', { name: 'x' }), 400);

    // Shares: a filesystem volume with its NFS export; the seed shows a share's fields under
    // "Portal Group" (its detail and list examples are shares).
    const s = (await call('POST', '/api/v2/share/', {
      pool_name: 'test',
      name: 'test',
      size: 1,
      nfs_export: 1,
      access_net: '127.0.0.1/32',
    })) as { status: number; body: { vol_id: string; success: boolean } };
    assert.equal(s.status, 200, JSON.stringify(s.body));
    const vol = s.body.vol_id;
    const exportsOf = async () =>
      (
        await c.admin.get<{ items: { protocol: string; allowed: string[]; read_only: boolean }[] }>(
          `volumes/${cairnIdOf(vol)}/exports`,
        )
      ).items;
    assert.deepEqual(
      (await exportsOf()).map((e) => [e.protocol, e.allowed, e.read_only]),
      [['nfs', ['127.0.0.1/32'], false]],
    );
    const sd = await call('GET', `/api/v2/share/${vol}`);
    fieldByField({ ...sd, example: example('Portal Group: Detail') });
    assert.equal((sd.body as { nfs_export: number }).nfs_export, 1);
    assert.equal((sd.body as { access_net: string }).access_net, '127.0.0.1/32');
    fieldByField({
      ...(await call('GET', '/api/v2/share/list')),
      example: example('Portal Group: Detail List'),
    });
    fieldByField({ ...(await call('GET', '/api/v2/share')), example: example('Portal Group: List') });
    // Busy (725, which the SDK retries): in maintenance mode a new export is refused and nothing
    // changes; the same call after maintenance succeeds.
    await c.admin.request('POST', 'system/maintenance', { enabled: true });
    ngxError(await call('PATCH', `/api/v2/share/${vol}`, { smb_export: 1 }), 725, /maintenance/i);
    assert.deepEqual(
      (await exportsOf()).map((e) => e.protocol),
      ['nfs'],
    );
    await c.admin.request('POST', 'system/maintenance', { enabled: false });
    // In place: read-only and SMB on; then NFS off.
    const m = await call('PATCH', `/api/v2/share/${vol}`, { nfs_read_only: 'on', smb_export: 1, size: 2 });
    assert.equal(m.status, 200, JSON.stringify(m.body));
    assert.equal((m.body as { vol_size: string }).vol_size, String(2 * 1024 ** 3));
    assert.deepEqual((await exportsOf()).map((e) => [e.protocol, e.read_only]).sort(), [
      ['nfs', true],
      ['smb', false],
    ]);
    await call('PATCH', `/api/v2/share/${vol}`, { nfs_export: 0 });
    assert.deepEqual(
      (await exportsOf()).map((e) => e.protocol),
      ['smb'],
    );
    ngxError(await call('GET', `/api/v2/lun/${vol}`), 5011, /volume/);
    assert.deepEqual((await call('DELETE', `/api/v2/share/${vol}`)).body, { success: true });
    assert.equal((await c.admin.get<{ total: number }>('volumes?limit=1')).total, 0);

    // Portal groups: "all", then one per address carrying iSCSI.
    const pl = await replay(call, 'Portal Group: List');
    assert.equal(pl.status, 200);
    const groups = pl.body as { id: string; portal_name: string; owner: string }[];
    assert.equal(groups[0]!.portal_name, 'all');
    assert.ok(groups.some((x) => x.portal_name === '127.0.0.1'));
    const lo = groups.find((x) => x.portal_name === '127.0.0.1')!;
    const pd = await replay(call, 'Portal Group: Detail', { id: lo.id });
    assert.deepEqual(pd.body, {
      id: lo.id,
      portal_name: '127.0.0.1',
      listen_ips: ['127.0.0.1'],
      owner: lo.owner,
    });
    assert.equal(((await replay(call, 'Portal Group: Detail List')).body as unknown[]).length, groups.length);
    ngxError(await call('GET', `/api/v2/portal_group/${'f'.repeat(32)}a0000009`), 5011);
  },
);

test(
  'NGX seed 002: iSCSI targets built through NGX (auth group with CHAP, target, two LUNs) serve bytes to libiscsi',
  { skip: realPartsSkip() },
  async (t) => {
    const { c, call } = await ngxRig(t);
    const portal = process.env.CAIRN_ISCSI_PORTAL!;
    const dir = mkdtempSync(join(tmpdir(), 'ngx-iscsi-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const INITIATOR = 'iqn.2024-01.test.ngx:initiator';
    const SECRET = 'Ngx-chap-secret1';

    // Two LUNs, an auth group with the initiator and CHAP.
    const made = (
      await call('POST', '/api/v2/lun/', { pool_name: 'test', name: 'blk', size: 32, sing: 'M', quantity: 2 })
    ).body as { luns: { vol_id: string }[] };
    const [l1, l2] = made.luns.map((l) => l.vol_id) as [string, string];
    const g = (
      (await call('POST', '/api/v2/auth_group/', { name: 'ini', owner: 'A' })).body as { id: string }
    ).id;
    await call('PATCH', `/api/v2/auth_group/iqn/${g}`, { iqn: INITIATOR, iqn_alias: 'ini', owner: 'A' });
    await call('PATCH', `/api/v2/auth_group/chap/${g}`, {
      username: 'ngxuser',
      password: SECRET,
      owner: 'A',
    });
    const groups = (await call('GET', '/api/v2/portal_group')).body as { id: string; portal_name: string }[];
    const all = groups.find((x) => x.portal_name === 'all')!.id;
    const lo = groups.find((x) => x.portal_name === '127.0.0.1')!.id;

    // The seed's create, on the "all" portal group, with the default auth group; then its other calls.
    const created = fieldByField(
      await replay(
        call,
        'ISCSI Target: Create',
        {},
        { ...(example('ISCSI Target: Create').body as object), portal_group_id: all, lun_ids: [l1] },
      ),
    ) as { id: string; luns: { vol_id: string; lun_number: string }[] };
    const tid = created.id;
    assert.deepEqual(
      created.luns.map((l) => l.vol_id),
      [l1],
    );
    fieldByField(await replay(call, 'ISCSI Target: Change Name', { id: tid }, { name: 't1', owner: 'A' }));
    // The seed's portal group example body is `{"success": true}`: not a portal group change.
    ngxError(await replay(call, 'ISCSI Target: Change Portal Group', { target_id: tid }), 400);
    fieldByField(
      await replay(
        call,
        'ISCSI Target: Change Portal Group',
        { target_id: tid },
        { portal_group_id: all, owner: 'A' },
      ),
    );
    // tgtd listens on 127.0.0.1 alone here: the portal groups are "all" (that address) and that
    // address, and a target may be given either (both are every portal it answers on), on both paths.
    assert.deepEqual(
      groups.map((x) => x.portal_name),
      ['all', '127.0.0.1'],
    );
    for (const path of ['iscsi_target', 'target/iscsi'])
      assert.deepEqual(
        (await call('PATCH', `/api/v2/${path}/portal_group/${tid}`, { portal_group_id: lo, owner: 'A' }))
          .body,
        { success: true },
      );
    // An address tgtd does not listen on is no portal group.
    ngxError(
      await call('PATCH', `/api/v2/iscsi_target/portal_group/${tid}`, {
        portal_group_id: portalId('10.9.9.9'),
        owner: 'A',
      }),
      5011,
    );
    ngxError(await replay(call, 'ISCSI Target: Change Auth Group', { target_id: tid }), 5011);
    fieldByField(
      await replay(
        call,
        'ISCSI Target: Change Auth Group',
        { target_id: tid },
        { auth_group_id: g, owner: 'A' },
      ),
    );
    // An initiator logged in (libiscsi, CHAP) before a LUN is added through NGX sees it in the same
    // session: REPORT LUNS lists it, and bytes written to it read back.
    const iqnOf = (await call('GET', `/api/v2/iscsi_target/${tid}`)).body as { target_iqn: string };
    const session = new LibiscsiSession(t, {
      portal,
      iqn: iqnOf.target_iqn,
      initiator: INITIATOR,
      lun: Number(created.luns[0]!.lun_number),
      user: 'ngxuser',
      secret: SECRET,
    });
    await session.ready();
    assert.deepEqual(await session.luns(), [0, Number(created.luns[0]!.lun_number)]);
    const added = fieldByField(
      await replay(call, 'ISCSI Target: Add LUN', { id: tid }, { lun_ids: [l2], owner: 'A' }),
    ) as {
      luns: { vol_id: string; lun_number: string }[];
    };
    assert.deepEqual(
      added.luns.map((l) => l.vol_id),
      [l2],
    );
    const newLun = Number(added.luns[0]!.lun_number);
    assert.deepEqual(await session.luns(), [0, Number(created.luns[0]!.lun_number), newLun]);
    const { blocks, block_size } = (await session.send({ op: 'size', lun: newLun })) as {
      blocks: number;
      block_size: number;
    };
    assert.equal(blocks * block_size, 32 * 1024 * 1024);
    const live = randomBytes(1024 * 1024);
    const liveFile = join(dir, 'live.raw');
    writeFileSync(liveFile, live);
    assert.equal(
      (await session.send({ op: 'write', lun: newLun, lba: 0, file: liveFile })).written,
      live.length,
    );
    assert.equal(
      (await session.send({ op: 'read', lun: newLun, lba: 0, bytes: live.length })).sha256,
      sha256(live),
      'the new LUN reads back what the logged-in session wrote',
    );
    session.close();
    const detail = fieldByField(await replay(call, 'ISCSI Target: Detail', { id: tid }));
    assert.equal(detail.scsi_target_name, 't1');
    assert.equal(detail.group_name, 'ini');
    assert.equal(detail.portal_id, all);
    const luns = detail.luns as { vol_id: string; lun_number: string }[];
    assert.equal(luns.length, 2);
    fieldByField(await replay(call, 'ISCSI Target: Detail List'));
    fieldByField(await replay(call, 'ISCSI Target: List'));
    // The other spelling of the same paths.
    assert.deepEqual(
      (await call('GET', `/api/v2/target/iscsi/${tid}`)).body,
      (await call('GET', `/api/v2/iscsi_target/${tid}`)).body,
    );
    assert.deepEqual(
      (await c.admin.get<{ luns: { volume_id: string }[]; host_ids: string[] }>(`targets/${cairnIdOf(tid)}`))
        .host_ids,
      [cairnIdOf(g)],
    );

    // libiscsi (qemu-img's iscsi driver) logs in with the initiator's name and CHAP, writes each LUN
    // and reads it back.
    const secretFile = join(dir, 'chap.secret');
    writeFileSync(secretFile, SECRET, { mode: 0o600 });
    const obj = `secret,id=sec0,file=${secretFile}`;
    const opts = (lun: string) =>
      `driver=iscsi,transport=tcp,portal=${portal},target=${String(detail.target_iqn)},lun=${lun},user=ngxuser,password-secret=sec0,initiator-name=${INITIATOR}`;
    for (const l of luns) {
      const data = randomBytes(4 * 1024 * 1024);
      const src = join(dir, `src-${l.lun_number}.raw`);
      writeFileSync(src, data);
      const w = client([
        'qemu-img',
        'convert',
        '-n',
        '-f',
        'raw',
        '--object',
        obj,
        '--target-image-opts',
        src,
        opts(l.lun_number),
      ]);
      assert.equal(w.code, 0, w.out);
      const back = join(dir, `back-${l.lun_number}.raw`);
      const r = client([
        'qemu-img',
        'dd',
        '--object',
        obj,
        '--image-opts',
        'bs=1M',
        'count=4',
        `if=${opts(l.lun_number)}`,
        `of=${back}`,
        '-O',
        'raw',
      ]);
      assert.equal(r.code, 0, r.out);
      assert.equal(
        sha256(readFileSync(back)),
        sha256(data),
        `LUN ${l.lun_number} reads back what was written`,
      );
    }
    // Without CHAP the initiator is refused.
    const noChap = client([
      'iscsi-inq',
      '-i',
      INITIATOR,
      `iscsi://${portal}/${String(detail.target_iqn)}/${luns[0]!.lun_number}`,
    ]);
    assert.notEqual(noChap.code, 0, noChap.out);

    // A mapped LUN is attached: deleting it answers 534; the target with LUNs too.
    ngxError(await call('DELETE', `/api/v2/lun/${l2}`), 534);
    ngxError(await replay(call, 'ISCSI Target: Delete', { id: tid }), 534);
    const left = fieldByField(
      await replay(call, 'ISCSI Target: Delete LUN', { id: tid }, { lun_ids: [l1], owner: 'A' }),
    ) as {
      luns: { vol_id: string }[];
    };
    assert.deepEqual(
      left.luns.map((l) => l.vol_id),
      [l2],
    );
    await call('PATCH', `/api/v2/target/iscsi/lun/${tid}`, { lun_ids: [l2], owner: 'A' });
    fieldByField(await replay(call, 'ISCSI Target: Delete', { id: tid }));
    ngxError(await replay(call, 'ISCSI Target: Detail', { id: tid }), 611);
    ngxError(await call('PATCH', `/api/v2/iscsi_target/${tid}`, { name: 'x', owner: 'A' }), 611);
  },
);

// Runs after the tests above (a file's tests run in order); skipped with them, or when a name
// pattern picks only some.
test('NGX seed 002: every operation of the seed was replayed above', { skip: realPartsSkip() }, () => {
  assert.equal(examples.length, 60, 'the seed has 60 operations (its preface says 63)');
  assert.deepEqual(
    examples.filter((e) => !replayed.has(e.section)).map((e) => e.section),
    [],
  );
});
