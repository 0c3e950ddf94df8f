// Seals CHAP secrets at rest. tgtd keeps nothing across restarts, so Cairn must be able to give the
// secret to tgtadm again: a one-way hash will not do. AES-256-GCM with a random key kept in
// <data>/secrets.key (mode 0600). Sealed values never leave the service in a reply or a log.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readOrCreateKey } from '../../system/keyfile.js';
import { join } from 'node:path';

const PREFIX = 'v1';

export class SecretBox {
  private readonly key: Buffer;

  constructor(dataDir: string) {
    this.key = readOrCreateKey(join(dataDir, 'secrets.key'), 32);
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return [PREFIX, iv.toString('base64'), c.getAuthTag().toString('base64'), body.toString('base64')].join(
      ':',
    );
  }

  open(sealed: string): string {
    const [v, iv, tag, body] = sealed.split(':');
    if (v !== PREFIX || !iv || !tag || body === undefined) throw new Error('not a sealed secret');
    const d = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    d.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([d.update(Buffer.from(body, 'base64')), d.final()]).toString('utf8');
  }
}
