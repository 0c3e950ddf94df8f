// TypeBox schemas of OpenStorage's REST requests (api/api.proto: VolumeCreateRequest,
// VolumeSetRequest, SnapCreateRequest and their parts). Keys are matched ignoring case before
// validation (map.ts canonicalKeys); a VolumeSpec field Cairn does not know is refused by name.
import { Type } from '@sinclair/typebox';

const Labels = Type.Record(Type.String(), Type.String());
const Any = Type.Unknown();
const Int = Type.Integer({ minimum: 0 });

export const Locator = Type.Object(
  { name: Type.Optional(Type.String({ maxLength: 255 })), volume_labels: Type.Optional(Labels) },
  { additionalProperties: false },
);

export const Source = Type.Object(
  { parent: Type.Optional(Type.String()), seed: Type.Optional(Type.String()) },
  { additionalProperties: false },
);

/** VolumeSpec: the fields Cairn reads are typed; the rest are hints it accepts and ignores. */
export const Spec = Type.Object(
  {
    ephemeral: Type.Optional(Type.Boolean()),
    size: Type.Optional(Int),
    format: Type.Optional(Type.Union([Int, Type.String()])),
    block_size: Type.Optional(Int),
    ha_level: Type.Optional(Int),
    cos: Type.Optional(Any),
    io_profile: Type.Optional(Any),
    dedupe: Type.Optional(Type.Boolean()),
    snapshot_interval: Type.Optional(Int),
    volume_labels: Type.Optional(Labels),
    shared: Type.Optional(Type.Boolean()),
    replica_set: Type.Optional(Any),
    aggregation_level: Type.Optional(Int),
    encrypted: Type.Optional(Type.Boolean()),
    passphrase: Type.Optional(Type.String()),
    snapshot_schedule: Type.Optional(Type.String()),
    scale: Type.Optional(Int),
    sticky: Type.Optional(Type.Boolean()),
    group: Type.Optional(Any),
    group_enforced: Type.Optional(Type.Boolean()),
    compressed: Type.Optional(Type.Boolean()),
    cascaded: Type.Optional(Type.Boolean()),
    journal: Type.Optional(Type.Boolean()),
    sharedv4: Type.Optional(Type.Boolean()),
    queue_depth: Type.Optional(Int),
    force_unsupported_fs_type: Type.Optional(Type.Boolean()),
    nodiscard: Type.Optional(Type.Boolean()),
    io_strategy: Type.Optional(Any),
    placement_strategy: Type.Optional(Any),
    storage_policy: Type.Optional(Any),
    ownership: Type.Optional(Any),
    export_spec: Type.Optional(Any),
    fp_preference: Type.Optional(Type.Boolean()),
    mount_options: Type.Optional(Any),
    sharedv4_mount_options: Type.Optional(Any),
    proxy_write: Type.Optional(Type.Boolean()),
    proxy_spec: Type.Optional(Any),
    sharedv4_service_spec: Type.Optional(Any),
    sharedv4_spec: Type.Optional(Any),
    auto_fstrim: Type.Optional(Type.Boolean()),
    io_throttle: Type.Optional(Any),
    readahead: Type.Optional(Type.Boolean()),
    xattr: Type.Optional(Any),
    scan_policy: Type.Optional(Any),
    topology_requirement: Type.Optional(Any),
    checksummed: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const VolumeCreateRequest = Type.Object(
  { locator: Locator, source: Type.Optional(Source), spec: Type.Optional(Spec) },
  { additionalProperties: false },
);

export const VolumeStateAction = Type.Object(
  {
    attach: Type.Optional(Type.Union([Int, Type.String(), Type.Boolean()])),
    mount: Type.Optional(Type.Union([Int, Type.String(), Type.Boolean()])),
    mount_path: Type.Optional(Type.String({ maxLength: 4096 })),
    device_path: Type.Optional(Type.String()),
    // Go's client before the options map (Detach(id, unmountBeforeDetach bool)) sends it here.
    unmount_before_detach: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const VolumeSetRequest = Type.Object(
  {
    locator: Type.Optional(Locator),
    spec: Type.Optional(Spec),
    action: Type.Optional(VolumeStateAction),
    options: Type.Optional(Labels),
  },
  { additionalProperties: false },
);

export const SnapCreateRequest = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    locator: Type.Optional(Locator),
    readonly: Type.Optional(Type.Boolean()),
    no_retry: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const IdParam = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 255 }) },
  { additionalProperties: false },
);

/** A query value the Go client may repeat (`VolumeID`). */
export const Repeated = Type.Union([Type.String(), Type.Array(Type.String())]);

export const EnumerateQuery = Type.Object(
  {
    Name: Type.Optional(Type.String()),
    Label: Type.Optional(Type.String()),
    ConfigLabel: Type.Optional(Type.String()),
    VolumeID: Type.Optional(Repeated),
  },
  { additionalProperties: false },
);

export const SnapEnumerateQuery = Type.Object(
  { Label: Type.Optional(Type.String()), VolumeID: Type.Optional(Repeated) },
  { additionalProperties: false },
);

export const StatsQuery = Type.Object(
  { Cumulative: Type.Optional(Type.String()) },
  { additionalProperties: false },
);
