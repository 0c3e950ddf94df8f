// The unified log across events, alerts and the audit trail: its lines, list spec and the
// NGXStorage-style paging parameters folded into the shared list ones. Pure.
import { Type, type Static } from '@sinclair/typebox';
import { listSpec } from '../list.js';
import { Event, eventLine } from '../events.js';

/** The one log across events, alerts and the audit trail (NGXStorage's /log/* needs these filters). */
export const LOG_SOURCES = ['event', 'alert', 'audit'] as const;
export type LogSource = (typeof LOG_SOURCES)[number];

/** One line of the unified log. */
export interface LogRecord {
  source: LogSource;
  id: string;
  at: string;
  type: string;
  severity: string;
  objectType: string | null;
  objectId: string | null;
  message: string;
  actor: string;
}

/** A line of the log on the wire (`GET /api/v1/logs`): an event's fields but its details, and its source. */
export const LogEntry = Type.Composite([
  Type.Object({ source: Type.String({ description: 'event, alert or audit' }) }),
  Type.Omit(Event, ['details']),
]);
export type LogEntry = Static<typeof LogEntry>;

export const logEntryWire = (r: LogRecord): LogEntry => ({ source: r.source, ...eventLine(r) });

export const LOG_LIST = listSpec({
  fields: {
    at: { column: 'at', type: 'time', filterable: true, sortable: true },
    source: { column: 'source', type: 'string', filterable: true, sortable: true },
    type: { column: 'type', type: 'string', filterable: true, sortable: true },
    severity: { column: 'severity', type: 'string', filterable: true, sortable: true },
    object_type: { column: 'object_type', type: 'string', filterable: true, sortable: true },
    object_id: { column: 'object_id', type: 'string', filterable: true },
    actor: { column: 'actor', type: 'string', filterable: true, sortable: true },
    message: { column: 'message', type: 'string', filterable: true },
  },
  defaultSort: '-at',
  tieBreaker: 'id',
});

/** Parameters log-style lists take besides the shared ones (the shape NGXStorage's log API needs). */
export const LOG_EXTRA_PARAMS = ['from', 'to', 'order', 'page'] as const;

/**
 * Folds `from`/`to` (time range), `order` (asc|desc, applied to the sort fields) and `page`
 * (1-based, with limit) into shared list parameters. Problems are collected with the rest.
 */
export function foldLogParams(
  query: Record<string, unknown>,
  defaultSortField: string,
): { query: Record<string, unknown>; problems: { field: string; code: string; message: string }[] } {
  const q: Record<string, unknown> = { ...query };
  const problems: { field: string; code: string; message: string }[] = [];
  const take = (k: string) => {
    const v = q[k];
    delete q[k];
    return v === undefined ? undefined : String(v);
  };
  const from = take('from');
  const to = take('to');
  const order = take('order');
  const page = take('page');
  if (from !== undefined) q[`${defaultSortField}__gte`] = from;
  if (to !== undefined) q[`${defaultSortField}__lte`] = to;
  if (order !== undefined) {
    if (order !== 'asc' && order !== 'desc')
      problems.push({ field: 'order', code: 'NOT_ORDER', message: 'order must be asc or desc' });
    const fields = String(q.sort ?? defaultSortField)
      .split(',')
      .filter(Boolean)
      .map((f) => f.replace(/^[-+]/, ''));
    q.sort = fields.map((f) => (order === 'desc' ? `-${f}` : f)).join(',');
  }
  if (page !== undefined) {
    const n = Number(page);
    if (!Number.isInteger(n) || n < 1)
      problems.push({ field: 'page', code: 'OUT_OF_RANGE', message: 'page must be an integer from 1' });
    else if (q.offset !== undefined || q.cursor !== undefined)
      problems.push({ field: 'page', code: 'CONFLICT', message: 'use page or offset/cursor, not both' });
    else q.offset = String((n - 1) * Number(q.limit ?? 100));
  }
  return { query: q, problems };
}
