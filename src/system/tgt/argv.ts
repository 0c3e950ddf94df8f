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
export const bindInitiatorArgv = (tid: number, iqn: string) =>
  [...base, '--op', 'bind', '--mode', 'target', '--tid', String(tid), '--initiator-name', iqn] as const;
export const bindAddressArgv = (tid: number, address: string) =>
  [
    ...base,
    '--op',
    'bind',
    '--mode',
    'target',
    '--tid',
    String(tid),
    '--initiator-address',
    address,
  ] as const;
/** The password is argv position 10: pass it as a secret position so logs print ***. */
export const newAccountArgv = (user: string, password: string) =>
  [...base, '--op', 'new', '--mode', 'account', '--user', user, '--password', password] as const;
export const ACCOUNT_PASSWORD_POS = 12;
export const deleteAccountArgv = (user: string) =>
  [...base, '--op', 'delete', '--mode', 'account', '--user', user] as const;
export const bindAccountArgv = (tid: number, user: string, outgoing: boolean) =>
  [
    ...base,
    '--op',
    'bind',
    '--mode',
    'account',
    '--tid',
    String(tid),
    '--user',
    user,
    ...(outgoing ? ['--outgoing'] : []),
  ] as const;
export const showAccountsArgv = () => [...base, '--op', 'show', '--mode', 'account'] as const;
export const offlineArgv = () =>
  [...base, '--op', 'update', '--mode', 'sys', '--name', 'State', '-v', 'offline'] as const;
export const deleteSystemArgv = () => [...base, '--op', 'delete', '--mode', 'system'] as const;

/** tgtd in the foreground, listening on one portal. */
export const tgtdArgv = (portal: string) =>
  ['tgtd', '-f', '-C', CONTROL_PORT, '--iscsi', `portal=${portal}`] as const;
