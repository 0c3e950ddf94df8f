// The audit trail of mutating requests: who, when, from where, what, and how it ended.
import type { Kysely, Selectable } from 'kysely';
import type { DB } from './schema.js';
import type { ListParams, Page } from '../domain/list.js';
import { listPage } from './list.js';
import { AUDIT_LIST } from '../domain/list-specs.js';
import type { StoreDialect } from './dialect.js';
import { newId } from '../domain/ids.js';
import type { AuditRecord } from '../domain/audit.js';
import { camelKeys, snakeKeys } from './casing.js';

export class AuditStore {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: StoreDialect,
  ) {}

  async record(e: Omit<AuditRecord, 'id'>): Promise<void> {
    await this.db
      .insertInto('audit')
      .values({ id: newId(), ...snakeKeys(e) })
      .execute();
  }

  list(params: ListParams): Promise<Page<AuditRecord>> {
    return listPage(
      this.db.selectFrom('audit').selectAll(),
      AUDIT_LIST,
      params,
      this.dialect,
      (r: Selectable<DB['audit']>): AuditRecord => {
        const { seq: _seq, result, ...rest } = r;
        return { ...camelKeys(rest), result: result === 'ok' ? 'ok' : 'error' };
      },
    );
  }
}
