// Protection from the console in a real browser, against two real cairnds (each its own HTTPS
// certificate, loop-device pool and data directory): a snapshot schedule made in the page (its cron
// told in words, retention by count and GFS) takes a snapshot; a partner added with its pinned
// fingerprint; a relationship made from the page; a session started with "Sync now" shown live to
// its end with the bytes sent; then on the partner's own console, the replica promoted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launchBrowser, pageProblems } from '../support/browser.js';
import { waitFor } from '../support/real.js';
import { call, side, volume, MiB } from './replication-support.js';
import { choose, consoleSkip, keep, signIn, visit, type Page_ } from './console-support.js';

const skip = consoleSkip();

interface Rel {
  id: string;
  role: string;
  state: string;
  volume: string | null;
}

test(
  'protection in the console: a schedule takes a snapshot; partner, relationship, a session to its end; promote on the partner',
  { skip },
  async (t) => {
    const a = await side(t);
    const b = await side(t);
    const v = await volume(a, 'data', 512 * MiB);
    for (let i = 0; i < 4; i++) await writeFile(join(v.path, `f${i}.bin`), randomBytes(16 * MiB));

    const browser = await launchBrowser(t);
    const page = await browser.newPage();
    const problems = pageProblems(page);
    await signIn(page, a.c);
    await visit(page, '/protection', 'Protection');
    await keep(page, 'protection-schedules-empty');

    // A daily snapshot schedule: its cron told in words in the form, a GFS retention added.
    await page.getByRole('button', { name: 'New schedule', exact: true }).click();
    const form = page.getByRole('dialog', { name: 'New schedule' });
    await form.getByLabel(/^Name\W*$/).fill('nightly');
    await choose(page, form.getByLabel(/^Volume\W*$/), 'data');
    await form.getByRole('textbox', { name: 'Hour', exact: true }).fill('3');
    await form.getByTestId('cron-description').filter({ hasText: /03:00/ }).waitFor();
    await form.getByRole('textbox', { name: 'Weekly', exact: true }).fill('4');
    await form
      .getByTestId('retention-description')
      .filter({ hasText: 'Keeps the newest 7 and one per week for 4 weeks' })
      .waitFor();
    await keep(page, 'protection-schedule-form');
    await form.getByRole('button', { name: 'Create schedule', exact: true }).click();
    await form.waitFor({ state: 'hidden' });
    const card = page.getByTestId('schedule-nightly');
    await card.getByText(/03:00/).first().waitFor();
    await card.getByText('Keeps the newest 7 and one per week for 4 weeks', { exact: false }).waitFor();
    const schedules = await call<Page_<{ cron: string; retention: unknown }>>(a.c.admin, 'GET', 'schedules');
    assert.equal(schedules.items[0]?.cron, '0 3 * * *');
    assert.deepEqual(schedules.items[0]?.retention, { keep_last: 7, weekly: 4 });

    // Run now: the schedule takes its snapshot, seen on the card and on the Snapshots page.
    await card.getByRole('button', { name: 'Run now nightly' }).click();
    await card.getByText(/last ok/).waitFor({ timeout: 60_000 });
    const snaps = await call<Page_<{ name: string }>>(a.c.admin, 'GET', `volumes/${v.id}/snapshots`);
    assert.equal(snaps.total, 1, JSON.stringify(snaps.items));
    assert.match(snaps.items[0]!.name, /^nightly-/);
    await keep(page, 'protection-schedules');
    await visit(page, '/snapshots', 'Snapshots');
    await page.getByRole('cell', { name: snaps.items[0]!.name, exact: true }).waitFor();
    await visit(page, '/protection', 'Protection');

    // The partner: B's API key and its certificate fingerprint, typed in as an administrator would.
    const key = await call<{ key: string }>(b.c.admin, 'POST', 'api-keys', { name: 'from-a' });
    await page.getByRole('tab', { name: 'Replication' }).click();
    await page.getByText('No partners').waitFor();
    await page.getByRole('button', { name: 'Add partner', exact: true }).click();
    const pf = page.getByRole('dialog', { name: 'Add a partner' });
    await pf.getByLabel(/^Name\W*$/).fill('site-b');
    await pf.getByLabel(/^URL\W*$/).fill(b.c.url);
    await pf.getByLabel(/^API key of the partner\W*$/).fill(key.key);
    // A wrong fingerprint is refused in words, in the dialog.
    await pf.getByLabel(/^Its certificate fingerprint\W*$/).fill('00'.repeat(32));
    await pf.getByRole('button', { name: 'Add partner', exact: true }).click();
    await pf
      .getByRole('alert')
      .filter({ hasText: /certificate|fingerprint/i })
      .waitFor();
    await pf.getByLabel(/^Its certificate fingerprint\W*$/).fill(b.c.fingerprint!);
    await pf.getByRole('button', { name: 'Add partner', exact: true }).click();
    await pf.waitFor({ state: 'hidden' });
    await page.getByTestId('partner-site-b').getByText(b.c.url).waitFor();

    // The relationship: data → B's pool, the replica named and its retention set.
    await page.getByRole('button', { name: 'Replicate a volume', exact: true }).click();
    const rf = page.getByRole('dialog', { name: 'Replicate a volume' });
    await choose(page, rf.getByLabel(/^Volume\W*$/), 'data');
    await choose(page, rf.getByLabel(/^Partner\W*$/), 'site-b');
    await rf.getByLabel(/^Pool on the partner\W*$/).fill(b.pool.id);
    await rf.getByLabel(/^Replica volume name\W*$/).fill('data-replica');
    await rf.getByLabel('Newest snapshots').fill('3');
    await keep(page, 'protection-relationship-form');
    await rf.getByRole('button', { name: 'Create relationship', exact: true }).click();
    await rf.waitFor({ state: 'hidden' });
    const rel = page.getByTestId('relationship');
    await rel.getByText(/source · to site-b data-replica/).waitFor();

    // Sync now: the session appears and is followed live to its end, with the bytes it sent.
    await rel.getByRole('button', { name: 'Sync now', exact: true }).click();
    const session = page.getByTestId('session').first();
    const seen = new Set<string>();
    await waitFor(
      'the session to end',
      async () => {
        const s = await session.getAttribute('data-status').catch(() => null);
        if (s) seen.add(s);
        return s && ['COMPLETED', 'FAILED', 'CANCELLED'].includes(s) ? s : undefined;
      },
      180_000,
      100,
    );
    assert.equal(await session.getAttribute('data-status'), 'COMPLETED', [...seen].join(','));
    await session.getByRole('progressbar', { name: /100%/ }).waitFor();
    await session.getByText('send (full)').waitFor();
    const sent = await session.getByRole('cell').nth(4).innerText();
    assert.match(sent, /MiB/, `sent ${sent}`);
    await rel.getByText(/last (succeeded|COMPLETED|ok)/i).waitFor({ timeout: 30_000 });
    await keep(page, 'protection-replication');

    const relB = (await call<Page_<Rel>>(b.c.admin, 'GET', 'relationships')).items[0];
    assert.equal(relB?.role, 'replica');
    const replica = await call<{ name: string }>(b.c.admin, 'GET', `volumes/${relB.volume}`);
    assert.equal(replica.name, 'data-replica');

    // On B's own console: the replica relationship, promoted.
    const pageB = await browser.newPage();
    const problemsB = pageProblems(pageB);
    await signIn(pageB, b.c);
    await visit(pageB, '/protection', 'Protection');
    await pageB.getByRole('tab', { name: 'Replication' }).click();
    const relOnB = pageB.getByTestId('relationship');
    await relOnB.getByText(/^replica/).waitFor();
    await pageB.getByTestId('session').first().getByText('receive (full)').waitFor();
    await relOnB.getByRole('button', { name: 'Promote', exact: true }).click();
    await relOnB.getByText('promoted').waitFor({ timeout: 60_000 });
    assert.equal(await relOnB.getByRole('button', { name: 'Promote', exact: true }).count(), 0);
    await keep(pageB, 'protection-promoted');
    assert.equal((await call<Rel>(b.c.admin, 'GET', `relationships/${relB.id}`)).state, 'promoted');
    assert.deepEqual(problems, []);
    assert.deepEqual(problemsB, []);
  },
);
