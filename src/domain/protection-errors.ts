// Error codes for schedules and replication; merged into the registry in errors.ts.
import type { ErrorSpec } from './error-spec.js';

export const PROTECTION_ERRORS = {
  SCHEDULE_NOT_FOUND: { status: 404, message: 'schedule {id} does not exist' },
  SCHEDULE_NAME_TAKEN: { status: 409, message: 'a schedule named {name} already exists' },
  PARTNER_NOT_FOUND: { status: 404, message: 'partner {id} does not exist' },
  PARTNER_NAME_TAKEN: { status: 409, message: 'a partner named {name} already exists' },
  PARTNER_IN_USE: {
    status: 409,
    message: 'partner {id} is used by relationships: {relationships}',
    hint: 'delete the relationships first',
  },
  PARTNER_UNREACHABLE: {
    status: 422,
    message: 'partner at {url} cannot be reached: {reason}',
    hint: 'check the URL, the network and that cairnd runs there',
  },
  PARTNER_CERTIFICATE_MISMATCH: {
    status: 422,
    message: 'the certificate of {url} has fingerprint {actual}, not the pinned {expected}',
    hint: 'read the fingerprint from the partner (GET /api/v1/system/certificate) over a trusted path',
  },
  PARTNER_UNAUTHORIZED: {
    status: 422,
    message: 'partner at {url} refused the API key: {reason}',
    hint: 'create an API key on the partner with relationship.write and pool.read',
  },
  PARTNER_LOGIN_FAILED: {
    status: 422,
    message: 'partner at {url} refused the login of user {user}: {reason}',
    hint: 'check the user name and password of an admin user on the partner',
  },
  PARTNER_ERROR: { status: 422, message: 'partner at {url} answered {status}: {code} {reason}' },
  PARTNER_CALLBACK_FAILED: {
    status: 422,
    message: 'partner at {partner} could not add this system back at {url}: {reason}',
    hint: 'give an address and port of this system that the partner can reach (vSnap: local_addr, local_api_port)',
  },
  RELATIONSHIP_NOT_FOUND: { status: 404, message: 'relationship {id} does not exist' },
  RELATIONSHIP_EXISTS: {
    status: 409,
    message: 'volume {volumeId} already replicates to pool {pool} on partner {partner}',
  },
  RELATIONSHIP_WRONG_ROLE: {
    status: 409,
    message: 'relationship {id} is the {role} side here; {action} needs the {needed} side',
  },
  RELATIONSHIP_PROMOTED: {
    status: 409,
    message: 'the replica of relationship {id} has been promoted and receives no more data',
    hint: 'reverse the relationship to send the promoted volume back',
  },
  RELATIONSHIP_NOT_PROMOTED: {
    status: 409,
    message: 'relationship {id} is {state}; promote the replica before reversing',
  },
  RELATIONSHIP_NOTHING_RECEIVED: {
    status: 422,
    message: 'relationship {id} has received no snapshot yet; there is nothing to promote',
  },
  SESSION_NOT_FOUND: { status: 404, message: 'replication session {id} does not exist' },
  SESSION_NOT_ACTIVE: { status: 409, message: 'session {id} is {status} and cannot be cancelled' },
  SESSION_RUNNING: {
    status: 409,
    message: 'relationship {id} already has session {sessionId} {status}',
    hint: 'wait for it or cancel it',
  },
  REPLICATION_PARENT_MISSING: {
    status: 422,
    message: 'the incremental base is missing on the receiving side ({reason})',
    hint: 'the next session sends a full stream',
  },
  REPLICATION_STREAM_BROKEN: { status: 422, message: 'the replication stream broke: {reason}' },
  REPLICA_SNAPSHOT_EXISTS: {
    status: 409,
    message: 'snapshot {id} has already been received here',
  },
} as const satisfies Record<string, ErrorSpec>;
