// Notification channels (webhook, email; the secret is stored but never leaves the store in a
// listing) and the durable delivery queue with attempts and the next attempt time.
import type { Kysely, Selectable } from 'kysely';
import type { DB } from './schema.js';
import type { NotificationChannelsTable, NotificationDeliveriesTable } from './schema-monitor.js';
import type { StoreDialect } from './dialect.js';
import { listPage } from './list.js';
import type { ListParams, Page } from '../domain/list.js';
import { newId } from '../domain/ids.js';
import type { Severity } from '../domain/events.js';
import {
  CHANNEL_LIST,
  DELIVERY_LIST,
  type ChannelType,
  type DeliveryRecord,
  type NotificationChannel,
} from '../domain/monitor.js';

/** A notification channel as stored, with its secret (never answered). */
export interface ChannelRecord {
  id: string;
  name: string;
  type: ChannelType;
  enabled: boolean;
  minSeverity: Severity;
  config: Record<string, unknown>;
  hasSecret: boolean;
  secret: string | null;
  createdAt: string;
  updatedAt: string;
}

const toRecord = (r: Selectable<NotificationChannelsTable>): ChannelRecord => ({
  id: r.id,
  name: r.name,
  type: r.type as ChannelType,
  enabled: r.enabled === 1,
  minSeverity: r.min_severity as Severity,
  config: JSON.parse(r.config) as Record<string, unknown>,
  hasSecret: r.secret !== null && r.secret !== '',
  secret: r.secret,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const publicChannel = (c: ChannelRecord): NotificationChannel => ({
  id: c.id,
  name: c.name,
  type: c.type,
  enabled: c.enabled,
  min_severity: c.minSeverity,
  config: c.config,
  has_secret: c.hasSecret,
  created_at: c.createdAt,
  updated_at: c.updatedAt,
});

const toDelivery = (r: Selectable<NotificationDeliveriesTable>): DeliveryRecord => ({
  id: r.id,
  channelId: r.channel_id,
  alertId: r.alert_id,
  event: r.event,
  payload: r.payload,
  state: r.state as DeliveryRecord['state'],
  attempts: Number(r.attempts),
  nextAttemptAt: Number(r.next_attempt_at),
  lastError: r.last_error,
  createdAt: r.created_at,
  deliveredAt: r.delivered_at,
});

export class NotificationStore {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: StoreDialect,
  ) {}

  async byName(name: string): Promise<ChannelRecord | null> {
    const r = await this.db
      .selectFrom('notification_channels')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return r ? toRecord(r) : null;
  }

  async get(id: string): Promise<ChannelRecord | null> {
    const r = await this.db
      .selectFrom('notification_channels')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return r ? toRecord(r) : null;
  }

  async insert(c: Omit<ChannelRecord, 'hasSecret' | 'createdAt' | 'updatedAt'>, now: string) {
    await this.db
      .insertInto('notification_channels')
      .values({
        id: c.id,
        name: c.name,
        type: c.type,
        enabled: c.enabled ? 1 : 0,
        min_severity: c.minSeverity,
        config: JSON.stringify(c.config),
        secret: c.secret,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }

  async update(
    id: string,
    p: Partial<Pick<ChannelRecord, 'name' | 'enabled' | 'minSeverity' | 'config' | 'secret'>>,
    now: string,
  ) {
    await this.db
      .updateTable('notification_channels')
      .set({
        ...(p.name === undefined ? {} : { name: p.name }),
        ...(p.enabled === undefined ? {} : { enabled: p.enabled ? 1 : 0 }),
        ...(p.minSeverity === undefined ? {} : { min_severity: p.minSeverity }),
        ...(p.config === undefined ? {} : { config: JSON.stringify(p.config) }),
        ...(p.secret === undefined ? {} : { secret: p.secret }),
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('notification_deliveries').where('channel_id', '=', id).execute();
      await tx.deleteFrom('notification_channels').where('id', '=', id).execute();
    });
  }

  list(params: ListParams): Promise<Page<NotificationChannel>> {
    return listPage(
      this.db.selectFrom('notification_channels').selectAll(),
      CHANNEL_LIST,
      params,
      this.dialect,
      (r: Selectable<NotificationChannelsTable>) => publicChannel(toRecord(r)),
    );
  }

  async enabled(): Promise<ChannelRecord[]> {
    return (
      await this.db.selectFrom('notification_channels').selectAll().where('enabled', '=', 1).execute()
    ).map(toRecord);
  }

  // ---------- deliveries
  async enqueue(
    d: { channelId: string; alertId: string | null; event: string; payload: string },
    now: number,
  ) {
    const id = newId();
    await this.db
      .insertInto('notification_deliveries')
      .values({
        id,
        channel_id: d.channelId,
        alert_id: d.alertId,
        event: d.event,
        payload: d.payload,
        state: 'pending',
        attempts: 0,
        next_attempt_at: now,
        last_error: null,
        created_at: new Date(now).toISOString(),
        delivered_at: null,
      })
      .execute();
    return id;
  }

  async delivery(id: string): Promise<DeliveryRecord | null> {
    const r = await this.db
      .selectFrom('notification_deliveries')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return r ? toDelivery(r) : null;
  }

  /** Pending deliveries whose next attempt is due, oldest first. */
  async due(now: number, limit: number): Promise<DeliveryRecord[]> {
    return (
      await this.db
        .selectFrom('notification_deliveries')
        .selectAll()
        .where('state', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .limit(limit)
        .execute()
    ).map(toDelivery);
  }

  async nextDue(): Promise<number | null> {
    const r = await this.db
      .selectFrom('notification_deliveries')
      .select((e) => e.fn.min('next_attempt_at').as('m'))
      .where('state', '=', 'pending')
      .executeTakeFirst();
    return r?.m === null || r?.m === undefined ? null : Number(r.m);
  }

  async delivered(id: string, attempts: number, now: number): Promise<void> {
    await this.db
      .updateTable('notification_deliveries')
      .set({ state: 'delivered', attempts, delivered_at: new Date(now).toISOString(), last_error: null })
      .where('id', '=', id)
      .execute();
  }

  async attemptFailed(id: string, attempts: number, error: string, nextAt: number | null): Promise<void> {
    await this.db
      .updateTable('notification_deliveries')
      .set({
        attempts,
        last_error: error.slice(0, 1000),
        ...(nextAt === null ? { state: 'failed' } : { next_attempt_at: nextAt }),
      })
      .where('id', '=', id)
      .execute();
  }

  listDeliveries(channelId: string, params: ListParams): Promise<Page<Omit<DeliveryRecord, 'payload'>>> {
    return listPage(
      this.db.selectFrom('notification_deliveries').selectAll().where('channel_id', '=', channelId),
      DELIVERY_LIST,
      params,
      this.dialect,
      (r: Selectable<NotificationDeliveriesTable>) => {
        const { payload: _p, ...rest } = toDelivery(r);
        return rest;
      },
    );
  }
}
