// Each storage area registers its CLI commands here (one line per area).
import type { Command } from 'commander';
import { registerStorageCommands } from './storage.js';
import { registerVolumeCommands } from './volumes.js';
import { registerExportCommands } from './exports.js';
import { registerTargetCommands } from './targets.js';
import { registerProtectionCommands } from './protection.js';
import { registerMonitorCommands } from './monitor.js';
import { registerAttachmentCommands } from './attachments.js';

export function registerAreaCommands(program: Command): void {
  registerStorageCommands(program);
  registerVolumeCommands(program);
  registerAttachmentCommands(program);
  registerExportCommands(program);
  registerTargetCommands(program);
  registerProtectionCommands(program);
  registerMonitorCommands(program);
}
