// CHAP and ACL changes on a live tgt target, checked against a model of tgt 1.0.85's account array
// (unbind zeroes the slot and lowers the count; bind fills the first free slot; `show` and logins
// read the slots below the count): no plan may leave a hole there (tgtd's `show` then dies) or a
// moment with no account while an ACL entry lets someone in (tgt then asks no CHAP).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accessPlan, incomingOf, incomingPlan, type TgtAccess } from '../../../../src/system/tgt/accounts.js';
import type { TgtTarget } from '../../../../src/system/tgt/parse.js';

class TgtModel {
  slots: (string | 0)[] = [];
  nr = 0;
  out: string | null = null;
  acl: string[] = [];
  constructor(a: TgtAccess) {
    this.slots = [...a.incoming, ...Array<0>(16).fill(0)];
    this.nr = a.incoming.length;
    this.out = a.outgoing[0] ?? null;
    this.acl = [...a.acl];
  }
  apply(argv: readonly string[]): void {
    const op = argv[argv.indexOf('--op') + 1]!;
    const mode = argv[argv.indexOf('--mode') + 1];
    const value = argv[argv.indexOf('--mode') + 5]!;
    if (mode === 'account' && argv.includes('--outgoing')) {
      if (op === 'bind') {
        assert.equal(this.out, null, 'one outgoing account');
        this.out = value;
      } else {
        assert.equal(this.out, value);
        this.out = null;
      }
    } else if (mode === 'account') {
      if (op === 'bind') {
        assert.ok(!this.slots.includes(value), `${value} bound twice`);
        this.slots[this.slots.indexOf(0)] = value;
        this.nr++;
      } else {
        const i = this.slots.indexOf(value);
        assert.ok(i >= 0, `${value} not bound`);
        this.slots[i] = 0;
        this.nr--;
      }
    } else if (op === 'bind') {
      assert.ok(!this.acl.includes(value));
      this.acl.push(value);
    } else {
      assert.ok(this.acl.includes(value), `${value} not in the ACL`);
      this.acl = this.acl.filter((e) => e !== value);
    }
  }
  /** tgt's `show`: reading a zeroed slot below the count kills tgtd. */
  incoming(): string[] {
    const seen = this.slots.slice(0, this.nr);
    assert.ok(!seen.includes(0), `a hole below the count: ${JSON.stringify(this.slots)} nr=${this.nr}`);
    return seen as string[];
  }
}

/** Runs a plan on the model, checking after each command; returns the end state. */
function run(now: TgtAccess, want: TgtAccess): TgtAccess {
  const m = new TgtModel(now);
  // Who may log in without CHAP, before or after.
  const open = (a: TgtAccess) => (a.incoming.length ? [] : a.acl);
  for (const argv of accessPlan(7, now, want)) {
    m.apply(argv);
    const chap = m.incoming().length > 0;
    for (const e of m.acl) {
      assert.ok(now.acl.includes(e) || want.acl.includes(e), `${e} let in`);
      if (!chap)
        assert.ok(open(now).includes(e) || open(want).includes(e), `${e} in without CHAP: ${argv.join(' ')}`);
    }
  }
  return { acl: m.acl, incoming: m.incoming(), outgoing: m.out ? [m.out] : [] };
}

const same = (x: TgtAccess, y: TgtAccess) => {
  assert.deepEqual([...x.acl].sort(), [...y.acl].sort());
  assert.deepEqual([...x.incoming].sort(), [...y.incoming].sort());
  assert.deepEqual(x.outgoing, y.outgoing);
};

