// `cairn`: the command-line client of the native API. Exit status 0 on success, 1 on an API error
// (its code and message on stderr, or the error body with --json), 2 on usage errors.
import { Command, CommanderError } from 'commander';
import { ApiError } from './client.js';
import { registerCoreCommands } from './commands/core.js';
import { registerAreaCommands } from './commands/areas.js';

const program = new Command('cairn')
  .description('Cairn storage appliance CLI')
  .option('--url <url>', 'server URL (CAIRN_URL)', undefined)
  .option('-u, --user <name>', 'user for HTTP Basic (CAIRN_USER)')
  .option('-p, --password <password>', 'password (CAIRN_PASSWORD)')
  .option('-k, --api-key <key>', 'bearer API key (CAIRN_API_KEY)')
  .option('--fingerprint <sha256>', "pin the server certificate's SHA-256 fingerprint (CAIRN_FINGERPRINT)")
  .option('--insecure', 'accept any server certificate (CAIRN_INSECURE=1)')
  .option('--config <file>', 'config file (default ~/.config/cairn/cli.json)')
  .option('--json', 'print the API answer as JSON')
  .exitOverride();

registerCoreCommands(program);
registerAreaCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 2);
  if (e instanceof ApiError) {
    if (program.opts<{ json?: boolean }>().json)
      process.stdout.write(`${JSON.stringify(e.body ?? {}, null, 2)}\n`);
    process.stderr.write(`cairn: ${e.code}: ${e.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`cairn: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
