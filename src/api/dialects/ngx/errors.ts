// Cairn error codes → NGXStorage's `{"code", "error"}` body, by one table. NGX's SDK tells cases
// apart by these numbers (it retries 725); the HTTP status stays Cairn's.

/** NGX's numbers for the cases its clients tell apart. */
export const NGX_CODE = {
  busy: 725,
  notFound: 5011,
  exists: 710,
  attached: 534,
  iqnMissing: 521,
  iqnExists: 522,
  targetDeleted: 611,
  badKey: 5000,
} as const;

const { busy, notFound, exists, attached, iqnMissing, iqnExists, targetDeleted, badKey } = NGX_CODE;

/** Cairn code → NGX code. Codes not named here fall back by suffix, then to the HTTP status. */
const TABLE: Record<string, number> = {
  // the key: missing, wrong, expired, not allowed this call or this pool
  UNAUTHENTICATED: badKey,
  FORBIDDEN: badKey,
  OUT_OF_SCOPE: badKey,
  CSRF_TOKEN_INVALID: badKey,
  API_KEY_DISABLED: badKey,
  // a locked object, a job in the way, something not ready yet: the SDK retries
  OBJECT_LOCKED: busy,
  VOLUME_NOT_READY: busy,
  SNAPSHOT_NOT_READY: busy,
  EXPORT_NOT_READY: busy,
  EXPORT_BUSY: busy,
  TARGET_NOT_READY: busy,
  NOT_READY: busy,
  SERVICE_UNAVAILABLE: busy,
  JOB_INTERRUPTED: busy,
  MAINTENANCE_MODE: busy,
  // attached or busy: a volume mapped or shared, a host in use, a snapshot with clones
  VOLUME_IN_USE: attached,
  VOLUME_MAPPED: attached,
  HOST_IN_USE: attached,
  SNAPSHOT_HELD: attached,
  DISK_IN_USE: attached,
  POOL_IN_USE: attached,
  LUN_IN_USE: attached,
  TARGET_LUN_TAKEN: attached,
  TARGET_BUSY: attached,
  TARGET_HAS_LUNS: attached,
  VOLUME_ALREADY_MAPPED: attached,
  VOLUME_EXPORTED_READ_WRITE: attached,
  VOLUME_HAS_CLONES: attached,
  SNAPSHOT_HAS_CLONES: attached,
  // initiators and targets
  INITIATOR_NOT_FOUND: iqnMissing,
  HOST_IQN_TAKEN: iqnExists,
  EXPORT_IQN_TAKEN: iqnExists,
  TARGET_IQN_TAKEN: iqnExists,
  TARGET_NOT_FOUND: targetDeleted,
};

export interface NgxErrorBody {
  code: number;
  error: string;
}

/** The NGX body for a Cairn error code, status and message. */
export function ngxError(code: string, status: number, message: string): NgxErrorBody {
  const known = TABLE[code];
  if (known !== undefined) return { code: known, error: message };
  if (code.endsWith('NOT_FOUND') || status === 404) return { code: notFound, error: message };
  if (code.endsWith('_TAKEN') || code.endsWith('_EXISTS')) return { code: exists, error: message };
  return { code: status, error: message };
}
