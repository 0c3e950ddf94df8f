// Export throughput against the raw backing file, from one run (root, real daemons):
//   node build/bench/exports.js
// iSCSI, NBD and the raw lun file: qemu-img bench (1 MiB sequential write and read, 4 KiB reads at
// queue depth 32) with the same parameters; NBD and raw also fio 4k random read/write IOPS.
// NFS (v3) and SMB: a 256 MiB file written and read with nfs-cp / smbclient against cp on the subvolume.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportRig, type ExportBody } from '../test/integration/exports-support.js';

const MiB = 1024 * 1024;
const SIZE = 256 * MiB;
const hooks: (() => unknown)[] = [];
const t = { after: (fn: () => unknown) => void hooks.push(fn) };

function timed(argv: string[], env: Record<string, string> = {}): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(argv[0]!, argv.slice(1), {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stdout}${r.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** qemu-img bench: seconds for `count` requests of `size` bytes. */
function qbench(target: string[], o: { write: boolean; size: number; count: number; depth: number }): number {
  const r = spawnSync(
    'qemu-img',
    [
      'bench',
      ...(o.write ? ['-w'] : []),
      '-c',
      String(o.count),
      '-d',
      String(o.depth),
      '-s',
      String(o.size),
      ...target,
    ],
    { encoding: 'utf8', timeout: 600_000 },
  );
  const m = /Run completed in ([\d.]+) seconds/.exec(r.stdout ?? '');
  if (!m) throw new Error(`qemu-img bench ${target.join(' ')}: ${r.stdout}${r.stderr}`);
  return Number(m[1]);
}

function fioIops(args: string[]): number {
  const r = spawnSync(
    'fio',
    [
      '--output-format=json',
      '--runtime=5',
      '--time_based',
      '--bs=4k',
      '--iodepth=16',
      '--rw=randrw',
      ...args,
    ],
    {
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  const j = JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))) as {
    jobs: { read: { iops: number }; write: { iops: number } }[];
  };
  return j.jobs[0]!.read.iops + j.jobs[0]!.write.iops;
}

interface Row {
  protocol: string;
  what: string;
  value: number;
  raw: number;
  unit: string;
}

async function main() {
  const rig = await exportRig(t, { lunBytes: 512 * MiB, diskBytes: 4096 * MiB });
  const c = rig.cairn;
  const rows: Row[] = [];
  const mbps = (secs: number, bytes = SIZE) => bytes / MiB / secs;
  const q = (target: string[]) => ({
    w: mbps(qbench(target, { write: true, size: MiB, count: SIZE / MiB, depth: 8 })),
    r: mbps(qbench(target, { write: false, size: MiB, count: SIZE / MiB, depth: 8 })),
    iops: 20000 / qbench(target, { write: false, size: 4096, count: 20000, depth: 32 }),
  });

  const raw = q(['-f', 'raw', '-t', 'none', '-i', 'native', rig.lun.lunFile!]);
  const rawRand = fioIops([
    '--name=raw',
    '--ioengine=libaio',
    '--direct=1',
    `--filename=${rig.lun.lunFile!}`,
    `--size=${SIZE}`,
  ]);

  const host = (
    await c.admin.request<{ id: string }>('POST', 'hosts', {
      name: 'bench',
      iqns: ['iqn.2024-01.io.cairn.bench:c'],
    })
  ).body;
  const iscsi = (
    await c.admin.request<ExportBody>('POST', `volumes/${rig.lun.id}/exports?wait=60`, {
      protocol: 'iscsi',
      hosts: [host.id],
    })
  ).body;
  const is = q([
    '--image-opts',
    `driver=iscsi,transport=tcp,portal=127.0.0.1:${rig.ports.iscsi},target=${iscsi.name},lun=1,initiator-name=iqn.2024-01.io.cairn.bench:c`,
  ]);
  const nbd = (
    await c.admin.request<ExportBody>('POST', `volumes/${rig.lun.id}/exports?wait=60`, {
      protocol: 'nbd',
      name: 'bench',
    })
  ).body;
  const nb = q(['-f', 'raw', nbd.uri]);
  const nbRand = fioIops(['--name=nbd', '--ioengine=nbd', `--uri=${nbd.uri}`, `--size=${SIZE}`]);
  for (const [p, m] of [
    ['iscsi', is],
    ['nbd', nb],
  ] as const) {
    rows.push({ protocol: p, what: 'seq write 1M', value: m.w, raw: raw.w, unit: 'MiB/s' });
    rows.push({ protocol: p, what: 'seq read 1M', value: m.r, raw: raw.r, unit: 'MiB/s' });
    rows.push({ protocol: p, what: '4k read qd32', value: m.iops, raw: raw.iops, unit: 'IOPS' });
  }
  rows.push({ protocol: 'nbd', what: '4k randrw (fio)', value: nbRand, raw: rawRand, unit: 'IOPS' });

  // file protocols against cp into / out of the subvolume
  const src = rig.randomFile('bench.bin', SIZE);
  const rawW = mbps(
    timed([
      'dd',
      `if=${src.path}`,
      `of=${join(rig.fs.path, 'raw.bin')}`,
      'bs=1M',
      'conv=fsync',
      'status=none',
    ]),
  );
  const rawR = mbps(
    timed([
      'dd',
      `if=${join(rig.fs.path, 'raw.bin')}`,
      'of=/dev/null',
      'bs=1M',
      'iflag=direct',
      'status=none',
    ]),
  );
  const nfs = (
    await c.admin.request<ExportBody>('POST', `volumes/${rig.fs.id}/exports?wait=60`, {
      protocol: 'nfs',
      allowed: ['127.0.0.1'],
      root_squash: false,
    })
  ).body;
  const [base, qs] = nfs.uri.split('?');
  const nfsUrl = `${base}/nfs.bin${qs ? `?${qs}` : ''}`;
  rows.push({
    protocol: 'nfs',
    what: 'seq write (nfs-cp)',
    value: mbps(timed(['nfs-cp', src.path, nfsUrl])),
    raw: rawW,
    unit: 'MiB/s',
  });
  rows.push({
    protocol: 'nfs',
    what: 'seq read (nfs-cp)',
    value: mbps(timed(['nfs-cp', nfsUrl, join(rig.dir, 'nfs.back')])),
    raw: rawR,
    unit: 'MiB/s',
  });
  const smb = (
    await c.admin.request<ExportBody>('POST', `volumes/${rig.fs.id}/exports?wait=60`, {
      protocol: 'smb',
      name: 'bench',
      users: [{ name: 'bench', password: 'Bench-passw0rd' }],
    })
  ).body;
  const creds = join(rig.dir, 'creds');
  writeFileSync(creds, 'username = bench\npassword = Bench-passw0rd\n', { mode: 0o600 });
  const smbc = (cmd: string) =>
    timed(['smbclient', '-p', String(rig.ports.smb), `//127.0.0.1/${smb.name}`, '-A', creds, '-c', cmd]);
  rows.push({
    protocol: 'smb',
    what: 'seq write (smbclient put)',
    value: mbps(smbc(`put ${src.path} smb.bin`)),
    raw: rawW,
    unit: 'MiB/s',
  });
  rows.push({
    protocol: 'smb',
    what: 'seq read (smbclient get)',
    value: mbps(smbc(`get smb.bin ${join(rig.dir, 'smb.back')}`)),
    raw: rawR,
    unit: 'MiB/s',
  });

  for (const e of [iscsi, nbd, nfs, smb])
    await c.admin.request('DELETE', `exports/${e.id}?wait=60&force=true`);
  await c.admin.request('DELETE', `hosts/${host.id}`);

  console.log(
    `${'protocol'.padEnd(8)} ${'measure'.padEnd(26)} ${'export'.padStart(10)} ${'raw'.padStart(10)} ${'unit'.padEnd(6)} ratio`,
  );
  for (const r of rows)
    console.log(
      `${r.protocol.padEnd(8)} ${r.what.padEnd(26)} ${r.value.toFixed(0).padStart(10)} ${r.raw.toFixed(0).padStart(10)} ${r.unit.padEnd(6)} ${(r.value / r.raw).toFixed(2)}`,
    );
}

try {
  await main();
} finally {
  for (const h of hooks) await h();
}
