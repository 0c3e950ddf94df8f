// Seals secrets kept for later use (a partner's API key) with AES-256-GCM under a key file
// `<data>/secrets.key` (0600, created once). Sealed text is `v1.<iv>.<tag>.<ciphertext>` (base64url).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export class Sealer {
  private key: Buffer | null = null;
  constructor(private readonly dataDir: string) {}

  private async loadKey(): Promise<Buffer> {
    if (this.key) return this.key;
    const file = join(this.dataDir, 'secrets.key');
    let key = await readFile(file).catch(() => null);
    if (!key || key.length !== 32) {
      // 'wx': never overwrite a key another start created meanwhile; read that one instead.
      await writeFile(file, randomBytes(32), { mode: 0o600, flag: 'wx' }).catch(() => undefined);
      key = await readFile(file);
    }
    await chmod(file, 0o600);
    if (key.length !== 32) throw new Error(`${file} is not a 32-byte key`);
    this.key = key;
    return key;
  }

  async seal(plain: string): Promise<string> {
    const key = await this.loadKey();
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return ['v1', iv, c.getAuthTag(), body]
      .map((x) => (typeof x === 'string' ? x : x.toString('base64url')))
      .join('.');
  }

  async open(sealed: string): Promise<string> {
    const key = await this.loadKey();
    const [v, iv, tag, body] = sealed.split('.');
    if (v !== 'v1' || !iv || !tag || body === undefined) throw new Error('not a sealed secret');
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    d.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([d.update(Buffer.from(body, 'base64url')), d.final()]).toString('utf8');
  }
}
