// Wire schemas of volumes: the entity and its create/update bodies are the domain's
// (src/domain/volumes.ts, the types the service takes); here what only the routes read.
import { Type } from '@sinclair/typebox';
import { Id, Wait } from '../common.js';
import { MAX_LABEL_FILTERS } from '../../../domain/labels.js';

export { Volume, VolumeCreate, VolumeUpdate } from '../../../domain/volumes.js';

/** `?label=key` or `?label=key=value`, repeatable, all must match. */
export const LabelQuery = {
  label: Type.Optional(
    Type.Union([Type.String(), Type.Array(Type.String(), { maxItems: MAX_LABEL_FILTERS })], {
      description: 'label=key or label=key=value; repeat it: every one must match',
    }),
  ),
};

export const Rollback = Type.Object(
  {
    snapshot: Id,
    keep_current: Type.Optional(Type.Boolean({ description: 'keep the pre-rollback state as a snapshot' })),
    force: Type.Optional(Type.Boolean({ description: 'even while exported read-write' })),
  },
  { additionalProperties: false },
);

export const DeleteQuery = Type.Object(
  {
    wait: Type.Optional(Wait),
    cascade: Type.Optional(Type.Boolean({ description: 'also remove exports, snapshots and clone links' })),
  },
  { additionalProperties: false },
);
