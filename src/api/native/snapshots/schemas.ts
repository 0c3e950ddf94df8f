// Wire schemas of snapshots and clones.
import { Type } from '@sinclair/typebox';
import { NAME_PATTERN } from '../../../domain/names.js';
import { SNAPSHOT_STATES } from '../../../domain/volumes.js';
import { DisplayName, LabelsField, LabelsPatch } from '../volumes/schemas.js';

export const Snapshot = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    display_name: Type.String({ description: 'free text (the name unless set)' }),
    labels: LabelsField,
    volume: Type.String(),
    pool: Type.String(),
    state: Type.Union(SNAPSHOT_STATES.map((s) => Type.Literal(s))),
    path: Type.String({ description: 'the read-only snapshot on the node' }),
    referenced: Type.Integer(),
    exclusive: Type.Integer({ description: 'bytes only this snapshot holds (freed by deleting it)' }),
    sizes_at: Type.Union([Type.String(), Type.Null()], { description: 'when the sizes were read' }),
    clone_count: Type.Integer({ description: 'volumes cloned from it; it cannot be deleted while > 0' }),
    holds: Type.Array(Type.String(), { description: 'who keeps it from deletion (e.g. replication)' }),
    created_at: Type.String(),
    writable: Type.Boolean({
      description: 'taken without the read-only flag: its files can be changed (false: read-only)',
    }),
    clones: Type.Optional(Type.Array(Type.String(), { description: 'ids of its clones (single reads)' })),
  },
  { $id: 'Snapshot' },
);

export const SnapshotCreate = Type.Object(
  {
    name: Type.Optional(Type.String({ pattern: NAME_PATTERN, description: 'generated when absent' })),
    display_name: Type.Optional(DisplayName),
    labels: Type.Optional(LabelsField),
    writable: Type.Optional(
      Type.Boolean({
        description:
          'take it without the read-only flag (default false): it can be restored and cloned like any, not replicated',
      }),
    ),
  },
  { additionalProperties: false },
);

export const SnapshotUpdate = Type.Object(
  { display_name: Type.Optional(DisplayName), labels: Type.Optional(LabelsPatch) },
  { additionalProperties: false, minProperties: 1 },
);

/** A new volume from a snapshot or from a live volume. */
export const CloneCreate = Type.Object(
  {
    name: Type.String({ pattern: NAME_PATTERN, description: 'the new volume’s name' }),
    display_name: Type.Optional(DisplayName),
    labels: Type.Optional(LabelsField),
  },
  { additionalProperties: false },
);
