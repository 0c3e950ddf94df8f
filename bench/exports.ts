// Export throughput against the raw backing file, from one run (root, real daemons):
//   node build/bench/exports.js            (BENCH_ROUNDS, default 3: the median of each is printed)
// iSCSI (libiscsi), NBD and the raw lun file run the same qemu-img bench: sequential 1 MiB writes
// (queue depth 8) ending in one flush, then 1 MiB reads and 4 KiB reads at queue depth 32 with the
// lun file's page cache dropped first. The raw side opens the file O_DIRECT (-t none): the flush and
// the dropped cache make the exports do the same work (data down to the pool's device, reads from
// it) instead of finishing in tgtd's or nbdkit's page cache. NBD also: fio 4k randrw (nbd engine
// against libaio --direct=1) and nbdcopy with several connections. The same qemu-img bench against
// a null tgtd LUN and nbdkit's null plugin gives each transport's ceiling on this machine.
// NFS (v3) and SMB: a 256 MiB file written and read with nfs-cp / smbclient against dd on the
// subvolume (conv=fsync / iflag=direct), each file's cache dropped before it is read.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportRig, type ExportBody } from '../test/integration/exports-support.js';
import { freePort } from '../test/support/cairn.js';
import { TGTD_ENV, ISCSI_TARGET_PARAMS } from '../src/system/tgt/argv.js';
import { benchRun } from './support.js';

const MiB = 1024 * 1024;
const SIZE = 256 * MiB;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const { t, cleanup } = benchRun();

/**
 * Runs a client without blocking: cairnd runs in this process, and a long spawnSync froze its
 * server (an idle keep-alive socket then reset under the next API request) and its supervisor.
 */
function run(argv: string[], env: Record<string, string> = {}) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { env: { ...process.env, ...env }, timeout: 600_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function timed(argv: string[], env: Record<string, string> = {}): Promise<number> {
  const start = process.hrtime.bigint();
  const r = await run(argv, env);
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stdout}${r.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Drops one file's clean pages from the page cache (posix_fadvise DONTNEED, not system-wide). */
async function dropCache(file: string): Promise<void> {
  await timed(['dd', `if=${file}`, 'iflag=nocache', 'count=0', 'status=none']);
}

/** qemu-img bench: seconds for `count` requests of `size` bytes (writes end in one flush). */
async function qbench(
  target: string[],
  o: { write: boolean; size: number; count: number; depth: number },
): Promise<number> {
  const r = await run([
    'qemu-img',
    'bench',
    ...(o.write ? ['-w', `--flush-interval=${o.count}`] : []),
    '-c',
    String(o.count),
    '-d',
    String(o.depth),
    '-s',
    String(o.size),
    ...target,
  ]);
  const m = /Run completed in ([\d.]+) seconds/.exec(r.stdout ?? '');
  if (!m) throw new Error(`qemu-img bench ${target.join(' ')}: ${r.stdout}${r.stderr}`);
  return Number(m[1]);
}

async function fioIops(args: string[]): Promise<number> {
  const r = await run([
    'fio',
    '--output-format=json',
    '--runtime=5',
    '--time_based',
    '--bs=4k',
    '--iodepth=16',
    '--rw=randrw',
    ...args,
  ]);
  const j = JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))) as {
    jobs: { read: { iops: number }; write: { iops: number } }[];
  };
  return j.jobs[0]!.read.iops + j.jobs[0]!.write.iops;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Row {
  protocol: string;
  what: string;
  value: number;
  raw: number;
  unit: string;
  /** The same client against the same daemon with a null backend: what the transport allows. */
  ceiling?: number;
}

/**
 * Null targets, started by the bench itself (killed by PID at the end): tgtd with Cairn's tuning
 * and a `--bstype null` LUN, nbdkit's null plugin. They store nothing, so the same client against
 * them measures the transport alone (copies through loopback TCP, the daemon's and the client's
 * CPU): no export backed by a file can beat them.
 */
