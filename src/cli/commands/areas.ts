// Each storage area registers its CLI commands here (one line per area).
import type { Command } from 'commander';
import { registerProtectionCommands } from './protection.js';

export function registerAreaCommands(program: Command): void {
  registerProtectionCommands(program);
}
