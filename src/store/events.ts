// The event log: appended by every area through EventSink, listed with the shared list filters.
import type { Kysely, Selectable } from 'kysely';
import type { DB, EventsTable } from './schema.js';
import type { ListParams, Page } from '../domain/list.js';
import { listPage } from './list.js';
import { EVENT_LIST } from '../domain/list-specs.js';
import type { StoreDialect } from './dialect.js';
import { newId, nowIso } from '../domain/ids.js';
import type { CairnEvent, EventSink, NewEvent, Severity } from '../domain/events.js';

const toEvent = (r: Selectable<EventsTable>): CairnEvent => ({
  id: r.id,
  at: r.at,
  type: r.type,
  severity: r.severity as Severity,
  objectType: r.object_type,
  objectId: r.object_id,
  message: r.message,
  details: JSON.parse(r.details) as Record<string, unknown>,
  actor: r.actor,
});

export class EventStore implements EventSink {
  /** Called after each event is stored (the monitor hooks alerts and notifications here). */
  readonly listeners: ((e: CairnEvent) => void)[] = [];

  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: StoreDialect,
  ) {}

  /** Calls `f` after each event is stored, until the returned function is called. */
  listen(f: (e: CairnEvent) => void): () => void {
    this.listeners.push(f);
    return () => {
      const i = this.listeners.indexOf(f);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  async record(e: NewEvent): Promise<CairnEvent> {
    const row = {
      id: newId(),
      at: nowIso(),
      type: e.type,
      severity: e.severity,
      object_type: e.objectType ?? null,
      object_id: e.objectId ?? null,
      message: e.message,
      details: JSON.stringify(e.details ?? {}),
      actor: e.actor ?? 'system',
    };
    await this.db.insertInto('events').values(row).execute();
    const ev = toEvent(row as Selectable<EventsTable>);
    for (const l of this.listeners) l(ev);
    return ev;
  }

  list(params: ListParams): Promise<Page<CairnEvent>> {
    return listPage(this.db.selectFrom('events').selectAll(), EVENT_LIST, params, this.dialect, toEvent);
  }
}
