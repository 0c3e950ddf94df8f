// Hosts (initiators): the wire schemas (the entity and its create/update bodies) whose `Static<>`
// types the host service takes, and the list spec. Pure: no I/O.
import { Type, type Static } from '@sinclair/typebox';
import { NAME_PATTERN } from './names.js';
import { listSpec } from './list.js';

const Initiator = Type.Object({ id: Type.String(), iqn: Type.String() });
/** One IQN of a host, with an id of its own (kept while the host keeps the IQN). */
export type HostInitiator = Static<typeof Initiator>;

export const Host = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    iqns: Type.Array(Type.String()),
    initiators: Type.Array(Initiator, {
      description: 'the IQNs, each with an id of its own (an IQN may belong to several hosts)',
    }),
    addresses: Type.Array(Type.String()),
    chap: Type.Union(
      [
        Type.Object({ user: Type.String(), mutual_user: Type.Union([Type.String(), Type.Null()]) }),
        Type.Null(),
      ],
      { description: 'CHAP user names; secrets are never returned' },
    ),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { $id: 'Host' },
);
export type Host = Static<typeof Host>;

export const Chap = Type.Object(
  {
    user: Type.String({ minLength: 1, maxLength: 64 }),
    secret: Type.String({ minLength: 1, maxLength: 256, description: '12 to 16 characters; stored sealed' }),
    mutual_user: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    mutual_secret: Type.Optional(
      Type.String({ minLength: 1, maxLength: 256, description: 'mutual (target) CHAP' }),
    ),
  },
  { additionalProperties: false },
);
/** CHAP as asked for (secrets in the clear; the service seals them). */
export type ChapInput = Static<typeof Chap>;

export const HostCreate = Type.Object(
  {
    name: Type.String({ pattern: NAME_PATTERN }),
    iqns: Type.Optional(
      Type.Array(Type.String({ maxLength: 223 }), { maxItems: 64, description: 'initiator names' }),
    ),
    addresses: Type.Optional(
      Type.Array(Type.String({ maxLength: 64 }), {
        maxItems: 64,
        description: 'addresses or networks (NFS, SMB, NBD)',
      }),
    ),
    chap: Type.Optional(Type.Union([Chap, Type.Null()])),
  },
  { additionalProperties: false },
);
export type HostCreate = Static<typeof HostCreate>;

export const HostUpdate = Type.Partial(HostCreate, { additionalProperties: false, minProperties: 1 });
export type HostUpdate = Static<typeof HostUpdate>;

export const HOST_LIST = listSpec({
  fields: {
    name: { column: 'name', type: 'string', filterable: true, sortable: true },
    created_at: { column: 'created_at', type: 'time', filterable: true, sortable: true },
  },
  defaultSort: 'name',
  tieBreaker: 'id',
});
