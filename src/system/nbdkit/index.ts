// nbdkit: one foreground process per export, started by the supervisor (see argv.ts for why).
import type { Exec } from '../exec.js';
export * from './argv.js';

/**
 * Whether this nbdkit's ip filter takes addresses. Debian 12's nbdkit 1.32.5 refuses every address
 * rule (`allow=127.0.0.1` → "don't know how to parse rule", `allow=10.0.0.0/8` → "cannot parse
 * address"), while its keywords (all, anyipv4…) work, so an export limited to some addresses could
 * not start. Asked once: nbdkit parses the rule and exits before serving (`--run true`).
 */
export async function nbdkitParsesAddressRules(exec: Exec): Promise<boolean> {
  const r = await exec({
    argv: ['nbdkit', '--filter=ip', 'null', 'allow=127.0.0.1', 'deny=all', '--run', 'true'],
    timeoutMs: 10_000,
  });
  return r.exitCode === 0;
}