test('every change between sets of hosts keeps tgt whole and never opens a CHAP target', () => {
  const users = ['a', 'b', 'c', 'd'];
  const subsets = (n: number) =>
    Array.from({ length: 1 << n }, (_, m) => users.slice(0, n).filter((_, i) => m & (1 << i)));
  const perms = (xs: string[]): string[][] =>
    xs.length <= 1 ? [xs] : xs.flatMap((x) => perms(xs.filter((y) => y !== x)).map((p) => [x, ...p]));
  let cases = 0;
  const acl = (us: string[]) => us.map((u) => `iqn.2024-01.io.x:${u}`);
  for (const from of subsets(4))
    for (const order of perms(from))
      for (const to of subsets(4)) {
        // hosts a and b have CHAP, c and d none (tgt's CHAP is per target: they get in only while
        // no account is bound)
        const chap = (us: string[]) => us.filter((u) => u === 'a' || u === 'b');
        const now = { acl: acl(order), incoming: chap(order), outgoing: [] };
        const want = { acl: acl(to), incoming: chap(to), outgoing: [] };
        same(run(now, want), want);
        const all = { acl: acl(order), incoming: order, outgoing: [] };
        same(run(all, { acl: acl(to), incoming: to, outgoing: [] }), {
          acl: acl(to),
          incoming: to,
          outgoing: [],
        });
        cases++;
      }
  assert.ok(cases > 1000);
});

test('taking out the first of three accounts unbinds from the end and binds the kept ones again', () => {
  const p = incomingPlan(1, ['a', 'b', 'c'], ['b', 'c']);
  assert.deepEqual(
    p.commands.map((argv) => argv.slice(5).join(' ')),
    [
      '--op unbind --mode account --tid 1 --user c',
      '--op unbind --mode account --tid 1 --user b',
      '--op unbind --mode account --tid 1 --user a',
      '--op bind --mode account --tid 1 --user b',
      '--op bind --mode account --tid 1 --user c',
    ],
  );
  assert.equal(p.emptied, true);
  // the last one goes alone
  assert.deepEqual(
    incomingPlan(1, ['a', 'b', 'c'], ['a', 'b']).commands.map((x) => x.slice(5).join(' ')),
    ['--op unbind --mode account --tid 1 --user c'],
  );
});

test('the ACL is closed while the accounts are empty, and addresses are unbound as addresses', () => {
  const plan = accessPlan(
    2,
    { acl: ['iqn.2024-01.io.x:a', '10.0.0.0/8'], incoming: ['a'], outgoing: ['m'] },
    { acl: ['10.0.0.0/8'], incoming: ['b'], outgoing: [] },
  ).map((x) => x.slice(5).join(' '));
  assert.deepEqual(plan, [
    '--op unbind --mode target --tid 2 --initiator-name iqn.2024-01.io.x:a',
    '--op unbind --mode target --tid 2 --initiator-address 10.0.0.0/8',
    '--op unbind --mode account --tid 2 --user a',
    '--op bind --mode account --tid 2 --user b',
    '--op unbind --mode account --tid 2 --user m --outgoing',
    '--op bind --mode target --tid 2 --initiator-address 10.0.0.0/8',
  ]);
  // nothing emptied: the kept entries stay, the old one goes first, the new one comes last
  assert.deepEqual(
    accessPlan(
      2,
      { acl: ['iqn.2024-01.io.x:a', 'iqn.2024-01.io.x:b'], incoming: ['a', 'b'], outgoing: [] },
      { acl: ['iqn.2024-01.io.x:b', 'iqn.2024-01.io.x:c'], incoming: ['a', 'c'], outgoing: [] },
    ).map((x) => x.slice(5).join(' ')),
    [
      '--op unbind --mode target --tid 2 --initiator-name iqn.2024-01.io.x:a',
      '--op unbind --mode account --tid 2 --user b',
      '--op bind --mode account --tid 2 --user c',
      '--op bind --mode target --tid 2 --initiator-name iqn.2024-01.io.x:c',
    ],
  );
});

test("a target's incoming accounts in tgt's order, an outgoing one that is also incoming kept", () => {
  const t = { accounts: ['x', 'm', 'y', 'm'], outgoing: ['m'] } as TgtTarget;
  assert.deepEqual(incomingOf(t), ['x', 'm', 'y']);
});
