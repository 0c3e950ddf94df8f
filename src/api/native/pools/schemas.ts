// Wire schemas of pools: the entity and its bodies are the domain's (src/domain/pools.ts, the
// types the service takes); here what only the routes read.
import { Type } from '@sinclair/typebox';

export {
  Pool,
  PoolConvert,
  PoolCreate,
  PoolExpand,
  PoolReplace,
  PoolSpares,
  PoolUpdate,
  ScrubResult,
} from '../../../domain/pools.js';

export const DiskParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64 }), diskId: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
export const DeleteQuery = Type.Object(
  {
    force: Type.Optional(Type.Boolean({ description: 'destroy the volumes the pool holds' })),
    wait: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600 })),
  },
  { additionalProperties: false },
);
