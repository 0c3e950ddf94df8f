// Row types of every table, as the database stores them (JSON in text columns, booleans as 0/1,
// times as ISO 8601 text). Store modules convert rows to domain types; nobody else sees rows.
import type { Generated } from 'kysely';
import type { StorageTables } from './schema-storage.js';
import type { VolumeTables } from './schema-volumes.js';
import type { ExportTables } from './schema-exports.js';
import type { ProtectionTables } from './schema-protection.js';
import type { MonitorTables } from './schema-monitor.js';
import type { DialectTables } from './schema-dialects.js';
import type { AttachmentTables } from './schema-attachments.js';

export interface UsersTable {
  seq: Generated<number>;
  id: string;
  name: string;
  password_hash: string;
  role: string;
  enabled: number;
  smb_enabled: number;
  failed_logins: number;
  locked_until: string | null;
  created_at: string;
  updated_at: string;
}

export interface RolesTable {
  seq: Generated<number>;
  id: string;
  name: string;
  description: string;
  permissions: string;
  builtin: number;
  created_at: string;
}

export interface ApiKeysTable {
  seq: Generated<number>;
  id: string;
  name: string;
  user_id: string;
  secret_hash: string;
  permissions: string | null;
  pools: string | null;
  expires_at: string | null;
  created_at: string;
  last_used_at: string | null;
  /** 0: kept but refused at authentication (API_KEY_DISABLED). */
  enabled: number;
}

export interface SessionsTable {
  seq: Generated<number>;
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

export interface JobsTable {
  seq: Generated<number>;
  id: string;
  kind: string;
  title: string;
  state: string;
  args: string;
  data: string;
  result: string | null;
  error: string | null;
  progress: number;
  step_index: number;
  step_count: number;
  locks: string;
  object_type: string | null;
  object_id: string | null;
  cancel_requested: number;
  created_by: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  updated_at: string;
}

export interface JobStepsTable {
  job_id: string;
  idx: number;
  name: string;
  state: string;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
}

export interface JobLogsTable {
  seq: Generated<number>;
  job_id: string;
  step_idx: number | null;
  at: string;
  level: string;
  message: string;
}

export interface AuditTable {
  seq: Generated<number>;
  id: string;
  at: string;
  actor: string;
  actor_kind: string;
  source: string;
  method: string;
  route: string;
  url: string;
  status: number;
  result: string;
  error_code: string | null;
  request_id: string;
}

export interface EventsTable {
  seq: Generated<number>;
  id: string;
  at: string;
  type: string;
  severity: string;
  object_type: string | null;
  object_id: string | null;
  message: string;
  details: string;
  actor: string;
}

export interface SettingsTable {
  key: string;
  value: string;
}

/** Every table: the foundation's here, each area's in its schema-<area>.ts. */
export interface DB
  extends
    StorageTables,
    VolumeTables,
    ExportTables,
    ProtectionTables,
    MonitorTables,
    DialectTables,
    AttachmentTables {
  users: UsersTable;
  roles: RolesTable;
  api_keys: ApiKeysTable;
  sessions: SessionsTable;
  jobs: JobsTable;
  job_steps: JobStepsTable;
  job_logs: JobLogsTable;
  audit: AuditTable;
  events: EventsTable;
  settings: SettingsTable;
}
