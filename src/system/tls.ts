// The HTTPS certificate: a self-signed one generated once with openssl into the data directory, or
// the administrator's own. Reports the SHA-256 fingerprint that partners and clients pin.
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Exec } from './exec.js';
import { run } from './exec.js';

export interface Certificate {
  cert: string;
  key: string;
  certPath: string;
  keyPath: string;
  /** Colon-separated uppercase hex, as `openssl x509 -fingerprint -sha256` prints it. */
  fingerprint256: string;
  subject: string;
  validTo: string;
  selfSigned: boolean;
}

export function readCertificate(certPath: string, keyPath: string, selfSigned: boolean): Certificate {
  const cert = readFileSync(certPath, 'utf8');
  const x = new X509Certificate(cert);
  return {
    cert,
    key: readFileSync(keyPath, 'utf8'),
    certPath,
    keyPath,
    fingerprint256: x.fingerprint256,
    subject: x.subject,
    validTo: new Date(x.validTo).toISOString(),
    selfSigned,
  };
}

/** Generates `tls/cert.pem` and `tls/key.pem` under `dir` unless they already exist. */
export async function ensureSelfSigned(exec: Exec, dir: string, hostname: string): Promise<Certificate> {
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  if (!existsSync(certPath) || !existsSync(keyPath)) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const cn = hostname.replace(/[^A-Za-z0-9.-]/g, '') || 'cairn';
    await run(exec, {
      argv: [
        'openssl',
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '3650',
        '-subj',
        `/CN=${cn}/O=Cairn`,
        '-addext',
        `subjectAltName=DNS:${cn},DNS:localhost,IP:127.0.0.1,IP:::1`,
        '-keyout',
        keyPath,
        '-out',
        certPath,
      ],
      timeoutMs: 30_000,
    });
    await chmod(keyPath, 0o600);
  }
  return readCertificate(certPath, keyPath, true);
}
