/**
 * Match fingerprints: a keyed HMAC of a finding's matched text, so an allow-list entry can name
 * "this exact match" without the review store ever holding the text. The key is derived from the
 * master key (src/crypto/master-key.ts), so every process that shares the master key computes the
 * same fingerprint; rotating the master key retires every allow-list entry (they stop matching).
 */
import { createHmac } from 'node:crypto';

/** Version tag mixed into the key: bump it to retire every fingerprint at once. */
const FINGERPRINT_CONTEXT = 'bulwark/review/match-fingerprint/v1';

/** Derives the fingerprint key from the master key (never use the master key itself). */
export function fingerprintKey(masterKey: Buffer): Buffer {
  return createHmac('sha256', masterKey).update(FINGERPRINT_CONTEXT).digest();
}

/** The matched text as fingerprinted: NFKC, lower case, whitespace runs collapsed, trimmed. */
export function normaliseMatch(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/** `mf1_` and 32 hex characters (128 bits of HMAC-SHA256). */
export function matchFingerprint(key: Buffer, matchedText: string): string {
  return `mf1_${createHmac('sha256', key).update(normaliseMatch(matchedText)).digest('hex').slice(0, 32)}`;
}
