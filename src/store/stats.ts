// Time series of statistics: raw points written in one transaction per sampling round, hour/day/
// month rollups computed in SQL (min, max, avg, last, count), retention pruning, live and history
// reads. Every query runs on the (kind, object_id, metric, ts) keys. `now` is passed in (fake clocks).
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from './schema.js';
import type { StoreDialect } from './dialect.js';
import {
  bucketStart,
  nextBucket,
  ROLLUP_SOURCE,
  type Aggregate,
  type Resolution,
  type Retention,
  type RollupResolution,
  type StatKind,
  type StatPoint,
} from '../domain/monitor.js';

const BATCH = 500;
const WATERMARK = (r: RollupResolution) => `monitor.rollup.${r}.done_until`;
const num = (v: number | string | bigint | null | undefined): number => Number(v ?? 0);

export type SeriesPoint = Aggregate;

export class StatsStore {
  constructor(
    private readonly db: Kysely<DB>,
    readonly dialect: StoreDialect,
  ) {}

  /** Writes one sampling round in one transaction (multi-row inserts of up to 500 points). */
  async insert(points: StatPoint[]): Promise<void> {
    if (points.length === 0) return;
    await this.db.transaction().execute(async (tx) => {
      for (let i = 0; i < points.length; i += BATCH) {
        await tx
          .insertInto('stat_points')
          .values(
            points.slice(i, i + BATCH).map((p) => ({
              kind: p.kind,
              object_id: p.objectId,
              metric: p.metric,
              ts: p.ts,
              value: p.value,
            })),
          )
          .onConflict((oc) => oc.columns(['kind', 'object_id', 'metric', 'ts']).doNothing())
          .execute();
      }
    });
  }

  /** The latest value of every metric of one object. */
  async latest(kind: StatKind, objectId: string): Promise<{ metric: string; ts: number; value: number }[]> {
    const rows = await this.db
      .selectFrom('stat_points as p')
      .select(['p.metric', 'p.ts', 'p.value'])
      .where('p.kind', '=', kind)
      .where('p.object_id', '=', objectId)
      .where((eb) =>
        eb(
          'p.ts',
          '=',
          eb
            .selectFrom('stat_points as q')
            .select((e) => e.fn.max('q.ts').as('m'))
            .whereRef('q.kind', '=', 'p.kind')
            .whereRef('q.object_id', '=', 'p.object_id')
            .whereRef('q.metric', '=', 'p.metric'),
        ),
      )
      .orderBy('p.metric')
      .execute();
    return rows.map((r) => ({ metric: r.metric, ts: num(r.ts), value: r.value }));
  }

  /** Points of one object in [from, to] at a resolution, at most `limit` rows, by metric then time. */
  async history(
    kind: StatKind,
    objectId: string,
    res: Resolution,
    from: number,
    to: number,
    metrics: string[] | null,
    limit: number,
  ): Promise<{ metric: string; points: SeriesPoint[] }[]> {
    const out = new Map<string, SeriesPoint[]>();
    const push = (m: string, p: SeriesPoint) => {
      const list = out.get(m) ?? [];
      list.push(p);
      out.set(m, list);
    };
    if (res === 'raw') {
      let q = this.db
        .selectFrom('stat_points')
        .select(['metric', 'ts', 'value'])
        .where('kind', '=', kind)
        .where('object_id', '=', objectId)
        .where('ts', '>=', from)
        .where('ts', '<=', to);
      if (metrics) q = q.where('metric', 'in', metrics);
      for (const r of await q.orderBy('metric').orderBy('ts').limit(limit).execute()) {
        const v = r.value;
        push(r.metric, { ts: num(r.ts), min: v, max: v, avg: v, last: v, count: 1 });
      }
    } else {
      let q = this.db
        .selectFrom('stat_rollups')
        .select(['metric', 'ts', 'min', 'max', 'avg', 'last', 'count'])
        .where('resolution', '=', res)
        .where('kind', '=', kind)
        .where('object_id', '=', objectId)
        .where('ts', '>=', bucketStart(from, res))
        .where('ts', '<=', to);
      if (metrics) q = q.where('metric', 'in', metrics);
      for (const r of await q.orderBy('metric').orderBy('ts').limit(limit).execute())
        push(r.metric, {
          ts: num(r.ts),
          min: r.min,
          max: r.max,
          avg: r.avg,
          last: r.last,
          count: num(r.count),
        });
    }
    return [...out.entries()].map(([metric, points]) => ({ metric, points }));
  }

  private async watermark(r: RollupResolution): Promise<number | null> {
    const row = await this.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', WATERMARK(r))
      .executeTakeFirst();
    return row ? Number(JSON.parse(row.value)) : null;
  }

