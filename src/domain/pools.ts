// Pools: the wire schemas (the entity, and the create/update/device-change bodies derived from
// one another) whose `Static<>` types the pool service takes. Pure: no I/O.
import { Type, type Static } from '@sinclair/typebox';
import { NAME_PATTERN } from './names.js';
import { COMPRESSIONS, DATA_PROFILES, HEALTHS, POOL_STATES, SYNC_POLICIES, type Profile } from './storage.js';
import { OneOf as lit } from './wire.js';

export const ProfileT = lit(DATA_PROFILES, 'btrfs block group profile');
const DiskIds = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
  minItems: 1,
  maxItems: 64,
  uniqueItems: true,
});
const Bytes = Type.Integer({ description: 'bytes' });
const Group = Type.Object({ profile: Type.String(), allocated: Bytes, used: Bytes });
const DiskRef = Type.Object({
  id: Type.String(),
  name: Type.String(),
  path: Type.Union([Type.String(), Type.Null()]),
  devid: Type.Union([Type.Integer(), Type.Null()]),
  state: Type.String(),
  size: Bytes,
});

export const ScrubResult = Type.Object(
  {
    state: Type.String(),
    started_at: Type.String(),
    finished_at: Type.String(),
    bytes_scrubbed: Bytes,
    csum_errors: Type.Integer(),
    read_errors: Type.Integer(),
    corrected_errors: Type.Integer(),
    uncorrectable_errors: Type.Integer(),
    duration_seconds: Type.Number(),
    job_id: Type.String(),
  },
  { $id: 'ScrubResult' },
);
export type ScrubResult = Static<typeof ScrubResult>;

