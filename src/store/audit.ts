// The audit trail of mutating requests: who, when, from where, what, and how it ended.
import type { Kysely, Selectable } from 'kysely';
import type { DB } from './schema.js';
import type { ListParams, Page } from '../domain/list.js';
import { listPage } from './list.js';
import { AUDIT_LIST } from '../domain/list-specs.js';
import type { StoreDialect } from './dialect.js';
import { newId } from '../domain/ids.js';

export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  actor_kind: string;
  source: string;
  method: string;
  route: string;
  url: string;
  status: number;
  result: 'ok' | 'error';
  error_code: string | null;
  request_id: string;
}

export class AuditStore {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: StoreDialect,
  ) {}

  async record(e: Omit<AuditEntry, 'id'>): Promise<void> {
    await this.db
      .insertInto('audit')
      .values({ id: newId(), ...e })
      .execute();
  }

  list(params: ListParams): Promise<Page<AuditEntry>> {
    return listPage(
      this.db.selectFrom('audit').selectAll(),
      AUDIT_LIST,
      params,
      this.dialect,
      (r: Selectable<DB['audit']>) => {
        const { seq: _seq, ...rest } = r;
        return rest as AuditEntry;
      },
    );
  }
}
