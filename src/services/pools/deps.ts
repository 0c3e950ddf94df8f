// What the disk and pool services and their jobs need, handed over by the area wiring.
import type { Logger } from 'pino';
import type { DiskStore } from '../../store/disks.js';
import type { PoolStore } from '../../store/pools.js';
import type { Btrfs } from '../../system/btrfs/index.js';
import type { Loop } from '../../system/loop/index.js';
import type { Lsblk } from '../../system/lsblk/index.js';
import type { Wipefs } from '../../system/wipefs/index.js';
import type { Duperemove } from '../../system/duperemove/index.js';
import type { Paths } from '../../system/paths.js';
import type { EventSink } from '../../domain/events.js';
import type { JobEngine } from '../../jobs/engine.js';

export interface StorageDeps {
  disks: DiskStore;
  pools: PoolStore;
  btrfs: Btrfs;
  loop: Loop;
  lsblk: Lsblk;
  wipefs: Wipefs;
  duperemove: Duperemove;
  paths: Paths;
  events: EventSink;
  engine: JobEngine;
  logger: Logger;
  /** CAIRN_DOCKER_POOL: the pool (name or id) new volumes go to when a request names none. */
  defaultPool?: string;
}
