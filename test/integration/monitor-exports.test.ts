// Per-export statistics with real daemons and real clients: an iSCSI initiator (qemu-io over
// libiscsi), an SMB client (smbclient) and an NBD client (qemu-io over libnbd) each hold a
// connection open; the export's live figures, its raw history and /metrics show the count move up
// while the client is connected and back to zero after it quits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportRig, type ExportBody } from './exports-support.js';
import { realPartsSkip, stopProcess, waitFor, type T } from '../support/real.js';
import { ADMIN_PASSWORD, type InProcessCairn } from '../support/cairn.js';

const skip = realPartsSkip();
const IQN = 'iqn.2024-01.io.cairn.test:monitor-client';
const MiB = 1024 * 1024;

/** A client that stays connected until its stdin ends (interactive qemu-io, smbclient). */
function holdOpen(t: T, argv: string[]): ChildProcess & { output: () => string; quit: () => void } {
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  child.stdin.on('error', () => undefined);
  t.after(() => stopProcess(child));
  return Object.assign(child, { output: () => out, quit: () => child.stdin.end() });
}

async function live(c: InProcessCairn, id: string): Promise<Record<string, number>> {
  await c.app.services.monitor.sampleNow();
  return (await c.admin.get<{ metrics: Record<string, number> }>(`stats/export/${id}`)).metrics;
}

/** Samples until `metric` of the export reads `want`; answers the figures that did. */
const until = (c: InProcessCairn, id: string, metric: string, want: number, what: string) =>
  waitFor(
    what,
    async () => {
      const m = await live(c, id);
      return m[metric] === want ? m : undefined;
    },
    60_000,
    250,
  );

test('export statistics follow real iSCSI, SMB and NBD clients', { skip }, async (t) => {
  const rig = await exportRig(t, { lunBytes: 64 * MiB });
  const c = rig.cairn;
  const host = (await c.admin.request<{ id: string }>('POST', 'hosts', { name: 'mon', iqns: [IQN] })).body;
  const make = async (volume: string, body: Record<string, unknown>) => {
    const r = await c.admin.request<ExportBody>('POST', `volumes/${volume}/exports?wait=60`, body);
    assert.equal(r.body.state, 'active', JSON.stringify(r.body));
    return r.body;
  };
  const iscsi = await make(rig.lun.id, { protocol: 'iscsi', hosts: [host.id] });
  const nbd = await make(rig.lun.id, { protocol: 'nbd', name: 'mondisk', read_only: true });
  const smb = await make(rig.fs.id, {
    protocol: 'smb',
    name: 'monshare',
    users: [{ name: 'carol', password: 'Carol-passw0rd' }],
    allowed: ['127.0.0.1'],
  });

  // Nobody connected: every figure the daemons report is there, at zero.
  const idle = await live(c, iscsi.id);
  assert.deepEqual(idle, { daemon_up: 1, sessions: 0, connections: 0, clients: 0 });
  assert.deepEqual(await live(c, smb.id), { daemon_up: 1, connections: 0, clients: 0, open_files: 0 });
  assert.deepEqual(await live(c, nbd.id), { daemon_up: 1, connections: 0, clients: 0 });

  // iSCSI: one initiator logs in and stays.
  const m = /^iscsi:\/\/([^/]+)\/([^/]+)\/(\d+)$/.exec(iscsi.uri)!;
  const ini = holdOpen(t, [
    'qemu-io',
    '--image-opts',
    `driver=iscsi,transport=tcp,portal=${m[1]},target=${m[2]},lun=${m[3]},initiator-name=${IQN}`,
  ]);
  const on = await until(c, iscsi.id, 'sessions', 1, 'the iSCSI session counted');
  assert.equal(on.connections, 1);
  assert.equal(on.clients, 1, ini.output());

  // SMB: a user connects to the share and stays.
  const creds = join(rig.dir, 'creds');
  writeFileSync(creds, 'username = carol\npassword = Carol-passw0rd\n', { mode: 0o600 });
  const share = holdOpen(t, ['smbclient', '-p', String(rig.ports.smb), '//127.0.0.1/monshare', '-A', creds]);
  const smbOn = await until(c, smb.id, 'connections', 1, 'the SMB tree connect counted');
  assert.equal(smbOn.clients, 1, share.output());

  // NBD: a client opens the export and stays.
  const nbdClient = holdOpen(t, ['qemu-io', '-r', '-f', 'raw', nbd.uri]);
  const nbdOn = await until(c, nbd.id, 'connections', 1, 'the NBD connection counted');
  assert.equal(nbdOn.clients, 1, nbdClient.output());

  // /metrics carries the same figures as cairn_export_* with the export's labels.
  const auth = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
  const text = await (await fetch(`${c.url}/metrics`, { headers: { authorization: auth } })).text();
  assert.match(text, /# TYPE cairn_export_sessions gauge/);
  assert.match(text, new RegExp(`cairn_export_sessions\\{id="${iscsi.id}",[^}]*\\} 1\\n`));
  assert.match(text, new RegExp(`cairn_export_connections\\{id="${smb.id}",[^}]*\\} 1\\n`));
  assert.match(text, new RegExp(`cairn_export_connections\\{id="${nbd.id}",[^}]*\\} 1\\n`));

  // The clients quit: the counts go back to zero.
  ini.quit();
  share.quit();
  nbdClient.quit();
  await until(c, iscsi.id, 'sessions', 0, 'the iSCSI session gone');
  await until(c, smb.id, 'connections', 0, 'the SMB tree connect gone');
  await until(c, nbd.id, 'connections', 0, 'the NBD connection gone');

  // History keeps the episode: raw points of sessions went 0 → 1 → 0.
  const hist = await c.admin.get<{ series: { metric: string; points: { max: number; last: number }[] }[] }>(
    `stats/export/${iscsi.id}?view=history&resolution=raw&metrics=sessions`,
  );
  const pts = hist.series.find((s) => s.metric === 'sessions')!.points;
  assert.equal(pts[0]?.last, 0);
  assert.ok(pts.some((p) => p.max === 1));
  assert.equal(pts.at(-1)?.last, 0);

  for (const e of [iscsi, nbd, smb])
    assert.equal((await c.admin.request('DELETE', `exports/${e.id}?wait=60`)).status, 204);
  await c.admin.request('DELETE', `hosts/${host.id}`);
});
