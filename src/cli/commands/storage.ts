// CLI commands of disks and pools: `cairn disks …`, `cairn pools …`.
import type { Command } from 'commander';
import { makeContext, withListOptions, listQueryString } from '../context.js';
import { sizeArg } from '../sizes.js';

type Opts = Record<string, string | string[] | boolean | undefined>;
const enc = encodeURIComponent;
const csv = (v: unknown) =>
  String(v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function registerStorageCommands(program: Command): void {
  const disks = program
    .command('disks')
    .description('disks: virtual (sparse file + loop device) and physical');
  withListOptions(disks.command('list').description('list disks')).action(async (o: Opts, c: Command) =>
    makeContext(c).list(await makeContext(c).client.get(`disks${listQueryString(o)}`), [
      'id',
      'name',
      'kind',
      'state',
      'size',
      'path',
      'pool_id',
      'in_use',
    ]),
  );
  disks
    .command('show <id>')
    .action(async (id: string, _o, c: Command) =>
      makeContext(c).show(await makeContext(c).client.get(`disks/${enc(id)}`)),
    );
  disks
    .command('create')
    .description('make a virtual disk of <size>')
    .argument('<size>', 'bytes or with a unit: 10G, 512MiB', sizeArg)
    .option('--name <name>', 'a label')
    .action(async (size: number, o: Opts, c: Command) =>
      makeContext(c).change('POST', 'disks', { size, ...(o.name ? { name: o.name } : {}) }),
    );
  disks
    .command('delete <id>')
    .description('delete an unused virtual disk')
    .action(async (id: string, _o, c: Command) => makeContext(c).change('DELETE', `disks/${enc(id)}`));
  disks
    .command('rescan')
    .description('look for block devices again')
    .action(async (_o, c: Command) => makeContext(c).change('POST', 'disks/rescan'));

  const pools = program.command('pools').description('btrfs pools');
  withListOptions(pools.command('list').description('list pools')).action(async (o: Opts, c: Command) =>
    makeContext(c).list(await makeContext(c).client.get(`pools${listQueryString(o)}`), [
      'id',
      'name',
      'state',
      'health',
      'profile',
      'size',
      'used',
      'free',
    ]),
  );
  pools
    .command('show <id>')
    .action(async (id: string, _o, c: Command) =>
      makeContext(c).show(await makeContext(c).client.get(`pools/${enc(id)}`)),
    );
  pools
    .command('create <name>')
    .requiredOption('--disks <ids>', 'comma-separated disk ids')
    .requiredOption('--profile <p>', 'single, dup, raid0, raid1, raid1c3, raid1c4, raid10, raid5, raid6')
    .option('--metadata-profile <p>', 'default: as redundant as the data, never raid5/6')
    .option('--compression <c>', 'none, zstd, lzo, zlib', 'zstd')
    .option('--compression-level <n>', 'zstd 1..15, zlib 1..9')
    .option('--sync <policy>', 'standard, always, relaxed')
    .option('--spares <ids>', 'comma-separated spare disk ids')
    .option('--acknowledge-raid56-write-hole', 'accept the raid5/6 write hole')
    .option('--allow-mixed-sizes', 'accept space lost to mixed disk sizes')
    .action(async (name: string, o: Opts, c: Command) =>
      makeContext(c).change('POST', 'pools', {
        name,
        disks: csv(o.disks),
        profile: o.profile,
        ...(o.metadataProfile ? { metadata_profile: o.metadataProfile } : {}),
        compression: o.compression,
        ...(o.compressionLevel ? { compression_level: Number(o.compressionLevel) } : {}),
        ...(o.sync ? { sync: o.sync } : {}),
        ...(o.spares ? { spares: csv(o.spares) } : {}),
        ...(o.acknowledgeRaid56WriteHole ? { acknowledge_raid56_write_hole: true } : {}),
        ...(o.allowMixedSizes ? { allow_mixed_sizes: true } : {}),
      }),
    );
  pools
    .command('set <id>')
    .description('rename, change compression or sync policy')
    .option('--name <name>')
    .option('--compression <c>')
    .option('--compression-level <n>')
    .option('--sync <policy>')
    .action(async (id: string, o: Opts, c: Command) =>
      makeContext(c).change('PATCH', `pools/${enc(id)}`, {
        ...(o.name ? { name: o.name } : {}),
        ...(o.compression ? { compression: o.compression } : {}),
        ...(o.compressionLevel ? { compression_level: Number(o.compressionLevel) } : {}),
        ...(o.sync ? { sync: o.sync } : {}),
      }),
    );
  pools
    .command('delete <id>')
    .option('--force', 'also destroy the volumes it holds')
    .action(async (id: string, o: Opts, c: Command) =>
      makeContext(c).change('DELETE', `pools/${enc(id)}${o.force ? '?force=true' : ''}`),
    );
  pools
    .command('expand <id> <disks>')
    .description('add comma-separated disks')
    .option('--balance', 'spread existing data over all disks')
    .action(async (id: string, d: string, o: Opts, c: Command) =>
      makeContext(c).change('POST', `pools/${enc(id)}/disks`, {
        disks: csv(d),
        ...(o.balance ? { balance: true } : {}),
      }),
    );
  pools
    .command('remove-disk <id> <disk>')
    .action(async (id: string, disk: string, _o, c: Command) =>
      makeContext(c).change('DELETE', `pools/${enc(id)}/disks/${enc(disk)}`),
    );
  pools
    .command('replace <id> <disk> <with>')
    .action(async (id: string, disk: string, w: string, _o, c: Command) =>
      makeContext(c).change('POST', `pools/${enc(id)}/replace`, { disk, with: w }),
    );
  pools
    .command('convert <id> <profile>')
    .option('--metadata-profile <p>')
    .option('--acknowledge-raid56-write-hole')
    .action(async (id: string, profile: string, o: Opts, c: Command) =>
      makeContext(c).change('POST', `pools/${enc(id)}/convert`, {
        profile,
        ...(o.metadataProfile ? { metadata_profile: o.metadataProfile } : {}),
        ...(o.acknowledgeRaid56WriteHole ? { acknowledge_raid56_write_hole: true } : {}),
      }),
    );
  pools
    .command('add-spares <id> <disks>')
    .action(async (id: string, d: string, _o, c: Command) =>
      makeContext(c).change('POST', `pools/${enc(id)}/spares`, { disks: csv(d) }),
    );
  pools
    .command('remove-spare <id> <disk>')
    .action(async (id: string, disk: string, _o, c: Command) =>
      makeContext(c).change('DELETE', `pools/${enc(id)}/spares/${enc(disk)}`),
    );
  const scrub = pools.command('scrub').description('verify checksums and repair from good copies');
  scrub
    .command('start <id>')
    .action(async (id: string, _o, c: Command) => makeContext(c).change('POST', `pools/${enc(id)}/scrub`));
  scrub
    .command('status <id>')
    .action(async (id: string, _o, c: Command) =>
      makeContext(c).show(await makeContext(c).client.get(`pools/${enc(id)}/scrub`)),
    );
  scrub
    .command('cancel <id>')
    .action(async (id: string, _o, c: Command) =>
      makeContext(c).change('POST', `pools/${enc(id)}/scrub/cancel`),
    );
  pools
    .command('dedup <id>')
    .description('deduplicate extents (duperemove)')
    .action(async (id: string, _o, c: Command) => makeContext(c).change('POST', `pools/${enc(id)}/dedup`));
}
