// Every API dialect Cairn speaks, one line each. A dialect translates its product's API to Cairn's
// services and back (see ./types.ts and docs/architecture.md, "Adding a dialect").
import { isLoopback, type RuntimeConfig } from '../../daemon/config.js';
import { opensNoDoor, type DialectDefinition } from './types.js';
import { dialect as vsnap } from './vsnap/index.js';
import { dialect as ngx } from './ngx/index.js';
import { dialect as osd } from './osd/index.js';
import { dialect as docker } from './docker/index.js';

export const DIALECTS: readonly DialectDefinition[] = [vsnap, ngx, osd, docker];

/**
 * The dialects to serve: those CAIRN_DIALECTS names, or when it is unset those that open no port
 * or socket of their own. An unknown name, or a `local` door that anyone on the network could
 * reach, stops the start with the reason.
 */
export function enabledDialects(
  config: RuntimeConfig,
  known: readonly DialectDefinition[] = DIALECTS,
): DialectDefinition[] {
  const names = config.dialects;
  if (names) {
    const unknown = names.filter((n) => !known.some((d) => d.name === n));
    if (unknown.length > 0)
      throw new Error(
        `CAIRN_DIALECTS names unknown dialects: ${unknown.join(', ')} (known: ${known.map((d) => d.name).join(', ')})`,
      );
  }
  const chosen = known.filter((d) => (names ? names.includes(d.name) : opensNoDoor(d, config)));
  for (const d of chosen)
    for (const l of d.listeners(config)) {
      const open = l.door.kind === 'prefix' || (l.door.kind === 'tcp' && !isLoopback(l.door.host));
      if (open && l.auth.includes('local'))
        throw new Error(
          `dialect ${d.name}: a door reachable from the network cannot take requests without credentials`,
        );
    }
  return chosen;
}
