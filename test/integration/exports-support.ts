// Shared set-up for the export tests: a real btrfs on a loop device with a filesystem subvolume and
// a lun file, served to the export area through a small VolumeAccess (until the volume area lands),
// free ports for every daemon, and a cleanup that stops cairn before unmounting and detaching.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCairn, type InProcessCairn } from '../support/cairn.js';
import { exportPortEnv, freeExportPortNumbers, type ExportPorts } from '../support/export-ports.js';
import { releaseDataDir, sh, sparseFile, type T } from '../support/real.js';
import type { ExportableVolume, VolumeAccess } from '../../src/services/contracts.js';
import type { StoreKind } from '../support/stores.js';
import { CairnError } from '../../src/domain/errors.js';

export const MiB = 1024 * 1024;
export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export interface ExportRig {
  cairn: InProcessCairn;
  dir: string;
  ports: ExportPorts;
  lun: ExportableVolume;
  fs: ExportableVolume;
  /** A file of random bytes in the rig's scratch dir. */
  randomFile(name: string, bytes: number): { path: string; sum: string };
}

/** Starts cairn with free daemon ports and a real btrfs with one lun and one filesystem volume. */
export async function exportRig(
  t: T,
  opts: { store?: StoreKind; lunBytes?: number; diskBytes?: number } = {},
): Promise<ExportRig> {
  const ports = await freeExportPortNumbers();
  Object.assign(process.env, await exportPortEnv(ports));
  const dir = mkdtempSync(join(process.env.CAIRN_TEST_ROOT ?? tmpdir(), 'cairn-x-'));
  const img = await sparseFile(join(dir, 'disk.img'), opts.diskBytes ?? 1024 * MiB);
  const dev = sh(['losetup', '--show', '-f', img]).trim();
  const mnt = join(dir, 'pool');
  mkdirSync(mnt);
  const started: { cairn?: InProcessCairn } = {};
  // One cleanup, in order: cairn (daemons) first, then its export mounts, then the pool, then the loop.
  t.after(async () => {
    await started.cairn?.stop();
    if (started.cairn) releaseDataDir(started.cairn.dataDir);
    sh(['umount', mnt], { allowFail: true });
    sh(['losetup', '-d', dev], { allowFail: true });
    rmSync(dir, { recursive: true, force: true });
  });
  sh(['mkfs.btrfs', '-f', '-q', dev]);
  sh(['mount', dev, mnt]);
  sh(['btrfs', 'subvolume', 'create', join(mnt, 'fsvol')]);
  sh(['btrfs', 'subvolume', 'create', join(mnt, 'lunvol')]);
  sh(['chattr', '+C', join(mnt, 'lunvol')]);
  const lunFile = await sparseFile(join(mnt, 'lunvol', 'lun.img'), opts.lunBytes ?? 256 * MiB);
  const cairn = await startCairn(t, { store: opts.store ?? 'sqlite' });
  started.cairn = cairn;
  const poolId = 'pool-test';
  const fs: ExportableVolume = {
    id: 'vol-fs-0001',
    name: 'fsvol',
    type: 'filesystem',
    poolId,
    path: join(mnt, 'fsvol'),
    lunFile: null,
    size: 512 * MiB,
    blockSize: null,
    devices: [dev],
  };
  const lun: ExportableVolume = {
    id: 'vol-lun-0001',
    name: 'lunvol',
    type: 'lun',
    poolId,
    path: join(mnt, 'lunvol'),
    lunFile,
    size: opts.lunBytes ?? 256 * MiB,
    blockSize: 512,
    devices: [dev],
  };
  const access: VolumeAccess = {
    exportable: async (id, principal) => {
      const v = [fs, lun].find((x) => x.id === id);
      if (!v) throw new CairnError('VOLUME_NOT_FOUND', { id });
      if (principal?.pools && !principal.pools.includes(v.poolId)) throw new CairnError('OUT_OF_SCOPE');
      return v;
    },
  };
  cairn.app.services.exports.useVolumeAccess(access);
  return {
    cairn,
    dir,
    ports,
    lun,
    fs,
    randomFile: (name, bytes) => {
      const buf = randomBytes(bytes);
      const path = join(dir, name);
      writeFileSync(path, buf);
      return { path, sum: sha256(buf) };
    },
  };
}

export const fileSum = (path: string) => sha256(readFileSync(path));

/** Runs a client; returns exit code and output instead of throwing. */
export function client(
  argv: string[],
  env: Record<string, string> = {},
  input?: string,
): { code: number; out: string } {
  const r = spawnSync(argv[0]!, argv.slice(1), {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 120_000,
    input,
  });
  return { code: r.status ?? -1, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

export interface ExportBody {
  id: string;
  uri: string;
  name: string;
  state: string;
  protocol: string;
  options: Record<string, unknown>;
}

export interface ServiceBody {
  name: string;
  state: string;
  pid: number | null;
  restarts: number;
  last_error: string | null;
}

export async function service(c: InProcessCairn, name: string): Promise<ServiceBody | undefined> {
  const r = await c.admin.get<{ items: ServiceBody[] }>('services');
  return r.items.find((s) => s.name === name);
}
