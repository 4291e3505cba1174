import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { globMatch } from '../text/glob.ts';

export { globMatch };

/** API key text: `bwk_<8-char public prefix>_<secret>`; only the SHA-256 of the whole key is stored. */

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const PREFIX_LENGTH = 8;
/** 43 base62 characters carry about 256 bits. */
export const SECRET_LENGTH = 43;
const keyPattern = /^bwk_([A-Za-z0-9]{8})_([A-Za-z0-9]{32,128})$/;

function randomBase62(length: number): string {
  let out = '';
  // randomInt draws without modulo bias.
  for (let i = 0; i < length; i += 1) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** A fresh key and its public prefix. */
export function generateKey(): { key: string; prefix: string } {
  const prefix = randomBase62(PREFIX_LENGTH);
  return { key: `bwk_${prefix}_${randomBase62(SECRET_LENGTH)}`, prefix };
}

/** The prefix of a well-formed key, or null; never throws on client input. */
export function parseKey(presented: string): { prefix: string } | null {
  const match = keyPattern.exec(presented);
  return match ? { prefix: match[1]! } : null;
}

/** Hex SHA-256 of the full key. Keys are high-entropy random strings, so no slow KDF is needed. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Compares two hex digests in constant time (both are 64 hex characters when well-formed). */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  if (left.length !== 32 || right.length !== 32) return false;
  return timingSafeEqual(left, right);
}

/** Reads `30d`, `12h`, `15m`, `45s` or plain milliseconds; throws naming the expected form. */
export function parseDuration(text: string, what = 'duration'): number {
  const match = /^(\d{1,9})(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) throw new Error(`${what}: expected a number followed by s, m, h or d (e.g. 30d, 1h), got "${text}"`);
  const value = Number(match[1]);
  const unit = match[2] ?? 'ms';
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit]!;
  return value * factor;
}


/** Whether a principal may call `model` (its globs; none means every model). */
export function modelAllowed(models: readonly string[], model: string): boolean {
  return models.length === 0 || models.some((pattern) => globMatch(pattern, model));
}
