// Each storage area registers its CLI commands here (one line per area).
import type { Command } from 'commander';

export function registerAreaCommands(_program: Command): void {}
