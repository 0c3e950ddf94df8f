// The in-place tgtadm plan: bindings added before LUN changes, LUN 0 (the controller) never
// touched, every kept LUN flagged again, and hosts taken out in place (never a rebuild).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { syncPlan, type TgtTargetSpec } from '../../../../src/system/tgt/plan.js';
import type { TgtTarget } from '../../../../src/system/tgt/parse.js';

const cur: TgtTarget = {
  tid: 3,
  iqn: 'iqn.2024-01.io.x:t',
  sessions: 1,
  connections: 1,
  initiators: ['iqn.2024-01.io.x:a'],
  addresses: ['127.0.0.1'],
  luns: [0, 1, 2],
  accounts: ['usera'],
  outgoing: [],
  acl: ['iqn.2024-01.io.x:a'],
};
const lun = (n: number, readOnly = false) => ({
  lun: n,
  path: `/p/${n}`,
  readOnly,
  blockSize: 512,
  serial: `s${n}`,
});
const spec = (p: Partial<TgtTargetSpec>): TgtTargetSpec => ({
  tid: 3,
  iqn: cur.iqn,
  luns: [lun(1), lun(2)],
  initiators: ['iqn.2024-01.io.x:a'],
  addresses: [],
  accounts: ['usera'],
  outgoing: [],
  ...p,
});
const ops = (plan: readonly (readonly string[])[] | null) =>
  plan?.map((argv) =>
    argv
      .slice(5)
      .join(' ')
      .replace(/ --tid 3/, ''),
  );

test('adds a host and a LUN, removes a LUN, re-flags the kept one; nothing unbound', () => {
  const plan = syncPlan(
    cur,
    spec({
      luns: [lun(1, true), lun(5)],
      initiators: ['iqn.2024-01.io.x:a', 'iqn.2024-01.io.x:b'],
      accounts: ['usera', 'userb'],
    }),
  );
  assert.deepEqual(ops(plan), [
    '--op bind --mode account --user userb',
    '--op bind --mode target --initiator-name iqn.2024-01.io.x:b',
    '--op update --mode logicalunit --lun 1 --params vendor_id=CAIRN,scsi_sn=s1,thin_provisioning=1,readonly=1',
    '--op new --mode logicalunit --lun 5 --backing-store /p/5 --bstype rdwr --blocksize 512',
    '--op update --mode logicalunit --lun 5 --params vendor_id=CAIRN,scsi_sn=s5,thin_provisioning=1,readonly=0',
    '--op delete --mode logicalunit --lun 2',
  ]);
});

test('a host and its account taken out in place, after the new ones are let in', () => {
  const plan = syncPlan(
    { ...cur, accounts: ['usera', 'userb'], acl: ['iqn.2024-01.io.x:a', 'iqn.2024-01.io.x:b'] },
    spec({ initiators: ['iqn.2024-01.io.x:b', 'iqn.2024-01.io.x:c'], accounts: ['userb', 'userc'] }),
  );
  assert.deepEqual(ops(plan)?.slice(0, -2), [
    // the account list is empty for a moment: nobody new logs in meanwhile
    '--op unbind --mode target --initiator-name iqn.2024-01.io.x:a',
    '--op unbind --mode target --initiator-name iqn.2024-01.io.x:b',
    '--op unbind --mode account --user userb',
    '--op unbind --mode account --user usera',
    '--op bind --mode account --user userb',
    '--op bind --mode account --user userc',
    '--op bind --mode target --initiator-name iqn.2024-01.io.x:b',
    '--op bind --mode target --initiator-name iqn.2024-01.io.x:c',
  ]);
  assert.deepEqual(
    ops(syncPlan({ ...cur, accounts: ['usera', 'm'], outgoing: ['m'] }, spec({})))?.[0],
    '--op unbind --mode account --user m --outgoing',
  );
});
