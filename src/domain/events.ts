// System events (disk added, pool degraded, spare took over, job failed): what happened to which
// object. Areas record them through an EventSink; the monitor area lists them and raises alerts.
import { Type, type Static } from '@sinclair/typebox';

export const SEVERITIES = ['info', 'warning', 'error', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface NewEvent {
  /** Dotted kind, e.g. `pool.degraded`, `disk.added`, `spare.replaced`, `job.failed`. */
  type: string;
  severity: Severity;
  objectType?: string;
  objectId?: string;
  message: string;
  details?: Record<string, unknown>;
  /** Who caused it: `system`, `user:admin`, … */
  actor?: string;
}

export interface CairnEvent {
  id: string;
  at: string;
  type: string;
  severity: Severity;
  objectType: string | null;
  objectId: string | null;
  message: string;
  details: Record<string, unknown>;
  actor: string;
}

/** An event on the wire (`GET /api/v1/events`). */
export const Event = Type.Object({
  id: Type.String(),
  at: Type.String(),
  type: Type.String(),
  severity: Type.String(),
  object_type: Type.Union([Type.String(), Type.Null()]),
  object_id: Type.Union([Type.String(), Type.Null()]),
  message: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown()),
  actor: Type.String(),
});
export type Event = Static<typeof Event>;

/** The fields an event shares with a line of the log, in wire casing. */
export const eventLine = (e: Omit<CairnEvent, 'severity' | 'details'> & { severity: string }) => ({
  id: e.id,
  at: e.at,
  type: e.type,
  severity: e.severity,
  object_type: e.objectType,
  object_id: e.objectId,
  message: e.message,
  actor: e.actor,
});

export const eventWire = (e: CairnEvent): Event => ({ ...eventLine(e), details: e.details });

export interface EventSink {
  record(e: NewEvent): Promise<CairnEvent>;
}
