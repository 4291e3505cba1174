import type { AdminPrincipal } from '../../../auth/roles.ts';
import type { Gateway } from '../../../proxy/gateway.ts';
import { adminEvent } from '../../../store/admin-event.ts';
import type { GatewayEvent } from '../../../store/types.ts';

/** What an admin call acted on: its tenant (the audit partition the event lands in) and ids, never secrets. */
export interface AdminAuditTarget {
  /** Tenant id of the target; null: platform level (the `default` partition). */
  tenant: string | null;
  project?: string | null;
  /** Ids and names only, e.g. `key key_1a2b (rotated to key_3c4d)`. */
  description: string;
}

/**
 * Appends one event per admin call to the event store, so admin actions land in the audit hash
 * chain of the target's tenant: route `admin.<resource>.<verb>`, decision `allow` (or `block` when
 * refused), and one finding `admin/<verb>` whose message names the actor (id, role, how signed in)
 * and the target. Content is never stored: bodies may hold secrets (credentials, key material).
 */
export function recordAdminEvent(gateway: Gateway, entry: { route: string; requestId: string; principal: AdminPrincipal; target: AdminAuditTarget; status: number; error?: string }): GatewayEvent {
  const { principal, target } = entry;
  const actor = `${principal.id} (${principal.role}${principal.tenant ? ` of ${principal.tenant}` : ', platform'}, via ${principal.via}${principal.tokenId ? ` ${principal.tokenId}` : ''})`;
  const outcome = entry.error ? `refused ${entry.error}` : 'done';
  const event = adminEvent({
    requestId: entry.requestId,
    route: entry.route,
    policy: gateway.config.policy.name,
    status: entry.status,
    message: `actor ${actor}; target ${target.description || '-'}; ${outcome}`,
    ...(entry.error ? { error: entry.error } : {}),
    tenant: target.tenant,
    project: target.project ?? null,
    ...(principal.tokenId ? { keyId: principal.tokenId } : {}),
  });
  gateway.store.append(event);
  return event;
}
