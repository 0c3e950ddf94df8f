// Error codes for exports, hosts and daemons; merged into the registry in errors.ts.
import type { ErrorSpec } from './error-spec.js';

export const EXPORT_ERRORS = {
  HOST_NOT_FOUND: { status: 404, message: 'host {id} does not exist' },
  PROTOCOL_UNSUPPORTED: {
    status: 422,
    message: '{protocol} is not served by Cairn',
    hint: 'Cairn serves iSCSI, NFS, SMB and NBD',
  },
  EXPORT_NOT_FOUND: { status: 404, message: 'export {id} does not exist' },
  SERVICE_NOT_FOUND: { status: 404, message: 'service {name} does not exist' },
  VOLUME_NOT_SHARED: { status: 404, message: 'volume {volume} has no share' },
  VOLUME_NOT_MAPPED: { status: 404, message: 'volume {volume} is not mapped to host {host}' },
  HOST_NAME_TAKEN: { status: 409, message: 'a host named {name} already exists' },
  HOST_IQN_TAKEN: { status: 409, message: 'initiator {iqn} already belongs to host {host}' },
  INITIATOR_NOT_FOUND: { status: 404, message: 'initiator {id} does not exist' },
  CHAP_USER_TAKEN: { status: 409, message: 'CHAP user {user} is already used by host {host}' },
  HOST_IN_USE: {
    status: 409,
    message: 'host {id} is mapped by exports {exports}',
    hint: 'delete those exports first, or pass ?cascade=true',
  },
  VOLUME_ALREADY_SHARED: {
    status: 409,
    message: 'volume {volume} already has a share ({protocol}); a volume has at most one',
  },
  EXPORT_NAME_TAKEN: { status: 409, message: 'a {protocol} export named {name} already exists' },
  EXPORT_IQN_TAKEN: { status: 409, message: 'target {iqn} already exists' },
  EXPORT_BUSY: {
    status: 409,
    message: 'export {id} has {sessions} open client session(s)',
    hint: 'disconnect the clients, or pass ?force=true',
  },
  EXPORT_NOT_READY: { status: 409, message: 'export {id} is {state}' },
  EXPORT_TYPE_MISMATCH: {
    status: 422,
    message: '{protocol} exports {expected} volumes; volume {id} is a {type} volume',
  },
  EXPORT_TLS_UNAVAILABLE: {
    status: 422,
    message: 'NBD over TLS needs a certificate, and none is configured',
    hint: 'start cairnd with a TLS certificate',
  },
  EXPORT_ALLOW_LIST_UNAVAILABLE: {
    status: 422,
    message: '{protocol} exports cannot be limited to addresses here: {reason}',
    hint: "leave allowed and the hosts' addresses empty (use tls for NBD), or install an nbdkit whose ip filter parses addresses",
  },
  NO_FREE_PORT: { status: 422, message: 'no free {protocol} port from {from} to {to}' },
  DAEMON_FAILED: { status: 503, message: '{name} is not running: {reason}' },
} as const satisfies Record<string, ErrorSpec>;
