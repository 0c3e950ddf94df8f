// A burst of wrong passwords for one user from one source is kept in the audit trail and raised
// as an alert (through its event); single failures write nothing. Failures to record are logged,
// never thrown back into the login that was refused.
import type { Logger } from 'pino';
import type { AuditStore } from '../store/audit.js';
import type { EventSink } from '../domain/events.js';
import type { AuthService } from './service.js';

export function recordLoginBursts(
  auth: Pick<AuthService, 'onLoginBurst'>,
  d: { audit: Pick<AuditStore, 'record'>; events: EventSink; logger: Logger },
): void {
  auth.onLoginBurst(({ user, source, failures }) => {
    void d.audit
      .record({
        at: new Date().toISOString(),
        actor: user,
        actorKind: 'anonymous',
        source,
        method: 'AUTH',
        route: 'login',
        url: 'login',
        status: 429,
        result: 'error',
        errorCode: 'TOO_MANY_FAILED_LOGINS',
        requestId: 'login-burst',
      })
      .catch((e: unknown) => d.logger.error({ err: e }, 'audit record failed'));
    void d.events
      .record({
        type: 'auth.login_failures',
        severity: 'warning',
        objectType: 'user',
        objectId: user,
        message: `${failures} wrong passwords for ${user} from ${source}; guesses from there are slowed down`,
        details: { user, source, failures },
      })
      .catch((e: unknown) => d.logger.error({ err: e }, 'event record failed'));
  });
}
