// The console's flows in a real browser (Debian's chromium) against a real cairnd with real
// loop-device pools, everything done by clicking and typing in the page: sign in, make two virtual
// disks and a raid1 pool and see it healthy, follow the pool's job to its end (the event stream,
// its steps and log), make a volume, a snapshot and a clone, export over NFS and see the URI, and
// acknowledge the alert raised when the pool really loses a disk. Then the same console driven
// from the keyboard only. Screenshots are kept beside the other console ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { startCairn, ADMIN_PASSWORD } from '../support/cairn.js';
import { launchBrowser, pageProblems, screenshot } from '../support/browser.js';
import { sh, waitFor } from '../support/real.js';
import { makeDisks, makePool, type DiskWire } from './storage-support.js';
import { exportPortEnv } from '../support/export-ports.js';
import { choose, consoleSkip, keep, signIn, visit, type Page_ } from './console-support.js';

const skip = consoleSkip();

test(
  'console flows on a real pool: disks, raid1 pool, job to its end, volume, snapshot, clone, NFS URI, degraded-pool alert acknowledged',
  { skip },
  async (t) => {
    const c = await startCairn(t, {
      tls: true,
      env: { ...(await exportPortEnv()), CAIRN_STATS_INTERVAL_MS: '1000', CAIRN_POOL_CHECK_MS: '2000' },
    });
    const browser = await launchBrowser(t);
    const page = await browser.newPage();
    const problems = pageProblems(page);
    await signIn(page, c);

    // Two virtual disks, made from the Disks page.
    await visit(page, '/disks', 'Disks');
    for (const name of ['vd-a', 'vd-b']) {
      await page.getByRole('button', { name: 'Make a virtual disk', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Make a virtual disk' });
      await dialog.getByLabel(/^Name\W*$/).fill(name);
      await dialog.getByLabel(/^Size\W*$/).fill('512');
      await choose(page, dialog.getByLabel('Size unit'), 'MiB');
      await dialog.getByRole('button', { name: 'Make disk', exact: true }).click();
      await dialog.waitFor({ state: 'hidden' });
      await page.getByRole('cell', { name, exact: true }).waitFor();
    }
    await keep(page, 'disks');

    // A raid1 pool of the two; its job followed in the tray to the end, then on its own page.
    await visit(page, '/pools', 'Pools');
    await page.getByRole('button', { name: 'Create pool', exact: true }).click();
    const create = page.getByRole('dialog', { name: 'Create a pool' });
    await create.getByLabel(/^Name\W*$/).fill('mirror');
    await choose(page, create.getByLabel('Disks'), /^vd-a/);
    await choose(page, create.getByLabel('Disks'), /^vd-b/);
    await create.getByText('Create a pool').click(); // closes the open dropdown
    assert.match(await create.getByTestId('profile-survives').innerText(), /Survives:/);
    await keep(page, 'pool-create');
    await create.getByRole('button', { name: 'Create pool', exact: true }).click();
    await create.waitFor({ state: 'hidden' });
    // The job appears in the tray at once; its page follows it live (the event stream) to the end.
    await page
      .getByRole('region', { name: 'Jobs started here' })
      .getByRole('link', { name: /create raid1 pool/ })
      .click();
    const detail = page.getByRole('main').getByTestId('job-progress');
    await waitFor(
      'the pool job to end',
      async () => {
        const state = await detail.getAttribute('data-job-state');
        return state && ['succeeded', 'failed', 'cancelled'].includes(state) ? state : undefined;
      },
      180_000,
      200,
    );
    assert.equal(await detail.getAttribute('data-job-state'), 'succeeded');
    await detail.getByRole('progressbar', { name: /100%/ }).waitFor();
    assert.equal(
      await detail.getByRole('button', { name: 'Cancel', exact: true }).count(),
      0,
      'no cancel on a finished job',
    );
    const steps = page.getByTestId('job-step');
    await waitFor('the steps', async () => ((await steps.count()) >= 2 ? true : undefined));
    for (const s of await steps.all()) await s.getByText('succeeded').waitFor();
    await page
      .getByRole('region', { name: 'Job log' })
      .getByText(/mkfs\.btrfs/)
      .waitFor();
    await keep(page, 'job');

    await visit(page, '/pools', 'Pools');
    const card = page.getByTestId('pool-mirror');
    await card.getByText('online').waitFor();
    await card.getByText(/disks vd-a, vd-b|disks vd-b, vd-a/).waitFor();
    await keep(page, 'pool-healthy');
    // Each of the pool's actions opens its dialog (kept and axe-checked), Escape closes it.
    for (const [button, title] of [
      ['Add disks', 'Add disks to mirror'],
      ['Convert', 'Convert mirror to another profile'],
      ['Replace disk', 'Replace a disk of mirror'],
      ['Spares', 'Add hot spares to mirror'],
      ['Delete', 'Delete pool mirror'],
    ] as const) {
      await card.getByRole('button', { name: button, exact: true }).click();
      const dialog = page.getByRole('dialog', { name: title });
      await dialog.waitFor();
      await keep(page, `pool-${button.toLowerCase().replace(/ /g, '-')}`);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
    }
    // A scrub started from the card ends with its last result shown there.
    await card.getByRole('button', { name: 'Scrub now', exact: true }).click();
    await card.getByText(/^Last: /).waitFor({ timeout: 120_000 });

    // A volume, a snapshot of it, a clone of the snapshot.
    await visit(page, '/volumes', 'Volumes');
    await page.getByRole('button', { name: 'Create volume', exact: true }).click();
    const vol = page.getByRole('dialog', { name: 'Create a volume' });
    await choose(page, vol.getByLabel('Pool'), 'mirror');
    await vol.getByLabel(/^Name\W*$/).fill('data');
    await vol.getByLabel(/^Quota\W*$/).fill('100');
    await choose(page, vol.getByLabel('Quota unit'), 'MiB');
    await vol.getByRole('button', { name: 'Create volume', exact: true }).click();
    await vol.waitFor({ state: 'hidden' });
    // The dialog closes when the create job is accepted; the volume is usable once its job ends
    // (the tray sees the end and the table is read again): a snapshot before that is refused.
    await rowOf(page, 'data').getByText('online', { exact: true }).waitFor({ timeout: 120_000 });

    await page.getByRole('button', { name: 'Snapshot data', exact: true }).click();
    const snap = page.getByRole('dialog', { name: 'Snapshot volume data' });
    await snap.getByLabel('Snapshot name').fill('first');
    await snap.getByRole('button', { name: 'Take snapshot', exact: true }).click();
    await snap.waitFor({ state: 'hidden' });

    await visit(page, '/snapshots', 'Snapshots');
    await rowOf(page, 'first').getByText('available', { exact: true }).waitFor({ timeout: 120_000 });
    await page.getByRole('button', { name: 'Clone first', exact: true }).click();
    const clone = page.getByRole('dialog', { name: 'Clone snapshot first' });
    await clone.getByLabel('New volume name').fill('data-copy');
    await clone.getByRole('button', { name: 'Clone', exact: true }).click();
    await clone.waitFor({ state: 'hidden' });
    await page.getByRole('cell', { name: '1', exact: true }).waitFor(); // the snapshot's clone count
    await keep(page, 'snapshots');
    await visit(page, '/volumes', 'Volumes');
    await page.getByRole('cell', { name: 'data-copy', exact: true }).waitFor();
    await keep(page, 'volumes');

    // An NFS export of the volume, its URI shown with a copy button.
    await page.getByRole('button', { name: 'Export data', exact: true }).click();
    const exp = page.getByRole('dialog', { name: 'Export data' });
    await exp.getByLabel('Allowed addresses or networks').fill('127.0.0.1');
    await exp.getByRole('button', { name: 'Export', exact: true }).click();
    await exp.waitFor({ state: 'hidden' });
    await visit(page, '/exports', 'Exports & hosts');
    const row = page.getByTestId('export-nfs');
    await row.getByRole('button', { name: /^Copy .* URI$/ }).waitFor({ timeout: 120_000 });
    const uri = await row.locator('code').innerText();
    assert.match(uri, /^nfs:\/\/127\.0\.0\.1(:\d+)?\//, uri);
    await row.getByText('active').or(row.getByText('online')).first().waitFor({ timeout: 120_000 });
    await keep(page, 'exports');

    // The pool really loses a disk: its loop device is detached (btrfs lets it go when it can).
    const disks = await c.admin.get<Page_<DiskWire>>('disks?limit=100');
    const lost = disks.items.find((d) => d.name === 'vd-b');
    assert.ok(lost?.path, JSON.stringify(disks.items));
    sh(['losetup', '-d', lost.path]);
    await visit(page, '/monitoring', 'Monitoring');
    const ack = page.getByRole('button', { name: /^Acknowledge .*mirror.*degraded/ });
    await waitFor(
      'the degraded-pool alert in the console',
      async () => {
        if ((await ack.count()) > 0) return true;
        await page.reload();
        await page.getByRole('heading', { name: 'Monitoring', exact: true }).waitFor();
        return undefined;
      },
      120_000,
      1000,
    );
    await keep(page, 'alert-raised');
    await ack.first().click();
    await page.getByText('by user:admin').or(page.getByText('by admin')).first().waitFor();
    const alerts =
      await c.admin.get<Page_<{ state: string; acknowledged_by: string | null; message: string }>>(
        'alerts?rule=pool_health',
      );
    assert.equal(alerts.total, 1, JSON.stringify(alerts.items));
    assert.equal(alerts.items[0]!.state, 'acknowledged');
    assert.ok(alerts.items[0]!.acknowledged_by);
    await keep(page, 'alert-acknowledged');
    await visit(page, '/pools', 'Pools');
    await page.getByTestId('pool-mirror').getByText('degraded').first().waitFor();
    await keep(page, 'pool-degraded');
    assert.deepEqual(problems, []);
  },
);

/** The table row whose cell reads `name`. */
function rowOf(page: Page, name: string): Locator {
  return page.getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) });
}

