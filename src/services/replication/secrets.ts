// Seals a partner's API key at rest with the same AES-256-GCM box and key file
// (`<data>/secrets.key`, 0600, created once) that CHAP secrets use, so a system has one key.
import { SecretBox } from '../hosts/secrets.js';

export class Sealer {
  private box: SecretBox | null = null;
  constructor(private readonly dataDir: string) {}

  /** Opened on first use: the key file is only made once a secret needs it. */
  private get(): SecretBox {
    return (this.box ??= new SecretBox(this.dataDir));
  }

  async seal(plain: string): Promise<string> {
    return this.get().seal(plain);
  }

  async open(sealed: string): Promise<string> {
    return this.get().open(sealed);
  }
}
