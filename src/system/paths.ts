// Where things live on disk, built from ids only: a name a user chose never reaches a path.
// Every adapter and job gets its paths from here.
import { join } from 'node:path';

export interface Paths {
  dataDir: string;
  /** Sparse files behind virtual disks: <data>/disks/<diskId>.img */
  diskFile(diskId: string): string;
  /** Where a pool's top-level btrfs volume is mounted: <data>/pools/<poolId> */
  poolMount(poolId: string): string;
  /** A volume's subvolume inside its pool: <pool>/volumes/<volumeId> (also a filesystem volume's `path`). */
  volume(poolId: string, volumeId: string): string;
  /** The data file of a lun volume: <pool>/volumes/<volumeId>/lun.img */
  lunFile(poolId: string, volumeId: string): string;
  /** A read-only snapshot subvolume: <pool>/snapshots/<snapshotId> */
  snapshot(poolId: string, snapshotId: string): string;
  /** Per-export mount points (ganesha needs each subvolume mounted on its own): <data>/exports/<exportId> */
  exportMount(exportId: string): string;
  /** Where an attached volume is mounted when its requester names no path: <data>/mounts/<volumeId> */
  attachMount(volumeId: string): string;
  /** State, configuration and logs of a supervised daemon: <data>/daemons/<name> */
  daemonDir(name: string): string;
  /** Scratch space for a job: <data>/tmp/<jobId> */
  jobTmp(jobId: string): string;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Refuses anything but an id-shaped string, so no path can be steered with ../ or slashes. */
export function safeId(id: string): string {
  if (!ID.test(id)) throw new Error(`not an id: ${JSON.stringify(id)}`);
  return id;
}

export function makePaths(dataDir: string): Paths {
  const pools = join(dataDir, 'pools');
  return {
    dataDir,
    diskFile: (id) => join(dataDir, 'disks', `${safeId(id)}.img`),
    poolMount: (id) => join(pools, safeId(id)),
    volume: (p, v) => join(pools, safeId(p), 'volumes', safeId(v)),
    lunFile: (p, v) => join(pools, safeId(p), 'volumes', safeId(v), 'lun.img'),
    snapshot: (p, s) => join(pools, safeId(p), 'snapshots', safeId(s)),
    exportMount: (id) => join(dataDir, 'exports', safeId(id)),
    attachMount: (id) => join(dataDir, 'mounts', safeId(id)),
    daemonDir: (name) => join(dataDir, 'daemons', safeId(name)),
    jobTmp: (id) => join(dataDir, 'tmp', safeId(id)),
  };
}
