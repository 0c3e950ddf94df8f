// Each storage area registers its CLI commands here (one line per area).
import type { Command } from 'commander';
import { registerVolumeCommands } from './volumes.js';

export function registerAreaCommands(program: Command): void {
  registerVolumeCommands(program);
}
