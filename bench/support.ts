// What every benchmark needs from the test helpers: a `t` whose after-hooks (stop cairnd, unmount,
// detach loop devices, kill daemons) run in reverse order at the end, and also on Ctrl-C or SIGTERM,
// so an interrupted run leaves nothing behind on the machine.
export function benchRun(): { t: { after: (f: () => unknown) => void }; cleanup: () => Promise<void> } {
  const hooks: (() => unknown)[] = [];
  let done: Promise<void> | null = null;
  const cleanup = () =>
    (done ??= (async () => {
      for (const h of hooks.reverse()) await Promise.resolve(h()).catch((e: unknown) => console.error(e));
    })());
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.once(sig, () => {
      console.error(`${sig}: cleaning up`);
      void cleanup().finally(() => process.exit(128 + (sig === 'SIGINT' ? 2 : 15)));
    });
  return { t: { after: (f) => void hooks.push(f) }, cleanup };
}
