// What the console's browser tests share: when they can run, signing in, moving between pages by
// the navigation, picking from Mantine selects by clicking, and keeping a page (axe + screenshot).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { ADMIN_PASSWORD, REPO, type InProcessCairn } from '../support/cairn.js';
import { axeSerious, screenshot, step, CHROMIUM } from '../support/browser.js';
import { realPartsSkip } from '../support/real.js';

export const consoleSkip = (): string | false =>
  !existsSync(CHROMIUM)
    ? 'chromium is not installed'
    : !existsSync(join(REPO, 'console/dist/index.html'))
      ? 'the console is not built (scripts/setup.sh builds it)'
      : realPartsSkip();

export interface Page_<T> {
  items: T[];
  total: number;
}

export async function signIn(page: Page, c: InProcessCairn): Promise<void> {
  await page.goto(`${c.url}/`);
  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
}

/** To a page through the navigation, as a user goes. */
export async function visit(page: Page, path: string, title: string): Promise<void> {
  step(`visit ${path}`);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: title }).click();
  await page.getByRole('heading', { name: title, exact: true }).waitFor();
  assert.equal(new URL(page.url()).pathname, path);
}

/** Picks `option` in a Mantine select or multi-select by clicking, as a user does. */
export async function choose(page: Page, field: Locator, option: string | RegExp): Promise<void> {
  await field.click();
  await page.getByRole('option', { name: option }).first().click();
}

/** A screenshot and an axe check of the page as it is now. */
export async function keep(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  assert.deepEqual(await axeSerious(page), [], name);
  await screenshot(page, `flow-${name}`);
}