export const Pool = Type.Object(
  {
    id: Type.String(),
    name: Type.String({ pattern: NAME_PATTERN }),
    state: lit(POOL_STATES),
    health: lit(
      HEALTHS,
      'online, degraded (missing device or device errors) or faulted (not mounted, read-only, or more missing than the profile tolerates)',
    ),
    health_reason: Type.Union([Type.String(), Type.Null()]),
    profile: Type.Unsafe<Profile>(Type.String({ description: 'data profile' })),
    metadata_profile: Type.String(),
    compression: Type.String(),
    compression_level: Type.Union([Type.Integer(), Type.Null()]),
    compression_option: Type.String({ description: 'the btrfs compress= value' }),
    sync: Type.String(),
    sync_means: Type.String({ description: 'what the sync policy maps to on btrfs' }),
    mount_path: Type.String(),
    uuid: Type.Union([Type.String(), Type.Null()]),
    disks: Type.Array(DiskRef),
    spares: Type.Array(DiskRef),
    size: Type.Integer({
      description:
        'usable capacity in bytes: the filesystem size as df shows it (raw space divided by the data profile’s copies); the same in lists and the object. capacity.usable_size is btrfs’s estimate (used + free estimated)',
    }),
    used: Type.Integer({ description: 'bytes used, as df shows it (per copy of the data profile)' }),
    free: Type.Integer({ description: 'bytes available for new data, as df shows it' }),
    capacity: Type.Union([
      Type.Object({
        raw_size: Bytes,
        usable_size: Bytes,
        used: Bytes,
        free: Bytes,
        free_min: Bytes,
        allocated: Bytes,
        unallocated: Bytes,
        missing: Bytes,
        data_ratio: Type.Number(),
        metadata_ratio: Type.Number(),
        data: Group,
        metadata: Group,
        system: Group,
        global_reserve: Bytes,
        multiple_profiles: Type.Boolean(),
        compression: Type.Union([
          Type.Object({
            logical_bytes: Bytes,
            stored_bytes: Bytes,
            ratio: Type.Union([Type.Number(), Type.Null()]),
          }),
          Type.Null(),
        ]),
        dedup_saved_bytes: Bytes,
      }),
      Type.Null(),
    ]),
    health_detail: Type.Union([
      Type.Object({
        health: Type.String(),
        reasons: Type.Array(Type.String()),
        mounted: Type.Boolean(),
        mount_options: Type.Array(Type.String()),
        devices: Type.Array(
          Type.Object({
            disk_id: Type.Union([Type.String(), Type.Null()]),
            devid: Type.Integer(),
            path: Type.Union([Type.String(), Type.Null()]),
            missing: Type.Boolean(),
            missing_reason: Type.Union([Type.String(), Type.Null()]),
            errors: Type.Record(Type.String(), Type.Integer()),
            error_total: Type.Integer(),
          }),
        ),
      }),
      Type.Null(),
    ]),
    // A reference in the document; typed as the result it names.
    last_scrub: Type.Union([Type.Unsafe<ScrubResult>(Type.Ref('ScrubResult')), Type.Null()]),
    dedup_saved_bytes: Bytes,
    dedup: Type.Object(
      {
        schedule: Type.Union([Type.String(), Type.Null()], {
          description:
            'when duperemove runs over the pool (cron, the system time zone); null: never on its own',
        }),
        schedule_description: Type.Union([Type.String(), Type.Null()]),
        last_run_at: Type.Union([Type.String(), Type.Null()]),
        saved_bytes: Bytes,
        ratio: Type.Number({ description: '(used + saved) / used; 1 when dedup saved nothing' }),
      },
      { description: 'deduplication as a pool setting: scheduled duperemove runs and what they saved' },
    ),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { $id: 'Pool' },
);
/** A pool as the API shows it (services/pools/wire.ts maps the record to it). */
export type Pool = Static<typeof Pool>;

/**
 * The dedup schedule a pool is given when dedup is turned on without a schedule of its own (vSnap's
 * `deduplication: true`): duperemove over the pool nightly at 03:00 (services/pools/dedup-schedule.ts).
 */
export const DEFAULT_DEDUP_SCHEDULE = '0 3 * * *';

export const PoolCreate = Type.Object(
  {
    ...Type.Pick(Pool, ['name']).properties,
    disks: DiskIds,
    profile: ProfileT,
    metadata_profile: Type.Optional(ProfileT),
    compression: Type.Optional(lit(COMPRESSIONS)),
    compression_level: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 15, description: 'zstd 1..15, zlib 1..9' }),
    ),
    sync: Type.Optional(
      lit(SYNC_POLICIES, 'standard | always (mount sync,flushoncommit) | relaxed (commit=120)'),
    ),
    spares: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 64, uniqueItems: true }),
    ),
    acknowledge_raid56_write_hole: Type.Optional(Type.Boolean()),
    allow_mixed_sizes: Type.Optional(Type.Boolean()),
    dedup_schedule: Type.Optional(
      Type.Union([Type.String({ minLength: 1, maxLength: 128 }), Type.Null()], {
        description: 'run duperemove over the pool on this cron schedule (e.g. "0 3 * * *"); null: off',
      }),
    ),
    log_devices: Type.Optional(Type.Array(Type.String(), { description: 'not supported on btrfs: 422' })),
    cache_devices: Type.Optional(Type.Array(Type.String(), { description: 'not supported on btrfs: 422' })),
  },
  { additionalProperties: false },
);

export type PoolCreate = Static<typeof PoolCreate>;

/** A change: any of the create's name, compression, sync policy and dedup schedule; a level may be unset. */
export const PoolUpdate = Type.Composite(
  [
    Type.Partial(Type.Pick(PoolCreate, ['name', 'compression', 'sync', 'dedup_schedule'])),
    Type.Object({
      compression_level: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 15 }), Type.Null()])),
    }),
  ],
  { additionalProperties: false, minProperties: 1 },
);
export type PoolUpdate = Static<typeof PoolUpdate>;

export const PoolExpand = Type.Object(
  {
    disks: DiskIds,
    balance: Type.Optional(
      Type.Boolean({ description: 'spread existing data over all disks (a full balance)' }),
    ),
  },
  { additionalProperties: false },
);
export type PoolExpand = Static<typeof PoolExpand>;
export const PoolReplace = Type.Object(
  { disk: Type.String({ minLength: 1, maxLength: 64 }), with: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
export type PoolReplace = Static<typeof PoolReplace>;
/** New data/metadata profiles: the create's fields. */
export const PoolConvert = Type.Composite(
  [
    Type.Pick(PoolCreate, ['profile']),
    Type.Partial(Type.Pick(PoolCreate, ['metadata_profile', 'acknowledge_raid56_write_hole'])),
  ],
  { additionalProperties: false },
);
export type PoolConvert = Static<typeof PoolConvert>;
export const PoolSpares = Type.Object({ disks: DiskIds }, { additionalProperties: false });