  private async setWatermark(r: RollupResolution, ts: number): Promise<void> {
    const v = JSON.stringify(ts);
    await this.db
      .insertInto('settings')
      .values({ key: WATERMARK(r), value: v })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: v }))
      .execute();
  }

  private async earliest(source: Resolution): Promise<number | null> {
    const row =
      source === 'raw'
        ? await this.db
            .selectFrom('stat_points')
            .select((e) => e.fn.min('ts').as('m'))
            .executeTakeFirst()
        : await this.db
            .selectFrom('stat_rollups')
            .select((e) => e.fn.min('ts').as('m'))
            .where('resolution', '=', source)
            .executeTakeFirst();
    return row?.m === null || row?.m === undefined ? null : num(row.m);
  }

  /**
   * Aggregates every completed bucket not yet rolled up, for hour (from raw), day (from hour) and
   * month (from day), then prunes what the retention no longer keeps. Idempotent; returns the
   * number of rollup rows written per resolution.
   */
  async rollup(now: number, retention: Retention): Promise<Record<RollupResolution, number>> {
    const written: Record<RollupResolution, number> = { hour: 0, day: 0, month: 0 };
    for (const res of ['hour', 'day', 'month'] as const) {
      const target = bucketStart(now, res);
      const source = ROLLUP_SOURCE[res];
      const done = await this.watermark(res);
      const first = done ?? (await this.earliest(source));
      if (first === null) continue;
      const from = bucketStart(first, res);
      if (from >= target) continue;
      if (res === 'month') {
        for (let b = from; b < target; b = nextBucket(b, 'month'))
          written.month += await this.rollupRange(
            res,
            source,
            b,
            nextBucket(b, 'month'),
            sql`CAST(${b} AS bigint)`,
          );
      } else {
        const size = res === 'hour' ? 3_600_000 : 86_400_000;
        written[res] += await this.rollupRange(
          res,
          source,
          from,
          target,
          sql`(ts - (ts % ${sql.lit(size)}))`,
        );
      }
      await this.setWatermark(res, target);
    }
    await this.prune(now, retention);
    return written;
  }

  private async rollupRange(
    res: RollupResolution,
    source: Resolution,
    from: number,
    to: number,
    bucket: RawBuilder<unknown>,
  ): Promise<number> {
    const target = sql.lit(res);
    const r =
      source === 'raw'
        ? await sql`
          INSERT INTO stat_rollups (resolution, kind, object_id, metric, ts, min, max, avg, last, count)
          SELECT ${target}, g.kind, g.object_id, g.metric, g.bucket, g.mn, g.mx, g.av, p.value, g.n
          FROM (SELECT kind, object_id, metric, ${bucket} AS bucket, MIN(value) AS mn, MAX(value) AS mx,
                       AVG(value) AS av, COUNT(*) AS n, MAX(ts) AS last_ts
                FROM stat_points WHERE ts >= ${from} AND ts < ${to}
                GROUP BY kind, object_id, metric, ${bucket}) g
          JOIN stat_points p ON p.kind = g.kind AND p.object_id = g.object_id AND p.metric = g.metric
                            AND p.ts = g.last_ts
          WHERE 1 = 1
          ON CONFLICT (resolution, kind, object_id, metric, ts) DO UPDATE SET min = excluded.min,
            max = excluded.max, avg = excluded.avg, last = excluded.last, count = excluded.count`.execute(
            this.db,
          )
        : await sql`
          INSERT INTO stat_rollups (resolution, kind, object_id, metric, ts, min, max, avg, last, count)
          SELECT ${target}, g.kind, g.object_id, g.metric, g.bucket, g.mn, g.mx, g.av, p.last, g.n
          FROM (SELECT kind, object_id, metric, ${bucket} AS bucket, MIN(min) AS mn, MAX(max) AS mx,
                       SUM(avg * count) / SUM(count) AS av, SUM(count) AS n, MAX(ts) AS last_ts
                FROM stat_rollups WHERE resolution = ${sql.lit(source)} AND ts >= ${from} AND ts < ${to}
                GROUP BY kind, object_id, metric, ${bucket}) g
          JOIN stat_rollups p ON p.resolution = ${sql.lit(source)} AND p.kind = g.kind
                             AND p.object_id = g.object_id AND p.metric = g.metric AND p.ts = g.last_ts
          WHERE 1 = 1
          ON CONFLICT (resolution, kind, object_id, metric, ts) DO UPDATE SET min = excluded.min,
            max = excluded.max, avg = excluded.avg, last = excluded.last, count = excluded.count`.execute(
            this.db,
          );
    return num(r.numAffectedRows);
  }

  /** Deletes what the retention no longer keeps (never data not yet rolled up). */
  async prune(now: number, r: Retention): Promise<void> {
    const hourDone = (await this.watermark('hour')) ?? 0;
    const dayDone = (await this.watermark('day')) ?? 0;
    const monthDone = (await this.watermark('month')) ?? 0;
    await this.db
      .deleteFrom('stat_points')
      .where('ts', '<', Math.min(now - r.raw_ms, hourDone))
      .execute();
    const cut = async (res: RollupResolution, before: number) =>
      this.db.deleteFrom('stat_rollups').where('resolution', '=', res).where('ts', '<', before).execute();
    await cut('hour', Math.min(now - r.hour_ms, dayDone));
    await cut('day', Math.min(now - r.day_ms, monthDone));
    await cut('month', now - r.month_ms);
  }

  /** Number of raw points (for tests and the bench). */
  async countRaw(): Promise<number> {
    const r = await this.db
      .selectFrom('stat_points')
      .select((e) => e.fn.countAll().as('n'))
      .executeTakeFirst();
    return num(r?.n as number);
  }
}
