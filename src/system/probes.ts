// Network probes: whether a daemon accepts connections (the supervisor and export readiness ask).
import { connect } from 'node:net';

/** Whether something accepts TCP connections at address:port (0.0.0.0 probes loopback). */
export function tcpOpen(address: string, port: number, timeoutMs = 1000): Promise<boolean> {
  const host = address === '0.0.0.0' ? '127.0.0.1' : address === '::' ? '::1' : address;
  return new Promise((resolve) => {
    const s = connect({ host, port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}
