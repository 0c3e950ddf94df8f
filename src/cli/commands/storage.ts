// CLI commands of disks and pools: `cairn disks …`, `cairn pools …`.
import type { Command } from 'commander';
import { makeContext, withListOptions, listQueryString, type CliContext } from '../context.js';
import { sizeArg } from '../sizes.js';

type Opts = Record<string, string | string[] | boolean | undefined>;
const enc = encodeURIComponent;
/** `pools/<id>` of a pool (or disk) given by id or name. */
const at = async (x: CliContext, collection: 'pools' | 'disks', ref: string) =>
  `${collection}/${enc(await x.id(collection, ref))}`;

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
  disks.command('show <disk>').action(async (ref: string, _o, c: Command) => {
    const x = makeContext(c);
    x.show(await x.client.get(await at(x, 'disks', ref)));
  });
  disks
    .command('create')
    .description('make a virtual disk of <size>')
    .argument('<size>', 'bytes or with a unit: 10G, 512MiB', sizeArg)
    .option('--name <name>', 'a label')
    .action(async (size: number, o: Opts, c: Command) =>
      makeContext(c).change('POST', 'disks', { size, ...(o.name ? { name: o.name } : {}) }),
    );
  disks
    .command('delete <disk>')
    .description('delete an unused virtual disk')
    .action(async (ref: string, _o, c: Command) => {
      const x = makeContext(c);
      await x.change('DELETE', await at(x, 'disks', ref));
    });
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
  pools.command('show <pool>').action(async (ref: string, _o, c: Command) => {
    const x = makeContext(c);
    x.show(await x.client.get(await at(x, 'pools', ref)));
  });
  pools
    .command('create <name>')
    .requiredOption('--disks <disks>', 'comma-separated disk ids, names or /dev paths')
    .requiredOption('--profile <p>', 'single, dup, raid0, raid1, raid1c3, raid1c4, raid10, raid5, raid6')
    .option('--metadata-profile <p>', 'default: as redundant as the data, never raid5/6')
    .option('--compression <c>', 'none, zstd, lzo, zlib', 'zstd')
    .option('--compression-level <n>', 'zstd 1..15, zlib 1..9')
    .option('--sync <policy>', 'standard, always, relaxed')
    .option('--spares <disks>', 'comma-separated spare disks')
    .option('--acknowledge-raid56-write-hole', 'accept the raid5/6 write hole')
    .option('--allow-mixed-sizes', 'accept space lost to mixed disk sizes')
    .action(async (name: string, o: Opts, c: Command) => {
      const x = makeContext(c);
      await x.change('POST', 'pools', {
        name,
        disks: await x.ids('disks', String(o.disks)),
        profile: o.profile,
        ...(o.metadataProfile ? { metadata_profile: o.metadataProfile } : {}),
        compression: o.compression,
        ...(o.compressionLevel ? { compression_level: Number(o.compressionLevel) } : {}),
        ...(o.sync ? { sync: o.sync } : {}),
        ...(o.spares ? { spares: await x.ids('disks', String(o.spares)) } : {}),
        ...(o.acknowledgeRaid56WriteHole ? { acknowledge_raid56_write_hole: true } : {}),
        ...(o.allowMixedSizes ? { allow_mixed_sizes: true } : {}),
      });
    });
  pools
    .command('set <pool>')
    .description('rename, change compression or sync policy')
    .option('--name <name>')
    .option('--compression <c>')
    .option('--compression-level <n>')
    .option('--sync <policy>')
    .action(async (ref: string, o: Opts, c: Command) => {
      const x = makeContext(c);
      await x.change('PATCH', await at(x, 'pools', ref), {
        ...(o.name ? { name: o.name } : {}),
        ...(o.compression ? { compression: o.compression } : {}),
        ...(o.compressionLevel ? { compression_level: Number(o.compressionLevel) } : {}),
        ...(o.sync ? { sync: o.sync } : {}),
      });
    });
  pools
    .command('delete <pool>')
    .option('--force', 'also destroy the volumes it holds')
    .action(async (ref: string, o: Opts, c: Command) => {
      const x = makeContext(c);
      await x.change('DELETE', `${await at(x, 'pools', ref)}${o.force ? '?force=true' : ''}`);
    });
  pools
    .command('expand <pool> <disks>')
    .description('add comma-separated disks')
    .option('--balance', 'spread existing data over all disks')
    .action(async (ref: string, d: string, o: Opts, c: Command) => {
      const x = makeContext(c);
      await x.change('POST', `${await at(x, 'pools', ref)}/disks`, {
        disks: await x.ids('disks', d),
        ...(o.balance ? { balance: true } : {}),
      });
    });
  pools.command('remove-disk <pool> <disk>').action(async (ref: string, disk: string, _o, c: Command) => {
    const x = makeContext(c);
    await x.change('DELETE', `${await at(x, 'pools', ref)}/${await at(x, 'disks', disk)}`);
  });
  pools
    .command('replace <pool> <disk> <with>')
    .action(async (ref: string, disk: string, w: string, _o, c: Command) => {
      const x = makeContext(c);
      await x.change('POST', `${await at(x, 'pools', ref)}/replace`, {
        disk: await x.id('disks', disk),
        with: await x.id('disks', w),
      });
    });
  pools
    .command('convert <pool> <profile>')
    .option('--metadata-profile <p>')
    .option('--acknowledge-raid56-write-hole')
    .action(async (ref: string, profile: string, o: Opts, c: Command) => {
      const x = makeContext(c);
      await x.change('POST', `${await at(x, 'pools', ref)}/convert`, {
        profile,
        ...(o.metadataProfile ? { metadata_profile: o.metadataProfile } : {}),
        ...(o.acknowledgeRaid56WriteHole ? { acknowledge_raid56_write_hole: true } : {}),
      });
    });
  pools.command('add-spares <pool> <disks>').action(async (ref: string, d: string, _o, c: Command) => {
    const x = makeContext(c);
    await x.change('POST', `${await at(x, 'pools', ref)}/spares`, { disks: await x.ids('disks', d) });
  });
  pools.command('remove-spare <pool> <disk>').action(async (ref: string, disk: string, _o, c: Command) => {
    const x = makeContext(c);
    await x.change('DELETE', `${await at(x, 'pools', ref)}/spares/${enc(await x.id('disks', disk))}`);
  });
  const scrub = pools.command('scrub').description('verify checksums and repair from good copies');
  scrub.command('start <pool>').action(async (ref: string, _o, c: Command) => {
    const x = makeContext(c);
    await x.change('POST', `${await at(x, 'pools', ref)}/scrub`);
  });
  scrub.command('status <pool>').action(async (ref: string, _o, c: Command) => {
    const x = makeContext(c);
    x.show(await x.client.get(`${await at(x, 'pools', ref)}/scrub`));
  });
  scrub.command('cancel <pool>').action(async (ref: string, _o, c: Command) => {
    const x = makeContext(c);
    await x.change('POST', `${await at(x, 'pools', ref)}/scrub/cancel`);
  });
  pools
    .command('dedup <pool>')
    .description('deduplicate extents (duperemove)')
    .action(async (ref: string, _o, c: Command) => {
      const x = makeContext(c);
      await x.change('POST', `${await at(x, 'pools', ref)}/dedup`);
    });
}
