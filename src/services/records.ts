// Services over the records every area shares: the audit trail, dialect id numbers, and the
// versions of the parts Cairn drives. Routes and dialects reach the store and the programs through
// these, never directly (the Services bag holds services only).
import { type ListParams, type Page, mapPage } from '../domain/list.js';
import type { ObjectKind } from '../domain/ids.js';
import type { AuditStore } from '../store/audit.js';
import { auditEntryWire, type AuditEntry, type AuditRecord } from '../domain/audit.js';
import type { ObjectIds } from '../store/object-ids.js';
import type { PartVersion, Versions } from '../system/versions/index.js';

export class AuditService {
  constructor(private readonly store: AuditStore) {}
  record(e: Omit<AuditRecord, 'id'>): Promise<void> {
    return this.store.record(e);
  }
  async list(params: ListParams): Promise<Page<AuditEntry>> {
    const page = await this.store.list(params);
    return mapPage(page, auditEntryWire);
  }
}

/** Object id ↔ sequence number per object kind, from which dialects derive their own id forms. */
export class ObjectIdService {
  constructor(private readonly ids: ObjectIds) {}
  seqOf(kind: ObjectKind, id: string): Promise<number | undefined> {
    return this.ids.seqOf(kind, id);
  }
  idOf(kind: ObjectKind, seq: number): Promise<string | undefined> {
    return this.ids.idOf(kind, seq);
  }
  firstSeqs(kind: ObjectKind, limit: number): Promise<Map<string, number>> {
    return this.ids.firstSeqs(kind, limit);
  }
  seqsOf(kind: ObjectKind, ids: string[]): Promise<Map<string, number>> {
    return this.ids.seqsOf(kind, ids);
  }
}

/** Versions of btrfs, Samba, ganesha, tgt, nbdkit and the kernel. */
export class VersionService {
  constructor(private readonly versions: Versions) {}
  all(): Promise<PartVersion[]> {
    return this.versions.all();
  }
}
