// Filesystem calls the services make (folders for mounts, daemons and job scratch space, the
// generated admin password): here, so that no module outside src/system/ writes to the filesystem
// (lint refuses node:fs writes elsewhere). Paths come from src/system/paths.ts or the
// configuration, never from a request.
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, rm, rmdir } from 'node:fs/promises';

/** Makes `path` and any missing parents (nothing if it exists); `mode` applies to what is made. */
export async function makeDir(path: string, mode = 0o755): Promise<void> {
  await mkdir(path, { recursive: true, mode });
}

/** makeDir at start-up, before there is anything else to do while waiting. */
export function makeDirSync(path: string, mode = 0o755): void {
  mkdirSync(path, { recursive: true, mode });
}

/** Removes an empty folder; false when it is not there, not empty or not removable. */
export async function removeEmptyDir(path: string): Promise<boolean> {
  return rmdir(path).then(
    () => true,
    () => false,
  );
}

/** Removes `path` and everything under it; nothing if it is not there. For scratch folders only. */
export async function removeTree(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}

/** Writes a file only its owner may read (mode 0600), replacing what was there. */
export function writePrivateFile(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
}
