// Pure argv builders for tgtadm (tgt 1.0.85). Every call names the instance's control port (-C) so
// several tgtd instances (one per cairnd) never mix; the socket path comes from TGT_IPC_SOCKET.
export const CONTROL_PORT = '0';
const base = ['tgtadm', '-C', CONTROL_PORT, '--lld', 'iscsi'] as const;

export const showSystemArgv = () => [...base, '--op', 'show', '--mode', 'sys'] as const;
export const showTargetsArgv = () => [...base, '--op', 'show', '--mode', 'target'] as const;
export const showConnArgv = (tid: number) =>
  [...base, '--op', 'show', '--mode', 'conn', '--tid', String(tid)] as const;
export const newTargetArgv = (tid: number, iqn: string) =>
  [...base, '--op', 'new', '--mode', 'target', '--tid', String(tid), '--targetname', iqn] as const;
export const deleteTargetArgv = (tid: number, force: boolean) =>
  [
    ...base,
    '--op',
    'delete',
    ...(force ? ['--force'] : []),
    '--mode',
    'target',
    '--tid',
    String(tid),
  ] as const;
export const newLunArgv = (tid: number, lun: number, backing: string, blockSize: number | null) =>
  [
    ...base,
    '--op',
    'new',
    '--mode',
    'logicalunit',
    '--tid',
    String(tid),
    '--lun',
    String(lun),
    '--backing-store',
    backing,
    '--bstype',
    'rdwr',
    ...(blockSize ? ['--blocksize', String(blockSize)] : []),
  ] as const;
export const lunParamsArgv = (tid: number, lun: number, params: string) =>
  [
    ...base,
    '--op',
    'update',
    '--mode',
    'logicalunit',
    '--tid',
    String(tid),
    '--lun',
    String(lun),
    '--params',
    params,
  ] as const;
export const targetParamArgv = (tid: number, name: string, value: string) =>
  [
    ...base,
    '--op',
    'update',
    '--mode',
    'target',
    '--tid',
    String(tid),
    '--name',
    name,
    '--value',
    value,
  ] as const;

/**
 * iSCSI session parameters each target offers (tgt's own defaults are 8 KiB data segments, a
 * 64 KiB first burst, 256 KiB bursts and an R2T round trip before every write's data). A 1 MiB
 * write then costs 128 data PDUs and four R2T round trips; with these it is 256 KiB of immediate
 * data and one R2T for the rest, in 256 KiB segments. Initiators negotiate down to their own limits
 * (RFC 7143: the lower value wins, InitialR2T=Yes wins), so no client is worse off.
 */
export const ISCSI_TARGET_PARAMS: readonly (readonly [string, string])[] = [
  ['MaxRecvDataSegmentLength', '262144'],
  ['MaxXmitDataSegmentLength', '262144'],
  ['FirstBurstLength', '262144'],
  ['MaxBurstLength', '1048576'],
  ['InitialR2T', 'No'],
  ['ImmediateData', 'Yes'],
];

/** ACL entries: an initiator name or an address (CIDR or `ALL`); tgt keeps them in a list. */
const aclArgv = (op: 'bind' | 'unbind', tid: number, kind: 'name' | 'address', value: string) =>
  [...base, '--op', op, '--mode', 'target', '--tid', String(tid), `--initiator-${kind}`, value] as const;
export const bindInitiatorArgv = (tid: number, iqn: string) => aclArgv('bind', tid, 'name', iqn);
export const bindAddressArgv = (tid: number, address: string) => aclArgv('bind', tid, 'address', address);
export const unbindInitiatorArgv = (tid: number, iqn: string) => aclArgv('unbind', tid, 'name', iqn);
export const unbindAddressArgv = (tid: number, address: string) => aclArgv('unbind', tid, 'address', address);
export const deleteLunArgv = (tid: number, lun: number) =>
  [...base, '--op', 'delete', '--mode', 'logicalunit', '--tid', String(tid), '--lun', String(lun)] as const;
/** The password is argv position 10: pass it as a secret position so logs print ***. */
export const newAccountArgv = (user: string, password: string) =>
  [...base, '--op', 'new', '--mode', 'account', '--user', user, '--password', password] as const;
export const ACCOUNT_PASSWORD_POS = 12;
export const deleteAccountArgv = (user: string) =>
  [...base, '--op', 'delete', '--mode', 'account', '--user', user] as const;
const accountArgv = (op: 'bind' | 'unbind', tid: number, user: string, outgoing: boolean) =>
  [
    ...base,
    '--op',
    op,
    '--mode',
    'account',
    '--tid',
    String(tid),
    '--user',
    user,
    ...(outgoing ? ['--outgoing'] : []),
  ] as const;
export const bindAccountArgv = (tid: number, user: string, outgoing: boolean) =>
  accountArgv('bind', tid, user, outgoing);
/** Safe only for a target's last incoming account (see accounts.ts). */
export const unbindAccountArgv = (tid: number, user: string, outgoing: boolean) =>
  accountArgv('unbind', tid, user, outgoing);
export const showAccountsArgv = () => [...base, '--op', 'show', '--mode', 'account'] as const;
export const offlineArgv = () =>
  [...base, '--op', 'update', '--mode', 'sys', '--name', 'State', '-v', 'offline'] as const;
export const deleteSystemArgv = () => [...base, '--op', 'delete', '--mode', 'system'] as const;

/**
 * Environment for tgtd. tgt allocates every command's data buffer page-aligned (posix_memalign);
 * glibc's dynamic mmap threshold never catches up with an aligned request (it is always a page
 * above the last freed chunk), so each 1 MiB command mmaps, faults in and munmaps fresh memory:
 * measured, sequential 1 MiB reads ran ten times slower. A fixed threshold (glibc's maximum, 32 MiB)
 * and a high trim threshold keep the buffers in the heap and reuse them.
 */
export const TGTD_ENV: Readonly<Record<string, string>> = {
  GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456',
};

/** tgtd in the foreground, listening on one portal. */
export const tgtdArgv = (portal: string) =>
  ['tgtd', '-f', '-C', CONTROL_PORT, '--iscsi', `portal=${portal}`] as const;
