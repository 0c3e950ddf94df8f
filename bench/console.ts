// Benchmark (issue 18): the web console in headless chromium against a real cairnd (HTTPS on
// loopback). From one run: the first load (bytes transferred, gzip, with a cold cache; time until
// the sign-in form takes input), and the time to render one page of the snapshot list at 10,000
// snapshots (click on a page number until its first row shows) against the API call for that page
// alone. The snapshots are rows of a real volume seeded straight into the store (making 10,000 real
// btrfs snapshots takes hours, see bench/snapshots.ts; the list is served from the store either way).
// Run as root after a build and a console build:
//   node build/bench/console.js        (BENCH_SNAPSHOTS=10000, BENCH_PAGES=8; BENCH_PROFILE=1 adds
//   the browser's CPU profile over the page turns)
import { performance } from 'node:perf_hooks';
import { startCairn, ADMIN_PASSWORD } from '../test/support/cairn.js';
import { launchBrowser } from '../test/support/browser.js';
import { makeDisks, makePool, MiB } from '../test/integration/storage-support.js';
import { openStore } from '../src/store/db.js';
import { newId } from '../src/domain/ids.js';
import type { Volume } from '../src/domain/volumes.js';
import { benchRun } from './support.js';

const SNAPSHOTS = Number(process.env.BENCH_SNAPSHOTS ?? 10_000);
const PAGES = Number(process.env.BENCH_PAGES ?? 8);
const PAGE_SIZE = 50; // the console's ServerTable page

const { t, cleanup } = benchRun();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;
const name = (i: number) => `s${String(i).padStart(5, '0')}`;

async function seed(databaseUrl: string, v: Volume): Promise<void> {
  const store = await openStore(databaseUrl);
  try {
    const rows = Array.from({ length: SNAPSHOTS }, (_, i) => ({
      id: newId(),
      volume_id: v.id,
      pool_id: v.pool,
      name: name(i),
      display_name: name(i),
      state: 'available',
      holds: '[]',
      sizes_at: null,
      subvol_id: 1000 + i,
      referenced: 16384,
      exclusive: 16384,
      created_at: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    }));
    for (let i = 0; i < rows.length; i += 500)
      await store.db
        .insertInto('snapshots')
        .values(rows.slice(i, i + 500))
        .execute();
  } finally {
    await store.close();
  }
}

