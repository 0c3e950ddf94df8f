// Parsers behind the per-export statistics, on output captured from the real daemons: smbstatus
// --json (Samba 4.17.12), tgtadm --op show --mode target with two sessions (tgt 1.0.85) and
// /proc/net/tcp with two connections to one listening port (kernel 6.18).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSmbStatusJson } from '../../../src/system/samba/parse.js';
import { parseTargets } from '../../../src/system/tgt/parse.js';
import { TCP_ESTABLISHED, parseProcNetTcp } from '../../../src/system/procfs/parse.js';
import { REPO } from '../../support/cairn.js';

const fx = (dir: string, f: string) => readFileSync(join(REPO, 'test/fixtures', dir, f), 'utf8');

test('smbstatus --json: tree connects and machines per share, opens by share path', () => {
  const busy = parseSmbStatusJson(fx('samba', 'samba-4.17.12-smbstatus-json-tcons.json'));
  assert.equal(busy.sessions, 3);
  assert.deepEqual(Object.fromEntries(busy.shares), {
    share: { connections: 2, machines: ['127.0.0.1'] },
    other: { connections: 1, machines: ['127.0.0.1'] },
  });
  assert.equal(busy.opensByPath.size, 0);

  const open = parseSmbStatusJson(fx('samba', 'samba-4.17.12-smbstatus-json-open.json'));
  assert.deepEqual(Object.fromEntries(open.opensByPath), { '/tmp/mon-smb.pWds/share': 1 });

  const idle = parseSmbStatusJson(fx('samba', 'samba-4.17.12-smbstatus-json-idle.json'));
  assert.deepEqual([idle.sessions, idle.shares.size, idle.opensByPath.size], [0, 0, 0]);
  assert.throws(() => parseSmbStatusJson('not json'));
});

test('tgtadm show target: sessions, connections, distinct initiators and addresses per target', () => {
  const [t1, t2] = parseTargets(fx('tgt', 'tgt-1.0.85-show-target-two-sessions.txt'));
  assert.equal(t1?.tid, 1);
  assert.equal(t1?.sessions, 2);
  assert.equal(t1?.connections, 2);
  assert.deepEqual(t1?.initiators, ['iqn.2024-01.io.x:c2', 'iqn.2024-01.io.x:c1']);
  assert.deepEqual(t1?.addresses, ['127.0.0.1']);
  assert.deepEqual(t1?.luns, [0, 1]);
  assert.deepEqual([t2?.tid, t2?.sessions, t2?.connections, t2?.initiators], [2, 0, 0, []]);
});

test('/proc/net/tcp: both ends of loopback connections, listeners and TIME_WAIT told apart', () => {
  const socks = parseProcNetTcp(fx('procfs', 'linux-6.18-proc-net-tcp.txt'));
  assert.equal(socks.length, 11);
  // The server port 0xAC09 = 44041 listens once and serves two established connections.
  const served = socks.filter((s) => s.localPort === 44041 && s.state === TCP_ESTABLISHED);
  assert.equal(served.length, 2);
  assert.deepEqual(
    served.map((s) => [s.remoteAddress, s.remotePort]),
    [
      ['0100007F', 0xb5bc],
      ['0100007F', 0xb5b2],
    ],
  );
  assert.equal(socks.filter((s) => s.localPort === 44041 && s.state === 10).length, 1);
  // The client ends have the server port as remote port, not local: not counted as served.
  assert.equal(socks.filter((s) => s.remotePort === 44041 && s.state === TCP_ESTABLISHED).length, 2);
  assert.deepEqual(parseProcNetTcp(''), []);
});
