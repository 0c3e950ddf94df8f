// The tgtadm commands that bring a running target to its desired LUNs, CHAP bindings and ACL
// without deleting it, so open sessions stay: the bindings (accounts.ts), then LUNs added, flagged
// and removed. Pure.
import * as a from './argv.js';
import type { TgtTarget } from './parse.js';
import { accessOf, accessPlan } from './accounts.js';

export interface TgtLun {
  lun: number;
  path: string;
  readOnly: boolean;
  blockSize: number | null;
  serial: string;
}

export interface TgtTargetSpec {
  tid: number;
  iqn: string;
  luns: TgtLun[];
  initiators: string[];
  addresses: string[];
  /** Accounts (already created) bound for one-way CHAP. */
  accounts: string[];
  /** Accounts bound as outgoing (mutual CHAP). */
  outgoing: string[];
}

type Argv = readonly string[];

/** The parameters a LUN is given once created (and again when its read-only flag changes). */
export const lunParams = (l: TgtLun): string =>
  ['vendor_id=CAIRN', `scsi_sn=${l.serial}`, 'thin_provisioning=1', `readonly=${l.readOnly ? 1 : 0}`].join(
    ',',
  );

export const newLunCommands = (tid: number, l: TgtLun): Argv[] => [
  a.newLunArgv(tid, l.lun, l.path, l.blockSize),
  a.lunParamsArgv(tid, l.lun, lunParams(l)),
];

/** Commands to create the target from nothing. */
export function createPlan(s: TgtTargetSpec): Argv[] {
  return [
    a.newTargetArgv(s.tid, s.iqn),
    ...a.ISCSI_TARGET_PARAMS.map(([name, value]) => a.targetParamArgv(s.tid, name, value)),
    ...s.luns.flatMap((l) => newLunCommands(s.tid, l)),
    ...s.accounts.map((u) => a.bindAccountArgv(s.tid, u, false)),
    ...s.outgoing.map((u) => a.bindAccountArgv(s.tid, u, true)),
    ...s.initiators.map((q) => a.bindInitiatorArgv(s.tid, q)),
    ...s.addresses.map((ad) => a.bindAddressArgv(s.tid, ad)),
  ];
}

/**
 * Commands to change a running target into `s` in place: ACL entries and CHAP accounts bound and
 * unbound in an order tgt 1.0.85 survives (accounts.ts), LUNs added, flagged (tgt applies
 * `readonly=` to a live LUN, though its `show` does not report it) and removed. Open sessions stay.
 */
export function syncPlan(cur: TgtTarget, s: TgtTargetSpec): Argv[] {
  const out: Argv[] = accessPlan(s.tid, accessOf(cur), {
    acl: [...new Set([...s.initiators, ...s.addresses])],
    incoming: s.accounts,
    outgoing: s.outgoing,
  });
  for (const l of s.luns) {
    if (!cur.luns.includes(l.lun)) out.push(...newLunCommands(s.tid, l));
    else out.push(a.lunParamsArgv(s.tid, l.lun, lunParams(l)));
  }
  for (const n of cur.luns)
    if (n !== 0 && !s.luns.some((l) => l.lun === n)) out.push(a.deleteLunArgv(s.tid, n));
  return out;
}
