// The web console in a real browser (Debian's chromium) against a real cairnd over HTTPS: how it is
// served (CSP, caching), sign-in with the certificate fingerprint shown, the dashboard, session
// expiry and sign-out, axe-core on the page and a screenshot kept for review.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startCairn, ADMIN_PASSWORD, REPO } from '../support/cairn.js';
import { axeSerious, launchBrowser, pageProblems, screenshot, CHROMIUM } from '../support/browser.js';

const PAGES: [string, string][] = [
  ['/', 'Dashboard'],
  ['/disks', 'Disks'],
  ['/pools', 'Pools'],
  ['/volumes', 'Volumes'],
  ['/snapshots', 'Snapshots'],
  ['/exports', 'Exports & hosts'],
  ['/protection', 'Protection'],
  ['/monitoring', 'Monitoring'],
  ['/jobs', 'Jobs'],
  ['/admin', 'Administration'],
];

const skip = !existsSync(CHROMIUM)
  ? 'chromium is not installed'
  : !existsSync(join(REPO, 'console/dist/index.html'))
    ? 'the console is not built (scripts/setup.sh builds it)'
    : false;

test(
  'the console is served with a strict CSP and immutable hashed assets; API routes stay closed',
  { skip },
  async (t) => {
    const c = await startCairn(t, { tls: true });
    const page = await fetch(`${c.url}/`, { headers: { accept: 'text/html' } }).catch(() => null);
    // Node's fetch refuses the self-signed certificate; the in-process app answers the same via inject.
    assert.equal(page, null);
    const index = await c.app.api.inject({
      method: 'GET',
      url: '/volumes',
      headers: { accept: 'text/html' },
    });
    assert.equal(index.statusCode, 200);
    assert.equal(index.headers['cache-control'], 'no-cache');
    const csp = String(index.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /script-src[^;]*unsafe/);
    assert.match(index.body, /<script type="module" crossorigin src="\/assets\/[^"]+\.js">/);
    assert.doesNotMatch(index.body, /<script(?![^>]*\ssrc=)[^>]*>/, 'no inline script');
    const asset = /\/assets\/[^"]+\.js/.exec(index.body)![0];
    const js = await c.app.api.inject({ method: 'GET', url: asset, headers: { 'accept-encoding': 'gzip' } });
    assert.equal(js.statusCode, 200);
    assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(js.headers['content-encoding'], 'gzip');
    for (const url of ['/api/v1/pools', '/api/v1/system', '/api/v1/jobs']) {
      const r = await c.app.api.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
      assert.equal(r.statusCode, 401, url);
    }
    const missing = await c.app.api.inject({ method: 'GET', url: '/assets/nothing.js' });
    assert.equal(missing.statusCode, 404);
  },
);

test('sign in (fingerprint shown), the dashboard, an expired session, sign out', { skip }, async (t) => {
  const c = await startCairn(t, { tls: true });
  const browser = await launchBrowser(t);
  const page = await browser.newPage();
  const problems = pageProblems(page);
  await page.goto(`${c.url}/`);
  await page.getByRole('heading', { name: 'Sign in to Cairn' }).waitFor();
  await page.getByText(c.fingerprint!).waitFor();
  assert.deepEqual(await axeSerious(page), [], 'sign-in page');
  await screenshot(page, 'sign-in');

  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page
    .getByRole('alert')
    .filter({ hasText: /password|credentials/i })
    .waitFor();

  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await page.getByText('Nothing running.').waitFor();
  await page.getByRole('figure', { name: 'CPU busy' }).waitFor({ timeout: 30_000 });
  assert.deepEqual(await axeSerious(page), [], 'dashboard');
  await screenshot(page, 'dashboard');

  // Every page, axe-checked and kept as a screenshot: at 1366×768 and at phone width, each in the
  // light and the dark theme.
  const looks = [
    { name: 'light', width: 1366, height: 768, theme: 'light' },
    { name: 'dark', width: 1366, height: 768, theme: 'dark' },
    { name: 'phone-dark', width: 390, height: 844, theme: 'dark' },
    { name: 'phone-light', width: 390, height: 844, theme: 'light' },
  ];
  let theme = 'light';
  for (const look of looks) {
    await page.setViewportSize({ width: look.width, height: look.height });
    if (look.theme !== theme) {
      await page.getByRole('button', { name: `Switch to ${look.theme} theme` }).click();
      theme = look.theme;
    }
    for (const [path, title] of PAGES) {
      await page.goto(`${c.url}${path}`);
      await page.getByRole('heading', { name: title, exact: true }).waitFor();
      await page.waitForLoadState('networkidle').catch(() => undefined);
      assert.deepEqual(await axeSerious(page), [], `${path} (${look.name})`);
      const file = path.replace(/\//g, '-') || '-dashboard';
      await screenshot(page, look.name === 'light' ? `page${file}` : `${look.name}${file}`);
      // The pages' other tabs too (the first is the page itself).
      for (const tab of (await page.getByRole('tab').all()).slice(1)) {
        const name = await tab.innerText();
        await tab.click();
        await page.waitForLoadState('networkidle').catch(() => undefined);
        assert.deepEqual(await axeSerious(page), [], `${path} ${name} (${look.name})`);
        await screenshot(page, `${look.name}${file}-${name.toLowerCase().replace(/\W+/g, '-')}`);
      }
    }
  }
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('link', { name: 'Disks' }).click();
  await page.getByRole('heading', { name: 'Disks', exact: true }).waitFor();
  await page.getByRole('button', { name: 'Switch to light theme' }).click();
  await page.setViewportSize({ width: 1366, height: 768 });

  // The session ends on the server: the next call brings back the sign-in page with a word of why.
  const status = await page.evaluate(async () => {
    const csrf =
      (JSON.parse(sessionStorage.getItem('cairn.session') ?? '{}') as { csrf?: string }).csrf ?? '';
    const r = await fetch('/api/v1/auth/logout', { method: 'POST', headers: { 'x-csrf-token': csrf } });
    return r.status;
  });
  assert.equal(status, 204);
  await page.getByRole('link', { name: 'Pools' }).click();
  await page.getByText('Your session has ended').waitFor();

  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Pools' }).waitFor();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in to Cairn' }).waitFor();
  const who = await c.app.api.inject({ method: 'GET', url: '/api/v1/auth/whoami' });
  assert.equal(who.statusCode, 401);
  assert.deepEqual(problems, []);
});
