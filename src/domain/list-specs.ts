// List specs: which wire fields of each collection can be filtered and sorted, and their columns.
// Pure data shared by the store (SQL) and the API (query schemas).
import { listSpec } from './list.js';

export const JOB_LIST = listSpec({
  fields: {
    id: { column: 'id', type: 'string', filterable: true, sortable: true },
    kind: { column: 'kind', type: 'string', filterable: true, sortable: true },
    state: { column: 'state', type: 'string', filterable: true, sortable: true },
    object_type: { column: 'object_type', type: 'string', filterable: true, sortable: true },
    object_id: { column: 'object_id', type: 'string', filterable: true },
    created_by: { column: 'created_by', type: 'string', filterable: true, sortable: true },
    created_at: { column: 'created_at', type: 'time', filterable: true, sortable: true },
    finished_at: { column: 'finished_at', type: 'time', filterable: true, sortable: true },
  },
  defaultSort: '-created_at',
  tieBreaker: 'id',
});

export const USER_LIST = listSpec({
  fields: {
    name: { column: 'name', type: 'string', filterable: true, sortable: true },
    role: { column: 'role', type: 'string', filterable: true, sortable: true },
    enabled: { column: 'enabled', type: 'boolean', filterable: true },
    created_at: { column: 'created_at', type: 'time', filterable: true, sortable: true },
  },
  defaultSort: 'name',
  tieBreaker: 'id',
});

export const ROLE_LIST = listSpec({
  fields: { name: { column: 'name', type: 'string', filterable: true, sortable: true } },
  defaultSort: 'name',
  tieBreaker: 'id',
});

export const KEY_LIST = listSpec({
  fields: {
    name: { column: 'name', type: 'string', filterable: true, sortable: true },
    user_id: { column: 'user_id', type: 'string', filterable: true },
    enabled: { column: 'enabled', type: 'boolean', filterable: true },
    created_at: { column: 'created_at', type: 'time', filterable: true, sortable: true },
    expires_at: { column: 'expires_at', type: 'time', filterable: true, sortable: true },
  },
  defaultSort: 'created_at',
  tieBreaker: 'id',
});

export const AUDIT_LIST = listSpec({
  fields: {
    at: { column: 'at', type: 'time', filterable: true, sortable: true },
    actor: { column: 'actor', type: 'string', filterable: true, sortable: true },
    actor_kind: { column: 'actor_kind', type: 'string', filterable: true },
    source: { column: 'source', type: 'string', filterable: true },
    method: { column: 'method', type: 'string', filterable: true, sortable: true },
    route: { column: 'route', type: 'string', filterable: true, sortable: true },
    url: { column: 'url', type: 'string', filterable: true },
    status: { column: 'status', type: 'integer', filterable: true, sortable: true },
    result: { column: 'result', type: 'string', filterable: true },
    error_code: { column: 'error_code', type: 'string', filterable: true },
    request_id: { column: 'request_id', type: 'string', filterable: true },
  },
  defaultSort: '-at',
  tieBreaker: 'seq',
});

export const EVENT_LIST = listSpec({
  fields: {
    at: { column: 'at', type: 'time', filterable: true, sortable: true },
    type: { column: 'type', type: 'string', filterable: true, sortable: true },
    severity: { column: 'severity', type: 'string', filterable: true, sortable: true },
    object_type: { column: 'object_type', type: 'string', filterable: true, sortable: true },
    object_id: { column: 'object_id', type: 'string', filterable: true },
    actor: { column: 'actor', type: 'string', filterable: true },
    message: { column: 'message', type: 'string', filterable: true },
  },
  defaultSort: '-at',
  tieBreaker: 'seq',
});
