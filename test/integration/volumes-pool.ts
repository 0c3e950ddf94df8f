// A real btrfs pool for volume tests until the storage area is merged: a sparse file on a loop
// device, mkfs.btrfs, mounted where the pool service would mount it (paths.poolMount) with quotas
// on, and a small PoolAccess that hands it to the volume service. Cleaned up by mount point and device.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { CairnError } from '../../src/domain/errors.js';
import type { Principal } from '../../src/domain/permissions.js';
import type { MountedPool, PoolAccess } from '../../src/services/contracts.js';
import { dfFigures } from '../../src/system/statfs.js';
import { loopDevice, sh, sparseFile, tempDir, type T } from '../support/real.js';
import type { InProcessCairn } from '../support/cairn.js';

export interface TestPool extends MountedPool {
  access: PoolAccess;
}

export async function testPool(t: T, c: { dataDir: string }, sizeBytes = 3 * 1024 ** 3): Promise<TestPool> {
  const id = randomUUID();
  const img = await sparseFile(join(tempDir(t, 'cairn-vol-img-'), 'pool.img'), sizeBytes);
  const dev = loopDevice(t, img);
  sh(['mkfs.btrfs', '-f', '-q', dev]);
  const mountPath = join(c.dataDir, 'pools', id);
  mkdirSync(mountPath, { recursive: true });
  sh(['mount', '-o', 'compress=zstd', dev, mountPath]);
  t.after(() => {
    sh(['umount', mountPath], { allowFail: true });
  });
  const pool: MountedPool = {
    id,
    name: `p-${id.slice(0, 6)}`,
    mountPath,
    compression: 'zstd',
    devices: [dev],
  };
  const access: PoolAccess = {
    async mounted(poolId: string, principal?: Principal) {
      if (poolId !== id) throw new CairnError('POOL_NOT_FOUND', { id: poolId });
      if (principal?.pools && !principal.pools.includes(poolId))
        throw new CairnError('OUT_OF_SCOPE', { pool: poolId });
      return pool;
    },
    async size(poolId: string, principal?: Principal) {
      await this.mounted(poolId, principal);
      return (await dfFigures(mountPath))?.size ?? 0;
    },
  };
  return { ...pool, access };
}

/** Starts nothing: hands the pool to a running in-process cairn (again after each restart). */
export function attach(c: InProcessCairn, p: TestPool): InProcessCairn {
  c.app.services.volumes.attachPools(p.access);
  return c;
}

export const MiB = 1024 * 1024;

export function qgroupOf(path: string): {
  referenced: number;
  exclusive: number;
  maxReferenced: number | null;
} {
  const out = sh(['btrfs', 'qgroup', 'show', '-reF', '--raw', path]);
  const line = out.split('\n').find((l) => /^0\/\d+/.test(l.trim()))!;
  const [, rfer, excl, maxr] = line.trim().split(/\s+/);
  return {
    referenced: Number(rfer),
    exclusive: Number(excl),
    maxReferenced: maxr === 'none' ? null : Number(maxr),
  };
}

export function staleQgroups(mount: string): string[] {
  return sh(['btrfs', 'qgroup', 'show', '-re', '--raw', mount])
    .split('\n')
    .filter((l) => l.includes('<stale>'))
    .map((l) => l.trim().split(/\s+/)[0]!);
}

// The answer helpers live in test/support/api.ts; re-exported for the volume tests that import them here.
export { call, expectError } from '../support/api.js';
