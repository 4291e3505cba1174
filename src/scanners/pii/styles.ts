/**
 * Replacement styles for a detected value: placeholder / pseudonymise (the request's allocator),
 * mask, keyed hash, and format-preserving fakes that are deterministic per value.
 */
import { createHmac } from 'node:crypto';
import type { PlaceholderAllocator } from '../shared/placeholders.ts';
import { luhnValid } from './validators.ts';

export const STYLES = ['placeholder', 'mask', 'hash', 'fake', 'pseudonymise'] as const;
export type Style = (typeof STYLES)[number];

export interface StyleOptions {
  allocator: () => PlaceholderAllocator;
  hashKey: string;
  /** Characters kept at the end of a masked card / account number. */
  maskKeep: number;
}

const TAIL_KEEPING = new Set(['CREDIT_CARD', 'IBAN_CODE', 'US_BANK_ROUTING']);

/** `****1234` for cards and accounts (tail kept), every letter or digit masked otherwise. */
export function mask(type: string, value: string, keep: number): string {
  let alnum = 0;
  for (const ch of value) if (/[\p{L}\p{N}]/u.test(ch)) alnum++;
  const kept = TAIL_KEEPING.has(type) ? Math.min(keep, Math.max(0, alnum - 4)) : 0;
  let seen = 0;
  let out = '';
  for (const ch of value) {
    if (/[\p{L}\p{N}]/u.test(ch)) {
      seen++;
      out += seen > alnum - kept ? ch : '*';
    } else out += ch;
  }
  return out;
}

function digest(key: string, type: string, value: string): Buffer {
  return createHmac('sha256', key).update(`${type}\u0000${value}`).digest();
}

/** `<EMAIL_ADDRESS:1a2b3c4d>`: HMAC-SHA256 of type and value under the configured key, 8 hex digits. */
export function hashed(type: string, value: string, key: string): string {
  return `<${type}:${digest(key, type, value).toString('hex').slice(0, 8)}>`;
}

const FIRST = ['Alex', 'Sam', 'Jordan', 'Taylor', 'Morgan', 'Casey', 'Robin', 'Jamie', 'Avery', 'Riley', 'Quinn', 'Drew', 'Kim', 'Lee', 'Noa', 'Eli'];
const LAST = ['Smith', 'Garcia', 'Novak', 'Tanaka', 'Okafor', 'Larsen', 'Rossi', 'Dubois', 'Kowalski', 'Silva', 'Murphy', 'Schmidt', 'Ivanov', 'Haddad', 'Chen', 'Patel'];

/** A stream of pseudo-random bytes seeded by the value's keyed digest. */
function stream(seed: Buffer): () => number {
  let buffer = seed;
  let at = 0;
  return () => {
    if (at >= buffer.length) {
      buffer = createHmac('sha256', buffer).update('more').digest();
      at = 0;
    }
    return buffer[at++]!;
  };
}

/** A format-preserving fake, the same for the same value and key. */
export function fake(type: string, value: string, key: string): string {
  const next = stream(digest(key, `fake:${type}`, value));
  if (type === 'EMAIL_ADDRESS') return `user-${digest(key, 'email', value).toString('hex').slice(0, 8)}@example.com`;
  if (type === 'PERSON') {
    const parts = value.trim().split(/\s+/).length;
    const first = FIRST[next() % FIRST.length]!;
    return parts > 1 ? `${first} ${LAST[next() % LAST.length]!}` : first;
  }
  if (type === 'URL' || type === 'URL_CREDENTIALS') return `https://example.com/${digest(key, 'url', value).toString('hex').slice(0, 8)}`;
  // Digits and letters replaced one for one, separators kept.
  let out = '';
  for (const ch of value) {
    if (ch >= '0' && ch <= '9') out += String(next() % 10);
    else if (/\p{Lu}/u.test(ch)) out += String.fromCharCode(65 + (next() % 26));
    else if (/\p{Ll}/u.test(ch)) out += String.fromCharCode(97 + (next() % 26));
    else out += ch;
  }
  if (type === 'CREDIT_CARD') return luhnCard(out);
  return out;
}

/** Makes the digits of a fake card start with 4 (a test-range issuer) and pass Luhn, keeping separators. */
function luhnCard(fakeValue: string): string {
  const positions: number[] = [];
  for (let i = 0; i < fakeValue.length; i++) if (fakeValue[i]! >= '0' && fakeValue[i]! <= '9') positions.push(i);
  if (positions.length < 2) return fakeValue;
  const chars = fakeValue.split('');
  chars[positions[0]!] = '4';
  for (let d = 0; d <= 9; d++) {
    chars[positions[positions.length - 1]!] = String(d);
    if (luhnValid(positions.map((p) => chars[p]).join(''))) break;
  }
  return chars.join('');
}

/** The replacement for `value` of entity `type` in the given style. */
export function styled(style: Style, type: string, value: string, options: StyleOptions): string {
  switch (style) {
    case 'placeholder':
    case 'pseudonymise':
      return options.allocator().placeholderFor(type, value, true);
    case 'mask':
      return mask(type, value, options.maskKeep);
    case 'hash':
      return hashed(type, value, options.hashKey);
    case 'fake':
      return fake(type, value, options.hashKey);
  }
}

/** A redacted hint of a value for evidence: never the value itself. */
export function evidenceHint(type: string, value: string): string {
  if (type === 'EMAIL_ADDRESS') {
    const dot = value.lastIndexOf('.');
    const tld = dot > value.indexOf('@') && value.length - dot <= 8 ? value.slice(dot) : '';
    return `${type} ***@***${tld}`;
  }
  return `${type} (${[...value].length} chars)`;
}
