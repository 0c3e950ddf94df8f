// Notifications: every raised or cleared alert becomes one durable delivery per enabled channel
// (the notification_deliveries table), sent by a worker with exponential back-off, so a restart
// or a receiver that is down loses nothing. Webhooks are signed with HMAC-SHA256; email goes over
// SMTP (both sent through src/system/notify.ts). Secrets are never logged.
import type { Logger } from 'pino';
import type { ChannelRecord, NotificationStore } from '../store/notifications.js';
import type { DeliveryRecord } from '../domain/monitor.js';
import {
  MAX_DELIVERY_ATTEMPTS,
  SEVERITY_RANK,
  SIGNATURE_HEADER,
  backoffMs,
  signBody,
  alertWire,
  type Alert,
  type AlertRecord,
} from '../domain/monitor.js';
import { newId } from '../domain/ids.js';
import { postWebhook, sendMail } from '../system/notify.js';

export type NotifyEvent = 'alert.raised' | 'alert.cleared' | 'test';

export interface SendResult {
  delivered: boolean;
  status?: number;
  error?: string;
}

const TIMEOUT_MS = 10_000;
const POLL_MS = 1_000;

export class Notifier {
  private timer: NodeJS.Timeout | null = null;
  private busy: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly deps: {
      store: NotificationStore;
      now: () => number;
      backoffBaseMs: number;
      systemName: () => Promise<string>;
      logger: Logger;
    },
  ) {}

  start(): void {
    this.stopped = false;
    if (this.timer) return;
    this.timer = setInterval(() => this.kick(), POLL_MS);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.busy?.catch(() => undefined);
  }

  /** Queues one delivery per enabled channel that takes alerts of this severity, then sends. */
  async notify(event: NotifyEvent, alert: AlertRecord): Promise<void> {
    const channels = (await this.deps.store.enabled()).filter(
      (c) => SEVERITY_RANK[alert.severity] >= SEVERITY_RANK[c.minSeverity],
    );
    if (channels.length === 0) return;
    const payload = JSON.stringify({
      event,
      system: await this.deps.systemName(),
      sent_at: new Date(this.deps.now()).toISOString(),
      alert: alertWire(alert),
    });
    for (const c of channels)
      await this.deps.store.enqueue({ channelId: c.id, alertId: alert.id, event, payload }, this.deps.now());
    this.kick();
  }

  /** Sends whatever is due now (runs at most once at a time; a kick during a run runs again). */
  kick(): void {
    if (this.stopped) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = this.drain()
      .catch((e: unknown) => this.deps.logger.warn({ err: e }, 'notification worker failed'))
      .finally(() => {
        this.busy = null;
        if (this.again && !this.stopped) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Waits for the worker to go idle (tests). */
  async idle(): Promise<void> {
    while (this.busy) await this.busy;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const due = await this.deps.store.due(this.deps.now(), 20);
      if (due.length === 0 || this.stopped) return;
      for (const d of due) await this.attempt(d);
    }
  }

  private async attempt(d: DeliveryRecord): Promise<void> {
    const channel = await this.deps.store.get(d.channelId);
    const attempts = d.attempts + 1;
    if (!channel || !channel.enabled) {
      await this.deps.store.attemptFailed(d.id, attempts, 'channel removed or disabled', null);
      return;
    }
    const r = await this.send(channel, d.payload, d.event as NotifyEvent, d.id);
    if (r.delivered) {
      await this.deps.store.delivered(d.id, attempts, this.deps.now());
      return;
    }
    const next =
      attempts >= MAX_DELIVERY_ATTEMPTS
        ? null
        : this.deps.now() + backoffMs(attempts, this.deps.backoffBaseMs);
    this.deps.logger.info(
      { channel: channel.name, delivery: d.id, attempts, error: r.error },
      next === null ? 'notification given up' : 'notification failed, will retry',
    );
    await this.deps.store.attemptFailed(d.id, attempts, r.error ?? 'failed', next);
  }

  /** One attempt to send a payload on a channel (also used by the channel test). */
  async send(
    c: ChannelRecord,
    payload: string,
    event: NotifyEvent,
    deliveryId = newId(),
  ): Promise<SendResult> {
    try {
      return c.type === 'webhook'
        ? await this.sendWebhook(c, payload, event, deliveryId)
        : await this.sendEmail(c, payload, event);
    } catch (e) {
      return { delivered: false, error: e instanceof Error ? e.message : String(e) };
    }
  }

  private async sendWebhook(
    c: ChannelRecord,
    body: string,
    event: string,
    deliveryId: string,
  ): Promise<SendResult> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'cairn-monitor',
      'x-cairn-event': event,
      'x-cairn-delivery': deliveryId,
    };
    if (c.secret) headers[SIGNATURE_HEADER] = signBody(c.secret, body);
    const res = await postWebhook(String(c.config.url), headers, body, TIMEOUT_MS);
    return res.ok
      ? { delivered: true, status: res.status }
      : { delivered: false, status: res.status, error: `HTTP ${res.status}` };
  }

  private async sendEmail(c: ChannelRecord, payload: string, event: string): Promise<SendResult> {
    const cfg = c.config as {
      to: string[];
      from: string;
      smtp_host: string;
      smtp_port: number;
      smtp_security?: 'tls' | 'starttls' | 'none';
      smtp_user?: string;
    };
    const p = JSON.parse(payload) as { system: string; alert?: Alert };
    const a = p.alert;
    const subject =
      event === 'test'
        ? `[Cairn ${p.system}] test notification`
        : `[Cairn ${p.system}] ${event === 'alert.cleared' ? 'cleared' : a?.severity}: ${a?.message}`;
    const text =
      event === 'test'
        ? `This is a test notification from Cairn on ${p.system}.\n`
        : [
            `${event === 'alert.cleared' ? 'Cleared' : 'Raised'}: ${a?.message}`,
            `severity: ${a?.severity}`,
            `rule: ${a?.rule}`,
            `object: ${a?.object_type} ${a?.object_id}`,
            `raised at: ${a?.raised_at}`,
            `alert id: ${a?.id}`,
            '',
          ].join('\n');
    const server = {
      host: cfg.smtp_host,
      port: cfg.smtp_port,
      security: cfg.smtp_security ?? 'starttls',
      ...(cfg.smtp_user ? { user: cfg.smtp_user, password: c.secret } : {}),
    };
    const attachments = [{ filename: 'alert.json', content: payload, contentType: 'application/json' }];
    const accepted = await sendMail(
      server,
      { from: cfg.from, to: cfg.to, subject, text, attachments },
      TIMEOUT_MS,
    );
    return accepted > 0 ? { delivered: true } : { delivered: false, error: 'no recipient accepted' };
  }
}
