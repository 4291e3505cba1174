import type { IncomingHttpHeaders } from 'node:http';
import { BulwarkError } from '../errors/bulwark-error.ts';
import type { PseudonymSession } from '../pseudonyms/pseudonymizer.ts';
import { restorePlaceholders } from '../pseudonyms/restore.ts';
import { PLACEHOLDER_ALLOCATOR_KEY } from '../scanners/shared/placeholders.ts';
import { getAtPath, setAtPath } from '../wire/json-path.ts';
import type { TextSegment } from '../wire/types.ts';
import type { Gateway } from './gateway.ts';

const conversationPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Opens the request's pseudonym session when the policy pseudonymises: scanners then take
 * placeholders from the conversation's vault (same value, same placeholder across turns).
 */
export function beginPseudonyms(gateway: Gateway, headers: IncomingHttpHeaders | undefined, tenant: string, state: Map<string, unknown>): PseudonymSession | null {
  if (!gateway.pseudonymizer) return null;
  const header = gateway.config.policy.pseudonymisation.conversationHeader;
  const raw = headers?.[header];
  let conversation: string | null = null;
  if (raw !== undefined) {
    if (typeof raw !== 'string' || !conversationPattern.test(raw)) {
      throw new BulwarkError('BULWARK_INVALID_REQUEST', `Header ${header} must be 1-128 characters of letters, digits, '.', '_', ':' or '-'.`, { param: header });
    }
    conversation = raw;
  }
  const session = gateway.pseudonymizer.begin(tenant, conversation);
  state.set(PLACEHOLDER_ALLOCATOR_KEY, session.allocator);
  return session;
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
