// Wire schemas of schedules (and the retention policy shared with relationships).
import { Type } from '@sinclair/typebox';
import { MAX_RETENTION_COUNT, PREFIX_PATTERN, SCHEDULE_KINDS } from '../../../domain/protection.js';
import { NAME_PATTERN } from '../../../domain/names.js';

const Count = (what: string) =>
  Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_RETENTION_COUNT, description: what }));

export const Retention = Type.Object(
  {
    keep_last: Count('keep the newest N'),
    hourly: Count('keep the newest snapshot of each of the last K hours that have one'),
    daily: Count('… of the last K days'),
    weekly: Count('… of the last K ISO weeks'),
    monthly: Count('… of the last K months'),
    yearly: Count('… of the last K years'),
  },
  {
    additionalProperties: false,
    description: 'an empty policy keeps everything; cloned or held snapshots are always kept',
  },
);

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

export const ScheduleUpdate = Type.Partial(Type.Omit(ScheduleCreate, ['kind', 'target']), {
  additionalProperties: false,
  minProperties: 1,
});
