// Services over the records every area shares: the audit trail, dialect id numbers, and the
// versions of the parts Cairn drives. Routes and dialects reach the store and the programs through
// these, never directly (the Services bag holds services only).
import type { ListParams, Page } from '../domain/list.js';
import type { SeqTable } from '../domain/ids.js';
import type { AuditEntry, AuditStore } from '../store/audit.js';
import type { ObjectIds } from '../store/object-ids.js';
import type { PartVersion, Versions } from '../system/versions/index.js';

export class AuditService {
  constructor(private readonly store: AuditStore) {}
  record(e: Omit<AuditEntry, 'id'>): Promise<void> {
    return this.store.record(e);
  }
  list(params: ListParams): Promise<Page<AuditEntry>> {
    return this.store.list(params);
  }
}

/** Object id ↔ sequence number, from which dialects derive their own id forms. */
export class ObjectIdService {
  constructor(private readonly ids: ObjectIds) {}
  seqOf(table: SeqTable, id: string): Promise<number | undefined> {
    return this.ids.seqOf(table, id);
  }
  idOf(table: SeqTable, seq: number): Promise<string | undefined> {
    return this.ids.idOf(table, seq);
  }
  firstSeqs(table: SeqTable, limit: number): Promise<Map<string, number>> {
    return this.ids.firstSeqs(table, limit);
  }
  seqsOf(table: SeqTable, ids: string[]): Promise<Map<string, number>> {
    return this.ids.seqsOf(table, ids);
  }
}

/** Versions of btrfs, Samba, ganesha, tgt, nbdkit and the kernel. */
export class VersionService {
  constructor(private readonly versions: Versions) {}
  all(): Promise<PartVersion[]> {
    return this.versions.all();
  }
}