async function nullTargets(dir: string, bytes: number): Promise<{ iscsi: string[]; nbd: string[] }> {
  const [iscsiPort, nbdPort] = [await freePort(), await freePort()];
  const env = { ...process.env, ...TGTD_ENV, TGT_IPC_SOCKET: join(dir, 'null-tgtd.sock') };
  const tgtd = spawn('tgtd', ['-f', '-C', '0', '--iscsi', `portal=127.0.0.1:${iscsiPort}`], {
    env,
    stdio: 'ignore',
  });
  t.after(() => tgtd.kill('SIGKILL'));
  const adm = (...args: string[]) => {
    const r = spawnSync('tgtadm', ['-C', '0', '--lld', 'iscsi', ...args], { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tgtadm ${args.join(' ')}: ${r.stderr}`);
  };
  for (let i = 0; ; i++) {
    const r = spawnSync('tgtadm', ['-C', '0', '--lld', 'iscsi', '--op', 'show', '--mode', 'sys'], { env });
    if (r.status === 0) break;
    if (i > 50) throw new Error('null tgtd did not start');
    await new Promise((res) => setTimeout(res, 100));
  }
  adm('--op', 'new', '--mode', 'target', '--tid', '1', '--targetname', 'iqn.2024-01.io.cairn.bench:null');
  for (const [name, value] of ISCSI_TARGET_PARAMS)
    adm('--op', 'update', '--mode', 'target', '--tid', '1', '--name', name, '--value', value);
  adm(
    '--op',
    'new',
    '--mode',
    'logicalunit',
    '--tid',
    '1',
    '--lun',
    '1',
    '--bstype',
    'null',
    '--backing-store',
    'null',
  );
  adm('--op', 'bind', '--mode', 'target', '--tid', '1', '--initiator-address', '127.0.0.1');
  // nbdkit forks into the background here (a foreground nbdkit dies with the process that started it).
  const pidFile = join(dir, 'null-nbdkit.pid');
  const r = spawnSync('nbdkit', [
    '-i',
    '127.0.0.1',
    '-p',
    String(nbdPort),
    '-P',
    pidFile,
    'null',
    String(bytes),
  ]);
  if (r.status !== 0) throw new Error(`nbdkit null: ${String(r.stderr)}`);
  // The forked server writes the pidfile a moment after the parent exits.
  for (let i = 0; !existsSync(pidFile); i++) {
    if (i > 50) throw new Error('null nbdkit wrote no pidfile');
    await new Promise((res) => setTimeout(res, 100));
  }
  const nbdPid = Number(readFileSync(pidFile, 'utf8').trim());
  t.after(() => process.kill(nbdPid, 'SIGTERM'));
  return {
    iscsi: [
      '--image-opts',
      `driver=iscsi,transport=tcp,portal=127.0.0.1:${iscsiPort},target=iqn.2024-01.io.cairn.bench:null,lun=1,initiator-name=iqn.2024-01.io.cairn.bench:c`,
    ],
    nbd: ['-f', 'raw', `nbd://127.0.0.1:${nbdPort}`],
  };
}

async function main() {
  const rig = await exportRig(t, { lunBytes: 512 * MiB, diskBytes: 4096 * MiB });
  const c = rig.cairn;
  const rows: Row[] = [];
  const mbps = (secs: number, bytes = SIZE) => bytes / MiB / secs;
  const lunFile = rig.lun.lunFile!;
  const q = async (target: string[]) => {
    const w = mbps(await qbench(target, { write: true, size: MiB, count: SIZE / MiB, depth: 8 }));
    await dropCache(lunFile);
    const r = mbps(await qbench(target, { write: false, size: MiB, count: SIZE / MiB, depth: 8 }));
    await dropCache(lunFile);
    const iops = 20000 / (await qbench(target, { write: false, size: 4096, count: 20000, depth: 32 }));
    return { w, r, iops };
  };
  const rawTarget = ['-f', 'raw', '-t', 'none', '-i', 'native', lunFile];
  const rawFio = ['--name=raw', '--ioengine=libaio', '--direct=1', `--filename=${lunFile}`, `--size=${SIZE}`];

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
  const iscsiTarget = [
    '--image-opts',
    `driver=iscsi,transport=tcp,portal=127.0.0.1:${rig.ports.iscsi},target=${iscsi.name},lun=1,initiator-name=iqn.2024-01.io.cairn.bench:c`,
  ];
  const nbd = (
    await c.admin.request<ExportBody>('POST', `volumes/${rig.lun.id}/exports?wait=60`, {
      protocol: 'nbd',
      name: 'bench',
    })
  ).body;
  const nbdFio = ['--name=nbd', '--ioengine=nbd', `--uri=${nbd.uri}`, `--size=${SIZE}`];
  // nbdcopy reads the whole export (the lun is larger than SIZE) into null:, against dd O_DIRECT.
  const lunBytes = rig.lun.size;
  const nbdcopyRead = async () => {
    await dropCache(lunFile);
    return mbps(await timed(['nbdcopy', '--connections=4', '--requests=16', nbd.uri, 'null:']), lunBytes);
  };
  const ddRead = async () =>
    mbps(
      await timed(['dd', `if=${lunFile}`, 'of=/dev/null', 'bs=4M', 'iflag=direct', 'status=none']),
      lunBytes,
    );

  const nulls = await nullTargets(rig.dir, rig.lun.size);

  // Rounds interleave raw and the exports so that load from elsewhere on the machine hits both.
  const samples: Record<string, number[]> = {};
  const add = (k: string, v: number) => (samples[k] ??= []).push(v);
  for (let i = 0; i < ROUNDS; i++) {
    for (const [p, target] of [
      ['raw', rawTarget],
      ['iscsi', iscsiTarget],
      ['nbd', ['-f', 'raw', nbd.uri]],
      ['iscsi null', nulls.iscsi],
      ['nbd null', nulls.nbd],
    ] as const) {
      const m = await q([...target]);
      add(`${p} w`, m.w);
      add(`${p} r`, m.r);
      add(`${p} iops`, m.iops);
    }
    add('raw fio', await fioIops(rawFio));
    add('nbd fio', await fioIops(nbdFio));
    add('raw dd', await ddRead());
    add('nbd nbdcopy', await nbdcopyRead());
  }
  const med = (k: string) => median(samples[k]!);
  for (const p of ['iscsi', 'nbd']) {
    rows.push({
      protocol: p,
      what: 'seq write 1M qd8',
      value: med(`${p} w`),
      raw: med('raw w'),
      ceiling: med(`${p} null w`),
      unit: 'MiB/s',
    });
    rows.push({
      protocol: p,
      what: 'seq read 1M qd8',
      value: med(`${p} r`),
      raw: med('raw r'),
      ceiling: med(`${p} null r`),
      unit: 'MiB/s',
    });
    rows.push({
      protocol: p,
      what: '4k read qd32',
      value: med(`${p} iops`),
      raw: med('raw iops'),
      ceiling: med(`${p} null iops`),
      unit: 'IOPS',
    });
  }
  rows.push({
    protocol: 'nbd',
    what: '4k randrw qd16 (fio)',
    value: med('nbd fio'),
    raw: med('raw fio'),
    unit: 'IOPS',
  });
  rows.push({
    protocol: 'nbd',
    what: 'seq read (nbdcopy 4x16)',
    value: med('nbd nbdcopy'),
    raw: med('raw dd'),
    unit: 'MiB/s',
  });

  // file protocols against cp into / out of the subvolume
  const src = rig.randomFile('bench.bin', SIZE);
  const rawW = mbps(
    await timed([
      'dd',
      `if=${src.path}`,
      `of=${join(rig.fs.path, 'raw.bin')}`,
      'bs=1M',
      'conv=fsync',
      'status=none',
    ]),
  );
  await dropCache(join(rig.fs.path, 'raw.bin'));
  const rawR = mbps(
    await timed([
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
    value: mbps(await timed(['nfs-cp', src.path, nfsUrl])),
    raw: rawW,
    unit: 'MiB/s',
  });
  rows.push({
    protocol: 'nfs',
    what: 'seq read (nfs-cp)',
    value:
      (await dropCache(join(rig.fs.path, 'nfs.bin')),
      mbps(await timed(['nfs-cp', nfsUrl, join(rig.dir, 'nfs.back')]))),
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
    value: mbps(await smbc(`put ${src.path} smb.bin`)),
    raw: rawW,
    unit: 'MiB/s',
  });
  rows.push({
    protocol: 'smb',
    what: 'seq read (smbclient get)',
    value:
      (await dropCache(join(rig.fs.path, 'smb.bin')),
      mbps(await smbc(`get smb.bin ${join(rig.dir, 'smb.back')}`))),
    raw: rawR,
    unit: 'MiB/s',
  });

  for (const e of [iscsi, nbd, nfs, smb])
    await c.admin.request('DELETE', `exports/${e.id}?wait=60&force=true`);
  await c.admin.request('DELETE', `hosts/${host.id}`);

  const pad = (x: string, n: number) => x.padStart(n);
  console.log(
    `${'protocol'.padEnd(8)} ${'measure'.padEnd(28)} ${pad('export', 8)} ${pad('raw', 8)} ${'unit'.padEnd(6)} ${pad('ratio', 6)} ${pad('null', 8)} ${pad('null/raw', 8)} ${pad('exp/null', 8)}`,
  );
  for (const r of rows) {
    const c = r.ceiling;
    console.log(
      `${r.protocol.padEnd(8)} ${r.what.padEnd(28)} ${pad(r.value.toFixed(0), 8)} ${pad(r.raw.toFixed(0), 8)} ${r.unit.padEnd(6)} ${pad((r.value / r.raw).toFixed(2), 6)} ${pad(c ? c.toFixed(0) : '-', 8)} ${pad(c ? (c / r.raw).toFixed(2) : '-', 8)} ${pad(c ? (r.value / c).toFixed(2) : '-', 8)}`,
    );
  }
}

try {
  await main();
} finally {
  await cleanup();
}