/** Tabs until the focused element is `target` (at most `max` presses); the focus ring is visible. */
async function tabTo(page: Page, target: Locator, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) {
      // Visible focus: the element (or the box drawn around it) looks different focused than not.
      // Inputs fade their border in, so the unfocused look is read once the transition is over.
      const look = () =>
        target.evaluate((el) => {
          const boxes: Element[] = [];
          for (let b: Element | null = el; b && boxes.length < 3; b = b.parentElement) boxes.push(b);
          return boxes
            .map((b) => {
              const s = getComputedStyle(b);
              return [s.outlineStyle, s.outlineColor, s.outlineWidth, s.boxShadow, s.borderColor].join('|');
            })
            .join('/');
        });
      const focused = await look();
      await target.evaluate((el) => (el as HTMLElement).blur());
      await page.waitForTimeout(400);
      const unfocused = await look();
      await target.evaluate((el) => (el as HTMLElement).focus());
      await page.waitForTimeout(400);
      const ring = focused !== unfocused || `${String(target)}: ${focused}`;
      assert.equal(ring, true, 'the focused element shows where the focus is');
      return;
    }
    await page.keyboard.press('Tab');
  }
  assert.fail(`${String(target)} not reached with Tab`);
}

test(
  'the keyboard alone: sign in, create a volume in a modal, Escape closes it and focus returns',
  { skip },
  async (t) => {
    const c = await startCairn(t, { tls: true });
    const [a] = await makeDisks(c.admin, 1);
    await makePool(c.admin, { name: 'keys', disks: [a!.id], profile: 'single' });
    const browser = await launchBrowser(t);
    const page = await browser.newPage();
    const problems = pageProblems(page);

    // Sign-in: Tab to the password, type, Enter submits.
    await page.goto(`${c.url}/`);
    await page.getByRole('heading', { name: 'Sign in to Cairn' }).waitFor();
    await tabTo(page, page.getByLabel('Password'));
    await page.keyboard.type(ADMIN_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();

    // To the Volumes page through the navigation, by Tab and Enter.
    await tabTo(page, page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Volumes' }));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Volumes', exact: true }).waitFor();

    // A modal opened from the keyboard, closed with Escape: focus goes back to what opened it.
    const opener = page.getByRole('button', { name: 'Create volume', exact: true });
    await tabTo(page, opener);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Create a volume' });
    await dialog.waitFor();
    assert.ok(
      await dialog.evaluate((d) => d.contains(document.activeElement)),
      'focus moves into the dialog',
    );
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await waitFor('focus back on the opener', () =>
      opener.evaluate((el) => el === document.activeElement).then((x) => x || undefined),
    );

    // Again, and this time fill it in: the pool chosen with arrows and Enter, name and size typed,
    // Enter in a text field submits the form.
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await tabTo(page, dialog.getByLabel('Pool'));
    await page.keyboard.press('ArrowDown');
    await page.getByRole('option', { name: 'keys' }).waitFor();
    await page.keyboard.press('Enter');
    await tabTo(page, dialog.getByLabel(/^Name\W*$/));
    await page.keyboard.type('typed');
    await tabTo(page, dialog.getByLabel(/^Quota\W*$/));
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('64');
    await tabTo(page, dialog.getByLabel('Quota unit'));
    await page.keyboard.press('ArrowDown');
    await page.getByRole('option', { name: 'MiB' }).waitFor();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    assert.equal(await dialog.getByLabel('Quota unit').inputValue(), 'MiB');
    await screenshot(page, 'keyboard-create-volume');
    await tabTo(page, dialog.getByLabel(/^Name\W*$/), 20);
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('cell', { name: 'typed', exact: true }).waitFor();
    const vols = await c.admin.get<Page_<{ name: string; size: number }>>('volumes?name=typed');
    assert.equal(vols.items[0]?.size, 64 * 1024 * 1024);
    assert.deepEqual(problems, []);
  },
);
