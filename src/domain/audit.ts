// The audit trail: one record per mutating request (who, when, from where, what, how it ended),
// its wire entity and the mapping between them. Pure.
import { Type, type Static } from '@sinclair/typebox';

export interface AuditRecord {
  id: string;
  at: string;
  actor: string;
  actorKind: string;
  source: string;
  method: string;
  route: string;
  url: string;
  status: number;
  result: 'ok' | 'error';
  errorCode: string | null;
  requestId: string;
}

/** An audit entry on the wire (`GET /api/v1/audit`). */
export const AuditEntry = Type.Object({
  id: Type.String(),
  at: Type.String(),
  actor: Type.String(),
  actor_kind: Type.String(),
  source: Type.String(),
  method: Type.String(),
  route: Type.String(),
  url: Type.String(),
  status: Type.Integer(),
  result: Type.String(),
  error_code: Type.Union([Type.String(), Type.Null()]),
  request_id: Type.String(),
});
export type AuditEntry = Static<typeof AuditEntry>;

export const auditEntryWire = (r: AuditRecord): AuditEntry => ({
  id: r.id,
  at: r.at,
  actor: r.actor,
  actor_kind: r.actorKind,
  source: r.source,
  method: r.method,
  route: r.route,
  url: r.url,
  status: r.status,
  result: r.result,
  error_code: r.errorCode,
  request_id: r.requestId,
});
