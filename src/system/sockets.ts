// Unix socket files for the dialects' doors: the folder made, a stale socket of an earlier cairnd
// removed (never a live one, never anything but a socket), the mode set after listening, and the
// file removed at stop. Paths come from the configuration, never from a request.
import { chmodSync, lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';

const answers = (path: string): Promise<boolean> =>
  new Promise((resolve) => {
    const s = connect({ path });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

/** Makes the socket's folder and clears a stale socket; refuses a live one or a non-socket file. */
export async function prepareSocketPath(path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return;
  }
  if (!st.isSocket()) throw new Error(`${path} exists and is not a socket; not replacing it`);
  if (await answers(path)) throw new Error(`${path} is in use by another process`);
  unlinkSync(path);
}

export const setSocketMode = (path: string, mode: number): void => chmodSync(path, mode);

/** Removes a socket this process made (nothing else: it must still be a socket). */
export function removeSocket(path: string): void {
  try {
    if (lstatSync(path).isSocket()) unlinkSync(path);
  } catch {
    /* already gone */
  }
}
