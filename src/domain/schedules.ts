// Schedules: the wire schemas (the entity, its create/update bodies) whose `Static<>` types the
// schedule service takes. The rules (cron, retention) are in protection.ts. Pure: no I/O.
import { Type, type Static } from '@sinclair/typebox';
import { PREFIX_PATTERN, Retention, SCHEDULE_KINDS } from './protection.js';
import { NAME_PATTERN } from './names.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const Schedule = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    kind: Type.Union(SCHEDULE_KINDS.map((k) => Type.Literal(k))),
    target: Type.String({ description: 'the volume, pool or relationship id' }),
    target_type: Type.String(),
    pool: Type.Union([Type.String(), Type.Null()]),
    cron: Type.String(),
    time_zone: Type.String(),
    description: Type.String({ description: 'the cron expression in words' }),
    prefix: Type.String(),
    enabled: Type.Boolean(),
    retention: Retention,
    last_run_at: Nullable(Type.String()),
    last_status: Nullable(Type.String()),
    last_error: Nullable(Type.String()),
    last_job: Nullable(Type.String()),
    next_run_at: Nullable(Type.String()),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { $id: 'Schedule' },
);
export type Schedule = Static<typeof Schedule>;

export const ScheduleCreate = Type.Object(
  {
    name: Type.String({ pattern: NAME_PATTERN }),
    kind: Type.Union(SCHEDULE_KINDS.map((k) => Type.Literal(k))),
    target: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'volume (snapshot), pool (scrub, dedup) or relationship (replication) id',
    }),
    cron: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'five or six fields (croner), e.g. "0 2 * * *"',
    }),
    time_zone: Type.Optional(Type.String({ maxLength: 64, description: 'IANA zone; default UTC' })),
    prefix: Type.Optional(
      Type.String({ pattern: PREFIX_PATTERN, description: 'name prefix of the snapshots taken' }),
    ),
    enabled: Type.Optional(Type.Boolean()),
    retention: Type.Optional(Retention),
  },
  { additionalProperties: false },
);
export type ScheduleCreate = Static<typeof ScheduleCreate>;

export const ScheduleUpdate = Type.Partial(Type.Omit(ScheduleCreate, ['kind', 'target']), {
  additionalProperties: false,
  minProperties: 1,
});
export type ScheduleUpdate = Static<typeof ScheduleUpdate>;
