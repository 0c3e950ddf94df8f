// Debian's chromium driven by playwright-core (no browser is downloaded): a fresh profile per run,
// no background networking (the machine has no outside network), the profile removed afterwards.
// Also axe-core run inside a page, and screenshots kept under test-results/console/ for review.
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { REPO } from './cairn.js';
import type { T } from './real.js';

export const CHROMIUM = '/usr/bin/chromium';
export const SHOTS = join(REPO, 'test-results', 'console');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(t: T, viewport = { width: 1366, height: 768 }): Promise<BrowserContext> {
  const profile = mkdtempSync(join(process.env.CAIRN_TEST_ROOT ?? tmpdir(), 'chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    ignoreHTTPSErrors: true,
    viewport,
  });
  context.setDefaultTimeout(60_000);
  t.after(async () => {
    await context.close().catch(() => undefined);
    rmSync(profile, { recursive: true, force: true });
  });
  return context;
}

const axeSource = () => readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * axe-core's serious and critical violations on the page as it is. Injected through the debugging
 * protocol (page.evaluate), so the console's Content-Security-Policy stays on during the test.
 */
export async function axeSerious(page: Page): Promise<AxeViolation[]> {
  step(`axe on ${page.url()}`);
  await page.evaluate(axeSource());
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as { axe: { run: (o: unknown) => Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    const r = await axe.run({ resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target })),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** A line in test-results/console/steps.log: where a slow or stuck browser run was. */
export function step(what: string): void {
  mkdirSync(SHOTS, { recursive: true });
  appendFileSync(join(SHOTS, 'steps.log'), `${new Date().toISOString()} ${what}\n`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  step(`screenshot ${name}`);
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Console errors and CSP refusals the page logged (they mean a broken page). */
export function pageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/401|Unauthorized|Failed to load resource/.test(m.text()))
      problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  return problems;
}
