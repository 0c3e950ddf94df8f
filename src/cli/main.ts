// `cairn`: the command-line client of the native API. Exit status 0 on success, 1 on an API error
// (its code and message on stderr, or the error body with --json), 2 on usage errors.
import { CommanderError } from 'commander';
import { ApiError } from './client.js';
import { buildProgram } from './program.js';

// `cairn … | head -1`: the reader has what it wanted and closed the pipe. End quietly, as other
// Unix tools do, instead of dying on an unhandled EPIPE with a stack trace.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });

const program = buildProgram();

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