async function main() {
  const c = await startCairn(t, { tls: true });
  const disks = await makeDisks(c.admin, 1);
  const pool = await makePool(c.admin, { name: 'bench', disks: [disks[0]!.id], profile: 'single' });
  const v = (
    await c.admin.request<Volume>('POST', 'volumes?wait=60', {
      pool: pool.id,
      name: 'bench',
      type: 'filesystem',
      size: 256 * MiB,
    })
  ).body;
  const t0 = performance.now();
  await seed(c.databaseUrl, v);
  console.log(`seeded ${SNAPSHOTS} snapshot rows in ${ms(performance.now() - t0)}`);

  // First load, cold cache: every response's bytes on the wire (headers + encoded body).
  const browser = await launchBrowser(t);
  const page = await browser.newPage();
  const sizes: Promise<{ bytes: number; url: string; encoding: string | undefined }>[] = [];
  page.on('requestfinished', (r) =>
    sizes.push(
      (async () => {
        const s = await r.sizes();
        const res = await r.response();
        return {
          bytes: s.responseBodySize + s.responseHeadersSize,
          url: r.url(),
          encoding: res ? (await res.allHeaders())['content-encoding'] : undefined,
        };
      })(),
    ),
  );
  const start = performance.now();
  await page.goto(`${c.url}/`);
  await page.getByLabel('Password').waitFor();
  const interactive = performance.now() - start;
  await page.waitForLoadState('networkidle');
  const loaded = await Promise.all(sizes);
  const total = loaded.reduce((a, x) => a + x.bytes, 0);
  const encodings = [...new Set(loaded.map((x) => x.encoding ?? 'identity'))].join(', ');
  // The same responses asked for with gzip only (chromium prefers brotli, which cairnd also keeps).
  let gzipBytes = 0;
  for (const x of loaded) {
    const u = new URL(x.url);
    if (u.pathname.startsWith('/api/')) continue;
    const r = await c.app.api.inject({
      method: 'GET',
      url: u.pathname,
      headers: { 'accept-encoding': 'gzip', accept: 'text/html,*/*' },
    });
    gzipBytes += r.rawPayload.length;
  }
  console.log(
    `first load (cold cache): ${(total / 1024).toFixed(1)} KiB on the wire in ${loaded.length} responses ` +
      `(encodings: ${encodings}); the console's files with gzip: ${(gzipBytes / 1024).toFixed(1)} KiB; ` +
      `sign-in form takes input after ${ms(interactive)}`,
  );

  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Snapshots' }).click();
  await page
    .getByText(`${SNAPSHOTS.toLocaleString('en-US')} in all`)
    .or(page.getByText(`${SNAPSHOTS} in all`))
    .waitFor();
  await page.getByRole('cell', { name: name(SNAPSHOTS - 1), exact: true }).waitFor();

  // With BENCH_PROFILE=1, the browser's CPU profile over the page clicks: where the time goes.
  const cdp = process.env.BENCH_PROFILE ? await browser.newCDPSession(page) : null;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  // Render: a page number clicked until that page's first row shows (newest first).
  const render: number[] = [];
  for (let p = 2; p < 2 + PAGES; p++) {
    const first = name(SNAPSHOTS - 1 - (p - 1) * PAGE_SIZE);
    const button = page.getByRole('button', { name: String(p), exact: true });
    await button.waitFor();
    const s = performance.now();
    await button.click();
    await page.getByRole('cell', { name: first, exact: true }).waitFor();
    render.push(performance.now() - s);
  }
  if (cdp) console.log(profileSummary((await cdp.send('Profiler.stop')).profile));
  // The API call alone, from Node over the same HTTPS listener, for pages no one asked for yet (a
  // first read of a snapshot's sizes may cost more than a repeated one) and again for the same ones.
  const call = async (p: number) => {
    const s = performance.now();
    const r = await c.admin.request<{ items: unknown[] }>(
      'GET',
      `snapshots?limit=${PAGE_SIZE}&offset=${(p - 1) * PAGE_SIZE}&sort=-created_at`,
    );
    if (r.body.items.length !== PAGE_SIZE) throw new Error(`page ${p}: ${r.body.items.length} rows`);
    return performance.now() - s;
  };
  const apiOnly: number[] = [];
  for (let p = 100; p < 100 + PAGES; p++) apiOnly.push(await call(p));
  const apiAgain: number[] = [];
  for (let p = 2; p < 2 + PAGES; p++) apiAgain.push(await call(p));
  console.log(
    `API call alone: fresh pages ${ms(median(apiOnly))}, pages already read ${ms(median(apiAgain))}`,
  );
  const r = median(render);
  const a = median(apiOnly);
  console.log(
    `snapshot list at ${SNAPSHOTS}: page render ${ms(r)} (median of ${PAGES}) against the API call alone ` +
      `${ms(a)}: ratio ${(r / a).toFixed(2)}; first load ${ms(interactive)} to interactive is ` +
      `${(interactive / a).toFixed(1)}× one page call`,
  );
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** Self time per function (top 15) and per script, from a CDP CPU profile. */
function profileSummary(p: {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}): string {
  const self = new Map<number, number>();
  (p.samples ?? []).forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas?.[i] ?? 0)));
  const byFn = new Map<string, number>();
  const byScript = new Map<string, number>();
  for (const n of p.nodes) {
    const us = self.get(n.id) ?? 0;
    const script = n.callFrame.url.replace(/^.*\//, '') || '(native)';
    const fn = `${n.callFrame.functionName || '(anonymous)'} ${script}:${n.callFrame.lineNumber}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + us);
    byScript.set(script, (byScript.get(script) ?? 0) + us);
  }
  const top = (m: Map<string, number>, k: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([f, us]) => `  ${(us / 1000).toFixed(1).padStart(8)} ms  ${f}`)
      .join('\n');
  return (
    `CPU profile over ${((p.endTime - p.startTime) / 1000).toFixed(0)} ms:\nby script\n${top(byScript, 8)}\n` +
    `by function (self)\n${top(byFn, 15)}`
  );
}

main()
  .catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
