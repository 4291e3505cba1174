import type { IncomingHttpHeaders } from 'node:http';
import { BulwarkError } from '../errors/bulwark-error.ts';
import type { PseudonymSession } from '../pseudonyms/pseudonymizer.ts';
import { restorePlaceholders } from '../pseudonyms/restore.ts';
import { PLACEHOLDER_ALLOCATOR_KEY } from '../scanners/shared/placeholders.ts';
import { getAtPath, setAtPath } from '../wire/json-path.ts';
import type { TextSegment } from '../wire/types.ts';
import type { EventDraft } from './event-draft.ts';
import type { Gateway } from './gateway.ts';

const conversationPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Opens the request's pseudonym session when the policy pseudonymises: scanners then take
 * placeholders from the conversation's vault (same value, same placeholder across turns).
 * Synchronous with the embedded vault; a promise with PostgreSQL (the caller awaits only then).
 */
export function beginPseudonyms(gateway: Gateway, headers: IncomingHttpHeaders | undefined, tenant: string, state: Map<string, unknown>, draft: EventDraft): PseudonymSession | null | Promise<PseudonymSession> {
  if (!gateway.pseudonymizer) {
    // A tenant, project, key or request policy may switch pseudonymisation on (tighten-only), but the vault is
    // provisioned at startup from the global policy: refuse rather than send the values to the provider unreplaced.
    if (gateway.config.policy.pseudonymisation.enabled) return vaultFailed(gateway, draft, new Error('this policy pseudonymises but the gateway has no vault; enable policy.pseudonymisation in the global configuration'));
    return null;
  }
  const header = gateway.config.policy.pseudonymisation.conversationHeader;
  const raw = headers?.[header];
  let conversation: string | null = null;
  if (raw !== undefined) {
    if (typeof raw !== 'string' || !conversationPattern.test(raw)) {
      throw new BulwarkError('BULWARK_INVALID_REQUEST', `Header ${header} must be 1-128 characters of letters, digits, '.', '_', ':' or '-'.`, { param: header });
    }
    conversation = raw;
  }
  const install = (session: PseudonymSession) => {
    state.set(PLACEHOLDER_ALLOCATOR_KEY, session.allocator);
    return session;
  };
  let begun: PseudonymSession | Promise<PseudonymSession>;
  try {
    begun = gateway.pseudonymizer.begin(tenant, conversation);
  } catch (error) {
    return vaultFailed(gateway, draft, error);
  }
  return begun instanceof Promise ? begun.then(install, (error: unknown) => vaultFailed(gateway, draft, error)) : install(begun);
}

/** Saves the request's new mappings before the upstream call; awaits only a PostgreSQL vault. */
export function commitPseudonyms(gateway: Gateway, session: PseudonymSession, draft: EventDraft): void | Promise<void> {
  let saved: void | Promise<void>;
  try {
    saved = session.commit();
  } catch (error) {
    return vaultFailed(gateway, draft, error);
  }
  if (saved instanceof Promise) return saved.catch((error: unknown) => vaultFailed(gateway, draft, error));
}

/** The vault cannot be read or written: fail closed (values would otherwise lose their mapping), record the event. */
function vaultFailed(gateway: Gateway, draft: EventDraft, cause: unknown): never {
  const reason = cause instanceof Error ? cause.message : String(cause);
  gateway.logger.error({ err: reason, event: draft.id }, 'pseudonym vault unavailable; refusing the request');
  const error = new BulwarkError('BULWARK_VAULT_UNAVAILABLE', 'The pseudonym vault cannot be reached right now; retry shortly.', { details: { eventId: draft.id, retryAfterSeconds: 1 } });
  draft.error = `vault: ${reason}`;
  gateway.record(draft.finish('error', error.status));
  throw error;
}

/** Restores pseudonymised values in a (non-streamed) response body; true when anything changed. */
export function restoreResponseBody(body: Record<string, unknown>, segments: readonly TextSegment[], restorations: ReadonlyMap<string, string>): boolean {
  if (restorations.size === 0) return false;
  let changed = false;
  for (const segment of segments) {
    const serialised = segment.readOnly === true;
    if (!serialised && typeof getAtPath(body, segment.path) !== 'string') continue;
    // Tool-call arguments are JSON text: restored values are escaped for the inside of a JSON string.
    const json = serialised || segment.path[segment.path.length - 1] === 'arguments';
    const restored = restorePlaceholders(segment.text, restorations, json);
    if (restored === segment.text) continue;
    setAtPath(body, segment.path, serialised ? JSON.parse(restored) : restored);
    changed = true;
  }
  return changed;
}
