// The NT hash Samba keeps for a password: MD4 of its UTF-16LE encoding (MS-NLMP §3.3.1). Node's
// OpenSSL 3 no longer offers MD4 (legacy provider), so it is computed here (RFC 1320). Used only to
// hand Samba its hash when a password is set; never for Cairn's own logins.

const rotl = (x: number, n: number) => (x << n) | (x >>> (32 - n));

/** MD4 (RFC 1320) of `data`, 16 bytes. */
export function md4(data: Uint8Array): Buffer {
  const bitLen = data.length * 8;
  const padLen = (data.length % 64 < 56 ? 56 : 120) - (data.length % 64);
  const msg = Buffer.alloc(data.length + padLen + 8);
  msg.set(data);
  msg[data.length] = 0x80;
  msg.writeUInt32LE(bitLen >>> 0, msg.length - 8);
  msg.writeUInt32LE(Math.floor(bitLen / 2 ** 32), msg.length - 4);
  let a = 0x67452301;
  let b = 0xefcdab89;
  let c = 0x98badcfe;
  let d = 0x10325476;
  const x = new Array<number>(16);
  const f = (p: number, q: number, r: number) => (p & q) | (~p & r);
  const g = (p: number, q: number, r: number) => (p & q) | (p & r) | (q & r);
  const h = (p: number, q: number, r: number) => p ^ q ^ r;
  for (let off = 0; off < msg.length; off += 64) {
    for (let i = 0; i < 16; i++) x[i] = msg.readUInt32LE(off + i * 4);
    const [aa, bb, cc, dd] = [a, b, c, d];
    for (const i of [0, 4, 8, 12]) {
      a = rotl((a + f(b, c, d) + x[i]!) | 0, 3);
      d = rotl((d + f(a, b, c) + x[i + 1]!) | 0, 7);
      c = rotl((c + f(d, a, b) + x[i + 2]!) | 0, 11);
      b = rotl((b + f(c, d, a) + x[i + 3]!) | 0, 19);
    }
    for (const i of [0, 1, 2, 3]) {
      a = rotl((a + g(b, c, d) + x[i]! + 0x5a827999) | 0, 3);
      d = rotl((d + g(a, b, c) + x[i + 4]! + 0x5a827999) | 0, 5);
      c = rotl((c + g(d, a, b) + x[i + 8]! + 0x5a827999) | 0, 9);
      b = rotl((b + g(c, d, a) + x[i + 12]! + 0x5a827999) | 0, 13);
    }
    for (const i of [0, 2, 1, 3]) {
      a = rotl((a + h(b, c, d) + x[i]! + 0x6ed9eba1) | 0, 3);
      d = rotl((d + h(a, b, c) + x[i + 8]! + 0x6ed9eba1) | 0, 9);
      c = rotl((c + h(d, a, b) + x[i + 4]! + 0x6ed9eba1) | 0, 11);
      b = rotl((b + h(c, d, a) + x[i + 12]! + 0x6ed9eba1) | 0, 15);
    }
    a = (a + aa) | 0;
    b = (b + bb) | 0;
    c = (c + cc) | 0;
    d = (d + dd) | 0;
  }
  const out = Buffer.alloc(16);
  [a, b, c, d].forEach((v, i) => out.writeInt32LE(v, i * 4));
  return out;
}

/** The NT hash of a password, as 32 upper-case hex digits (smbpasswd's format). */
export const ntHash = (password: string): string =>
  md4(Buffer.from(password, 'utf16le')).toString('hex').toUpperCase();
