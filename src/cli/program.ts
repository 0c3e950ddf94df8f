// The `cairn` command tree (global options and every area's commands), built without running it,
// so that tests can walk it (e.g. that every size option goes through the one size parser).
import { Command } from 'commander';
import { registerCoreCommands } from './commands/core.js';
import { registerAreaCommands } from './commands/areas.js';

export function buildProgram(): Command {
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
  return program;
}
