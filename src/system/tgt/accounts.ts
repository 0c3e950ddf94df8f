// Pure plans for a live target's CHAP bindings and ACL that tgt 1.0.85 survives.
//
// tgt keeps a target's incoming accounts in an array it reads up to a count. `--op unbind --mode
// account` zeroes the account's slot and lowers the count, so unbinding any account but the last
// leaves a hole inside the counted part: logins no longer see the last account (its initiators
// fail CHAP, 513), and the next `--op show --mode target` looks up account id 0, dereferences
// NULL and tgtd dies (SIGSEGV; every session of every target gone). `--op delete --mode account`
// unbinds the account from every target the same way. A bind fills the first free slot. Sessions
// are never touched by any of this: CHAP and the ACL are checked at login only.
//
// So an account is only ever unbound while it is the last one: to take one out, the accounts from
// it to the end are unbound last-first and the kept ones bound again. Meanwhile their new logins
// are refused (initiators retry); open sessions carry on. When that empties the target's accounts
// while some are still wanted, tgt would ask no CHAP at all for a moment, so the ACL is emptied
// first (an empty ACL lets nobody in) and filled again after.
import * as a from './argv.js';
import type { TgtTarget } from './parse.js';

type Argv = readonly string[];

/** What a target's logins should allow. */
export interface TgtAccess {
  /** Initiator names and addresses (CIDR or `ALL`) in the ACL. */
  acl: readonly string[];
  /** Accounts bound for one-way CHAP. */
  incoming: readonly string[];
  /** Accounts bound as outgoing (mutual CHAP). */
  outgoing: readonly string[];
}

/** The incoming accounts of a target in tgt's order (`show` lists outgoing ones after them). */
export function incomingOf(t: TgtTarget): string[] {
  const out = [...t.accounts];
  for (const o of t.outgoing) out.splice(out.lastIndexOf(o), 1);
  return out;
}

export function accessOf(t: TgtTarget): TgtAccess {
  return { acl: t.acl, incoming: incomingOf(t), outgoing: t.outgoing };
}

const isName = (entry: string) => /^(iqn|eui|naa)\./i.test(entry);
const bindAcl = (tid: number, e: string) =>
  isName(e) ? a.bindInitiatorArgv(tid, e) : a.bindAddressArgv(tid, e);
const unbindAcl = (tid: number, e: string) =>
  isName(e) ? a.unbindInitiatorArgv(tid, e) : a.unbindAddressArgv(tid, e);

/**
 * Incoming accounts from `now` (tgt's order, no hole) to `want`: unbinds, last first, from the
 * first unwanted account to the end, then binds the kept ones and the new ones. `emptied` says the
 * target had no account for a moment while some are wanted.
 */
export function incomingPlan(
  tid: number,
  now: readonly string[],
  want: readonly string[],
): { commands: Argv[]; emptied: boolean } {
  const first = now.findIndex((u) => !want.includes(u));
  const tail = first < 0 ? [] : now.slice(first);
  const kept = first < 0 ? [...now] : now.slice(0, first);
  const commands: Argv[] = [...tail].reverse().map((u) => a.unbindAccountArgv(tid, u, false));
  const bind = [...tail.filter((u) => want.includes(u)), ...want.filter((u) => !now.includes(u))];
  commands.push(...[...new Set(bind)].map((u) => a.bindAccountArgv(tid, u, false)));
  return { commands, emptied: first === 0 && kept.length === 0 && want.length > 0 };
}

/**
 * Commands changing a live target's ACL and CHAP bindings from `now` to `want`, restricting first
 * and opening last (ACL entries taken out, then the accounts, then ACL entries added), so nobody
 * gets in who is not allowed before or after, and never leaving tgt a hole (see above). While the
 * accounts are empty for a moment the whole ACL is out: an empty ACL lets nobody in.
 */
export function accessPlan(tid: number, now: TgtAccess, want: TgtAccess): Argv[] {
  const inc = incomingPlan(tid, now.incoming, want.incoming);
  const stays = inc.emptied ? [] : now.acl.filter((e) => want.acl.includes(e));
  return [
    ...now.acl.filter((e) => !stays.includes(e)).map((e) => unbindAcl(tid, e)),
    ...inc.commands,
    ...now.outgoing.filter((u) => !want.outgoing.includes(u)).map((u) => a.unbindAccountArgv(tid, u, true)),
    ...want.outgoing.filter((u) => !now.outgoing.includes(u)).map((u) => a.bindAccountArgv(tid, u, true)),
    ...want.acl.filter((e) => !stays.includes(e)).map((e) => bindAcl(tid, e)),
  ];
}
