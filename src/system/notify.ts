// The network side of notifications: one webhook POST (fetch, no redirects followed) and one mail
// over SMTP (nodemailer). src/monitor/notifier.ts decides what is sent, when and how often; this
// module only talks to the receiver. Secrets are passed in, never logged.
import nodemailer from 'nodemailer';

/** POSTs `body` to `url`; the answer's status (its body is read and dropped). */
export async function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<{ ok: boolean; status: number }> {
  const res = await fetch(url, {
    method: 'POST',
    headers,
    body,
    signal: AbortSignal.timeout(timeoutMs),
    redirect: 'manual',
  });
  await res.arrayBuffer().catch(() => undefined);
  return { ok: res.ok, status: res.status };
}

export interface SmtpServer {
  host: string;
  port: number;
  security: 'tls' | 'starttls' | 'none';
  /** Both or neither: the login. */
  user?: string;
  password?: string | null;
}

export interface Mail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  attachments?: { filename: string; content: string; contentType: string }[];
}

/** Sends one mail; how many recipients the server accepted. */
export async function sendMail(server: SmtpServer, mail: Mail, timeoutMs: number): Promise<number> {
  const transport = nodemailer.createTransport({
    host: server.host,
    port: server.port,
    secure: server.security === 'tls',
    ignoreTLS: server.security === 'none',
    requireTLS: false,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    ...(server.user && server.password ? { auth: { user: server.user, pass: server.password } } : {}),
  });
  try {
    const info = await transport.sendMail(mail);
    return info.accepted.length;
  } finally {
    transport.close();
  }
}
