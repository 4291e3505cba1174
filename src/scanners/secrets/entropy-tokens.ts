/**
 * High-entropy tokens next to a context word (`key`, `secret`, `token`, `password`, `credential`,
 * `auth`, `api`) on the same line: Shannon entropy, character classes and length decide, and
 * checksums in lockfiles and plain hashes (hex of 32/40/64/128) are left alone.
 */
import RE2 from 're2';
import type { RawMatch } from './match.ts';
import { charClasses, hasFakeMarker, plausibleToken } from './value-checks.ts';

const TOKEN = new RE2('[0-9A-Za-z+/_\\-]{24,}={0,2}', 'g');
/** A context word that ends a word (`token`, `api_key`, `apiKey`), not a prefix of another (`tokenized`). */
const CONTEXT = /(?:key|secret|token|passw(?:or)?d|pwd|credential|auth|authorization|api|bearer)s?(?![a-z])/i;
const LOCKFILE_CONTEXT = /(?:integrity|sha1|sha256|sha384|sha512|checksum|hash|resolved|commit|digest|etag|fingerprint|nonce|salt|version)\W*$/i;
const LOOK_BACK = 48;

export function findEntropyTokens(text: string, minEntropy: number, out: RawMatch[]): void {
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
    const value = m[0];
    if (value.length > 512) continue;
    const start = m.index;
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const before = text.slice(Math.max(lineStart, start - LOOK_BACK), start);
    if (!CONTEXT.test(before) || LOCKFILE_CONTEXT.test(before) || hasFakeMarker(before)) continue;
    if (/^(?:sha\d+|md5)-/i.test(value)) continue;
    if (/^[0-9a-fA-F]+$/.test(value) && [32, 40, 64, 128].includes(value.length)) continue;
    const classes = charClasses(value);
    if (classes.kinds < 3) continue;
    if (!plausibleToken(value, minEntropy)) continue;
    out.push({ rule: 'high-entropy-token', start, end: start + value.length, severity: 'medium', score: 0.55, hint: '' });
  }
}
