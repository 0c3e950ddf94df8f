// Each storage area registers its CLI commands here (one line per area).
import type { Command } from 'commander';
import { registerExportCommands } from './exports.js';

export function registerAreaCommands(program: Command): void {
  registerExportCommands(program);
}
