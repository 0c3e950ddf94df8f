// Replication: the wire schemas of partners, relationships and sessions (entities and bodies) whose
// `Static<>` types the replication services take. The rules and list specs are in protection.ts.
// Pure: no I/O.
import { Type, type Static } from '@sinclair/typebox';
import { NAME_PATTERN } from './names.js';
import { Retention, SESSION_DIRECTIONS, SESSION_STATES } from './protection.js';
import { OneOf } from './wire.js';

const Nullable = Type.Union([Type.String(), Type.Null()]);
export const Partner = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    url: Type.String(),
    fingerprint_sha256: Type.String({ description: 'the pinned certificate fingerprint' }),
    remote_name: Nullable,
    remote_version: Nullable,
    verified_at: Nullable,
    peer_partner_id: Type.Union([Type.String(), Type.Null()], {
      description: 'made both ways: the id of the partner\u2019s entry for this system there',
    }),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { $id: 'Partner' },
);
export type Partner = Static<typeof Partner>;

const fields = {
  name: Type.String({ pattern: NAME_PATTERN }),
  url: Type.String({ maxLength: 500, description: 'https://host:port of the partner' }),
  api_key: Type.String({
    minLength: 8,
    maxLength: 500,
    description: 'an API key of the partner; stored sealed',
  }),
  fingerprint_sha256: Type.String({
    maxLength: 100,
    description: "the partner's certificate SHA-256 (GET /api/v1/system/certificate there)",
  }),
};
export const PartnerCreate = Type.Object(fields, { additionalProperties: false });
export type PartnerCreate = Static<typeof PartnerCreate>;
export const PartnerUpdate = Type.Partial(Type.Object(fields), {
  additionalProperties: false,
  minProperties: 1,
});
export type PartnerUpdate = Static<typeof PartnerUpdate>;

const S = Type.String();
const N = Type.Union([Type.String(), Type.Null()]);
export const Relationship = Type.Object(
  {
    id: S,
    role: Type.Union([Type.Literal('source'), Type.Literal('replica')]),
    state: Type.Union([Type.Literal('active'), Type.Literal('promoted'), Type.Literal('reversed')]),
    volume: N,
    pool: S,
    partner: N,
    peer: Type.Union([
      Type.String({ description: 'replica side: who sends (the key of the partner)' }),
      Type.Null(),
    ]),
    remote_pool: N,
    remote_volume: N,
    remote_volume_name: N,
    replica_retention: Retention,
    last_sync_status: N,
    last_attempt_snapshot: N,
    last_success_snapshot: Type.Union([Type.String({ description: 'the incremental base' }), Type.Null()]),
    last_success_at: N,
    created_at: S,
    updated_at: S,
  },
  { $id: 'Relationship' },
);
export type Relationship = Static<typeof Relationship>;

export const Session = Type.Object(
  {
    id: S,
    relationship: S,
    direction: OneOf(SESSION_DIRECTIONS),
    status: OneOf(SESSION_STATES),
    job: N,
    snapshot: N,
    snapshot_name: N,
    parent_snapshot: Type.Union([
      Type.String({ description: 'the incremental base; null for a full stream' }),
      Type.Null(),
    ]),
    remote_snapshot: N,
    bytes_sent: Type.Integer(),
    rate: Type.Integer({ description: 'bytes per second' }),
    progress: Type.Number(),
    message: N,
    started_at: N,
    ended_at: N,
    created_at: S,
  },
  { $id: 'Session' },
);
export type Session = Static<typeof Session>;

export const RelationshipCreate = Type.Object(
  {
    volume: Type.String({ minLength: 1, maxLength: 64 }),
    partner: Type.String({ minLength: 1, maxLength: 64 }),
    target_pool: Type.String({ minLength: 1, maxLength: 64, description: 'a pool id on the partner' }),
    target_volume_name: Type.Optional(Type.String({ pattern: NAME_PATTERN })),
    replica_retention: Type.Optional(Retention),
    reuse: Type.Optional(
      Type.Boolean({
        description:
          'take the partner’s existing volume named target_volume_name as the replica (e.g. one kept by preserve_replica)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type RelationshipCreate = Static<typeof RelationshipCreate>;
export const RelationshipUpdate = Type.Object(
  {
    target_volume_name: Type.Optional(Type.String({ pattern: NAME_PATTERN })),
    replica_retention: Type.Optional(Retention),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type RelationshipUpdate = Static<typeof RelationshipUpdate>;
export const RelationshipReverse = Type.Object(
  {
    partner: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'this system’s partner entry for the original source',
    }),
    target_pool: Type.String({ minLength: 1, maxLength: 64 }),
    target_volume_name: Type.Optional(Type.String({ pattern: NAME_PATTERN })),
  },
  { additionalProperties: false },
);
export type RelationshipReverse = Static<typeof RelationshipReverse>;
