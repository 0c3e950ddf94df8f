// Helpers for monitoring tests: a real single-device btrfs pool on a loop device (unmounted and
// detached by mount point and device after the test), a webhook receiver and an SMTP receiver on
// free loopback ports, both closed after the test.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { sh, sparseFile, type T } from './real.js';

export interface RealPool {
  dev: string;
  mount: string;
  dir: string;
}

/** mkfs.btrfs on a sparse file behind a loop device, mounted in a temporary directory. */
export async function realPool(t: T, sizeMiB: number): Promise<RealPool> {
  const dir = mkdtempSync(join(process.env.CAIRN_TEST_ROOT ?? tmpdir(), 'cairn-pool-'));
  const mount = join(dir, 'mnt');
  let dev = '';
  let mounted = false;
  t.after(() => {
    if (mounted) sh(['umount', mount], { allowFail: true });
    if (dev) sh(['losetup', '-d', dev], { allowFail: true });
    rmSync(dir, { recursive: true, force: true });
  });
  const file = await sparseFile(join(dir, 'disk.img'), sizeMiB * 1024 * 1024);
  dev = sh(['losetup', '--show', '-f', file]).trim();
  sh(['mkfs.btrfs', '-f', '-q', dev]);
  mkdirSync(mount);
  sh(['mount', dev, mount]);
  mounted = true;
  return { dev, mount, dir };
}

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** An HTTP receiver that answers the given statuses in turn (then 200) and keeps every request. */
export async function webhookReceiver(t: T, statuses: number[] = []) {
  const got: Received[] = [];
  const answers = [...statuses];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.statusCode = answers.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  const a = server.address();
  const port = typeof a === 'object' && a ? a.port : 0;
  return { url: `http://127.0.0.1:${port}/hook`, got };
}

export interface Mail {
  from: string;
  to: string[];
  raw: string;
}

/** A local SMTP server (no TLS, no auth) that keeps every message. */
export async function smtpReceiver(t: T) {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, done) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (c: string) => (raw += c));
      stream.on('end', () => {
        const from = session.envelope.mailFrom;
        mails.push({
          from: from ? from.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
        });
        done();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  const a = server.server.address();
  return { port: typeof a === 'object' && a ? a.port : 0, mails };
}
