// Exports, monitoring and administration from the console in a real browser against a real cairnd
// with a real pool and its export daemons: a host with IQN and CHAP and an iSCSI export to it, an
// SMB export with a share user, an NBD export, each URI copied to the clipboard; the services and
// their state. A webhook channel added and test-sent to a local HTTP listener; a rule's threshold
// changed; alerts, events, audit and jobs filtered. Users, a role, an API key shown once (and
// working), the system renamed, maintenance mode, the certificate's fingerprint. Every tab kept
// (axe + screenshot).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startCairn, type InProcessCairn } from '../support/cairn.js';
import { launchBrowser, pageProblems } from '../support/browser.js';
import { webhookReceiver } from '../support/monitor.js';
import { waitFor } from '../support/real.js';
import { makeDisks, makePool, MiB } from './storage-support.js';
import { exportPortEnv } from '../support/export-ports.js';
import { choose, consoleSkip, keep, signIn, visit, type Page_ } from './console-support.js';

const skip = consoleSkip();

async function volumeOf(c: InProcessCairn, pool: string, name: string, type: 'filesystem' | 'lun') {
  const r = await c.admin.request<{ id: string }>('POST', 'volumes?wait=60', {
    pool,
    name,
    type,
    size: 64 * MiB,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
}

/** Exports a volume from the Exports page: volume, protocol, then what `fill` sets. */
async function exportFromPage(
  page: Page,
  volume: RegExp,
  protocol: string,
  fill: (dialog: ReturnType<Page['getByRole']>) => Promise<void>,
): Promise<void> {
  await page.getByRole('button', { name: 'Export a volume', exact: true }).click();
  const pick = page.getByRole('dialog', { name: 'Export a volume' });
  await choose(page, pick.getByLabel(/^Volume\W*$/), volume);
  const dialog = page.getByRole('dialog', { name: /^Export / });
  await choose(page, dialog.getByLabel(/^Protocol\W*$/), protocol);
  await fill(dialog);
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
}

/** The export row's URI, once shown, copied with its button and read back from the clipboard. */
async function copiedUri(page: Page, protocol: string): Promise<string> {
  const row = page.getByTestId(`export-${protocol}`);
  const copy = row.getByRole('button', { name: /^Copy .* URI$/ });
  await copy.waitFor({ timeout: 120_000 });
  const shown = await row.locator('code').innerText();
  await copy.click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, shown);
  return shown;
}

test(
  'exports and hosts, monitoring and administration in the console: iSCSI/CHAP, SMB user, NBD, webhook test send, filters, users, role, API key shown once',
  { skip },
  async (t) => {
    const c = await startCairn(t, { tls: true, env: await exportPortEnv() });
    const [disk] = await makeDisks(c.admin, 1, 768 * MiB);
    const pool = await makePool(c.admin, { name: 'tank', disks: [disk!.id], profile: 'single' });
    await volumeOf(c, pool.id, 'files', 'filesystem');
    await volumeOf(c, pool.id, 'blk', 'lun');
    await volumeOf(c, pool.id, 'raw', 'lun');
    const hook = await webhookReceiver(t);

    const browser = await launchBrowser(t);
    await browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: c.url });
    const page = await browser.newPage();
    const problems = pageProblems(page);
    await signIn(page, c);

    // A host with an initiator IQN and CHAP; a wrong CHAP secret is refused in words first.
    await visit(page, '/exports', 'Exports & hosts');
    await page.getByRole('button', { name: 'Add host', exact: true }).click();
    const hf = page.getByRole('dialog', { name: 'Add a host' });
    await hf.getByLabel(/^Name\W*$/).fill('app1');
    await hf.getByLabel('Initiator IQNs').fill('iqn.2026-01.test.cairn:app1');
    await hf.getByLabel('CHAP user').fill('app1user');
    await hf.getByLabel('CHAP secret').fill('short');
    await hf.getByRole('button', { name: 'Add host', exact: true }).click();
    await hf.getByRole('alert').waitFor();
    await hf.getByLabel('CHAP secret').fill('chapsecret1234');
    await keep(page, 'exports-host-form');
    await hf.getByRole('button', { name: 'Add host', exact: true }).click();
    await hf.waitFor({ state: 'hidden' });
    await page.getByText(/app1 iqn\.2026-01\.test\.cairn:app1 · CHAP/).waitFor();

    await exportFromPage(page, /^blk/, 'iscsi', async (d) =>
      choose(page, d.getByLabel(/^Hosts\W*$/), 'app1'),
    );
    const iscsi = await copiedUri(page, 'iscsi');
    assert.match(iscsi, /^iscsi:\/\/127\.0\.0\.1:\d+\/iqn\./, iscsi);
    await exportFromPage(page, /^files/, 'smb', async (d) => {
      await d.getByLabel('Share user', { exact: true }).fill('alice');
      await d.getByLabel("Share user's password").fill('alice-password-1');
    });
    const smb = await copiedUri(page, 'smb');
    assert.match(smb, /^smb:\/\/127\.0\.0\.1(:\d+)?\//, smb);
    await exportFromPage(page, /^raw/, 'nbd', async () => undefined);
    const nbd = await copiedUri(page, 'nbd');
    assert.match(nbd, /^nbd:\/\/127\.0\.0\.1:\d+\//, nbd);
    const exports = await c.admin.get<Page_<{ protocol: string; users?: { name: string }[] }>>('exports');
    assert.deepEqual(exports.items.map((e) => e.protocol).sort(), ['iscsi', 'nbd', 'smb']);
    // The services behind them, each with its state.
    const services = (await c.admin.get<Page_<{ name: string; state: string }>>('services')).items;
    assert.ok(
      services.some((s) => s.state === 'running'),
      JSON.stringify(services),
    );
    for (const s of services) {
      const row = page.getByTestId(`service-${s.name}`);
      await row.getByRole('button', { name: `Restart ${s.name}`, exact: true }).waitFor();
      await row.getByText(/^(running|stopped|starting|failed|unknown)$/).waitFor();
    }
    await page.getByTestId('service-tgtd').getByText('running', { exact: true }).waitFor();
    await keep(page, 'exports-all');

    // A webhook channel, test-sent to a listener here: the page says it was delivered.
    await visit(page, '/monitoring', 'Monitoring');
    await page.getByRole('tab', { name: 'Notification channels' }).click();
    await page.getByRole('button', { name: 'Add channel', exact: true }).click();
    const cf = page.getByRole('dialog', { name: 'Add a notification channel' });
    await cf.getByLabel(/^Name\W*$/).fill('ops-hook');
    await cf.getByLabel(/^Webhook URL\W*$/).fill(hook.url);
    await keep(page, 'monitoring-channel-form');
    await cf.getByRole('button', { name: 'Add channel', exact: true }).click();
    await cf.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Send test to ops-hook', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Test delivered' }).waitFor();
    await waitFor('the test at the listener', async () => (hook.got.length > 0 ? true : undefined));
    assert.match(hook.got[0]!.body, /test/i);
    await keep(page, 'monitoring-channels');

    // A rule's threshold changed and saved.
    await page.getByRole('tab', { name: 'Rules' }).click();
    const rules =
      await c.admin.get<Page_<{ id: string; name: string; params: Record<string, number> }>>('alert-rules');
    const rule = rules.items.find((r) => Object.keys(r.params).length > 0)!;
    const param = Object.keys(rule.params)[0]!;
    const input = page.getByLabel(`${rule.name} ${param.replace(/_/g, ' ')}`, { exact: true });
    await input.fill(String(rule.params[param]! + 1));
    await page.getByRole('button', { name: `Save ${rule.name}`, exact: true }).click();
    await waitFor('the threshold saved', async () => {
      const now = await c.admin.get<Page_<{ id: string; params: Record<string, number> }>>('alert-rules');
      const r = now.items.find((x) => x.id === rule.id);
      return r?.params[param] === rule.params[param]! + 1 ? true : undefined;
    });
    await keep(page, 'monitoring-rules');

    // Events, audit and alerts filtered by the server.
    await page.getByRole('tab', { name: 'Events' }).click();
    await page.getByTestId('table-events').waitFor();
    await choose(page, page.getByRole('textbox', { name: 'Severity' }), 'critical');
    await page
      .getByTestId('total-events')
      .filter({ hasText: /^0 in all$/ })
      .waitFor();
    await keep(page, 'monitoring-events');
    await page.getByRole('tab', { name: 'Audit trail' }).click();
    const audit = page.getByTestId('total-audit');
    await audit.filter({ hasText: /^[1-9]\d* in all$/ }).waitFor();
    await choose(page, page.getByRole('textbox', { name: 'Method' }), 'DELETE');
    await audit.filter({ hasText: /^0 in all$/ }).waitFor();
    await choose(page, page.getByRole('textbox', { name: 'Method' }), 'PATCH');
    await audit.filter({ hasText: /^1 in all$/ }).waitFor();
    await page.getByRole('cell', { name: /^PATCH \/api\/v1\/alert-rules\// }).waitFor();
    await keep(page, 'monitoring-audit');
    await page.getByRole('tab', { name: 'Alerts' }).click();
    await choose(page, page.getByRole('textbox', { name: 'State' }), 'raised');
    await page.getByTestId('total-alerts').waitFor();
    await keep(page, 'monitoring-alerts');

    // Jobs filtered by state; a job's log filtered by text.
    await visit(page, '/jobs', 'Jobs');
    await choose(page, page.getByRole('textbox', { name: 'State' }), 'failed');
    await page
      .getByTestId('total-jobs')
      .filter({ hasText: /^0 in all$/ })
      .waitFor();
    await choose(page, page.getByRole('textbox', { name: 'State' }), 'succeeded');
    await page
      .getByTestId('total-jobs')
      .filter({ hasText: /^[1-9]\d* in all$/ })
      .waitFor();
    await page
      .getByRole('link', { name: /export/ })
      .first()
      .click();
    const log = page.getByRole('region', { name: 'Job log' });
    await log.getByText(/\S/).first().waitFor();
    await page.getByLabel('Log contains').fill('no line says this');
    await log.getByText('No log lines.').waitFor();
    await keep(page, 'job-log-filtered');

    // Administration: a user, a role, an API key shown once that works, rename, maintenance.
    await visit(page, '/admin', 'Administration');
    await page.getByText(c.fingerprint!).waitFor();
    await page.getByRole('button', { name: 'Add role', exact: true }).click();
    const rf = page.getByRole('dialog', { name: 'Add a role' });
    await rf.getByLabel(/^Name\W*$/).fill('auditor');
    await rf.getByLabel(/^Permissions\W*$/).fill('audit.read, event.read');
    await rf.getByRole('button', { name: 'Add role', exact: true }).click();
    await rf.waitFor({ state: 'hidden' });
    await page.getByTestId('role-auditor').waitFor();
    await page.getByRole('button', { name: 'Add user', exact: true }).click();
    const uf = page.getByRole('dialog', { name: 'Add a user' });
    await uf.getByLabel(/^Name\W*$/).fill('olga');
    await uf.getByLabel(/^Password\W*$/).fill('olga-password-1');
    await choose(page, uf.getByLabel(/^Role\W*$/), 'auditor');
    await uf.getByRole('button', { name: 'Add user', exact: true }).click();
    await uf.waitFor({ state: 'hidden' });
    await page.getByText(/olga · auditor · enabled/).waitFor();
    const olga = await c.as('olga', 'olga-password-1').request('GET', 'audit');
    assert.equal(olga.status, 200);
    await assert.rejects(c.as('olga', 'olga-password-1').request('GET', 'pools'), /pool\.read/);

    await page.getByLabel('New key name').fill('ci');
    await page.getByRole('button', { name: 'Create key', exact: true }).click();
    const shown = page.getByRole('alert').filter({ hasText: 'shown only once' });
    await shown.waitFor();
    const secret = await shown.locator('code').innerText();
    assert.equal((await c.withKey(secret).request('GET', 'system')).status, 200);
    await keep(page, 'admin-key-shown');
    await page.reload();
    await page.getByRole('heading', { name: 'Administration', exact: true }).waitFor();
    await page.getByText(/ci · last used/).waitFor();
    assert.equal(await page.getByText(secret).count(), 0, 'the key is shown once only');

    await page.getByLabel('Rename the system').fill('vault');
    await page.getByRole('button', { name: 'Rename', exact: true }).click();
    await page.getByText(/^vault · /).waitFor();
    await page.getByLabel('Maintenance mode').click();
    await page.getByText(/on since/).waitFor();
    assert.equal((await c.admin.get<{ enabled: boolean }>('system/maintenance')).enabled, true);
    await page.getByLabel('Maintenance mode').click();
    await waitFor('maintenance off', async () =>
      (await c.admin.get<{ enabled: boolean }>('system/maintenance')).enabled ? undefined : true,
    );
    await keep(page, 'admin');
    assert.deepEqual(problems, []);
  },
);
