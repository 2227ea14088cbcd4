import type { Logger } from '../core/host';
import type { SecurityEvent, SecurityEventSink } from '../core/audit/auditEvents';
import { errorMessage } from '../shared/errorMessage';

/** Writes a security event to the audit log; a failed write is logged and never undoes what the user did. */
export async function recordSecurityEvent(sink: () => Promise<SecurityEventSink>, log: Logger, event: SecurityEvent): Promise<void> {
  try {
    await (await sink()).securityEvent(event);
  } catch (e) {
    log.error(`Could not write ${event.type} to the audit log: ${errorMessage(e)}`);
  }
}
