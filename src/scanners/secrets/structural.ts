/**
 * Secrets recognised by structure rather than by a vendor prefix: PEM private keys and
 * certificates, lines of key material, JSON Web Tokens (header and payload must decode to JSON),
 * and URLs or connection strings that carry a password. RE2 or plain loops only.
 */
import RE2 from 're2';
import type { RawMatch } from './match.ts';
import { charClasses, hasFakeMarker, isPlaceholder, plausiblePassword, shannonEntropy } from './value-checks.ts';

const PEM_BEGIN = new RE2('-----BEGIN ((?:[A-Z0-9]+ ){0,4}PRIVATE KEY(?: BLOCK)?)-----', 'g');
const PEM_END = new RE2('-----END ((?:[A-Z0-9]+ ){0,4}PRIVATE KEY(?: BLOCK)?)-----', 'g');
const CERT_BEGIN = new RE2('-----BEGIN (?:CERTIFICATE|X509 CRL|CERTIFICATE REQUEST|NEW CERTIFICATE REQUEST|TRUSTED CERTIFICATE)-----', 'g');
const FAKE_TYPE = /\b(?:FAKE|EMPTY|EXAMPLE|DUMMY|SAMPLE|TEST|PUBLIC)\b/;
const MAX_BLOCK = 64 * 1024;

function isBodyChar(c: number): boolean {
  // base64, whitespace, and what quoting in source code adds around wrapped lines (" ' + \ , ;)
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 43 || c === 47 || c === 61 || c === 32 || c === 9 || c === 10 || c === 13 || c === 34 || c === 39 || c === 92 || c === 44 || c === 59 || c === 58 || c === 45;
}

/** PEM private key blocks (whole block when its END is near, else header and body), stray END markers, certificates. */
export function findPem(text: string, out: RawMatch[]): void {
  if (!text.includes('-----')) return;
  const covered: Array<[number, number]> = [];
  PEM_BEGIN.lastIndex = 0;
  for (let m = PEM_BEGIN.exec(text); m; m = PEM_BEGIN.exec(text)) {
    const type = m[1]!;
    const start = m.index;
    const headerEnd = start + m[0].length;
    if (FAKE_TYPE.test(type) || type === 'PGP PRIVATE KEY') continue;
    const footer = `-----END ${type}-----`;
    const endAt = text.indexOf(footer, headerEnd);
    let end: number;
    if (endAt >= 0 && endAt - headerEnd <= MAX_BLOCK) end = endAt + footer.length;
    else {
      end = headerEnd;
      while (end < text.length && end - headerEnd < MAX_BLOCK && isBodyChar(text.charCodeAt(end))) end++;
    }
    const head = text.slice(headerEnd, Math.min(end, headerEnd + 300));
    const encrypted = type.includes('ENCRYPTED') || /Proc-Type:\s*4,\s*ENCRYPTED/.test(head);
    covered.push([start, end]);
    if (encrypted) out.push({ rule: 'encrypted-private-key', start, end, severity: 'low', score: 0.4, hint: `-----BEGIN ${type}` });
    else out.push({ rule: 'private-key', start, end, severity: 'critical', score: 0.95, hint: `-----BEGIN ${type}` });
    PEM_BEGIN.lastIndex = Math.max(headerEnd, end);
  }
  PEM_END.lastIndex = 0;
  for (let m = PEM_END.exec(text); m; m = PEM_END.exec(text)) {
    const type = m[1]!;
    const start = m.index;
    const end = start + m[0].length;
    if (FAKE_TYPE.test(type) || type === 'PGP PRIVATE KEY' || type.includes('ENCRYPTED')) continue;
    if (covered.some(([a, b]) => start >= a && end <= b)) continue;
    // The end of a key whose start is elsewhere (an earlier message, a truncated paste): the body is near.
    out.push({ rule: 'private-key', start, end, severity: 'high', score: 0.7, hint: `-----END ${type}` });
  }
  CERT_BEGIN.lastIndex = 0;
  for (let m = CERT_BEGIN.exec(text); m; m = CERT_BEGIN.exec(text)) {
    out.push({ rule: 'certificate', start: m.index, end: m.index + m[0].length, severity: 'low', score: 0.3, hint: '-----BEGIN CERTIFICATE' });
  }
}

const JWK_PRIVATE = new RE2('"(?:d|p|q|dp|dq|qi|k)"\\s*:\\s*"([0-9A-Za-z_\\-]{16,})"', 'g');

/** Private members of a JSON Web Key (`"d"`, `"p"`, `"q"`, … of RSA/EC keys, `"k"` of a symmetric key) in a text that has a `"kty"`. */
export function findJwkPrivate(text: string, out: RawMatch[]): void {
  if (!text.includes('"kty"')) return;
  JWK_PRIVATE.lastIndex = 0;
  for (let m = JWK_PRIVATE.exec(text); m; m = JWK_PRIVATE.exec(text)) {
    const value = m[1]!;
    if (hasFakeMarker(value)) continue;
    const start = m.index + m[0].length - value.length - 1;
    out.push({ rule: 'jwk-private-key', start, end: start + value.length, severity: 'critical', score: 0.9, hint: '' });
  }
}

/** Decoration a line of key material may carry in logs and source code: timestamps, comment marks, quotes, concatenation. */
const LINE_PREFIX = /^(?:\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}\S*\s+)?(?:[\s*#/'"(]|\+(?=[\s"'#+]))*/;
const LINE_SUFFIX = /(?:\\+[nr]|\*\/|[\s"'+\\,;)])*$/;
/** Escaped line breaks inside a source-code string (`\n`, `\\n`, `\r`) separate lines of a wrapped key. */
const ESCAPED_BREAK = /(?:\\+[nr])+/;

/**
 * Lines that are nothing but a long base64 run of key-like randomness (the body of a PEM or
 * OpenSSH key pasted without its header). MIME-wrapped lines (exactly 76 characters) are skipped.
 */
export function findKeyMaterialLines(text: string, out: RawMatch[]): void {
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    if (lineEnd - lineStart >= 40 && lineEnd - lineStart <= 400) checkLine(text, lineStart, lineEnd, out);
    lineStart = lineEnd + 1;
  }
}

function checkLine(text: string, lineStart: number, lineEnd: number, out: RawMatch[]): void {
  const line = text.slice(lineStart, lineEnd);
  const prefix = LINE_PREFIX.exec(line)![0].length;
  const suffix = LINE_SUFFIX.exec(line.slice(prefix))![0].length;
  const body = line.slice(prefix, line.length - suffix);
  let offset = 0;
  for (const core of body.split(ESCAPED_BREAK)) {
    const at = body.indexOf(core, offset);
    offset = at + core.length;
    if (!keyLike(core)) continue;
    const start = lineStart + prefix + at;
    out.push({ rule: 'key-material', start, end: start + core.length, severity: 'medium', score: 0.6, hint: '' });
    return;
  }
}

/** A run of 40-200 base64 characters (not a 76-character MIME line) with mixed classes and high entropy. */
function keyLike(core: string): boolean {
  if (core.length < 40 || core.length > 200 || core.length === 76) return false;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(core)) return false;
  const classes = charClasses(core);
  if (classes.lower < 4 || classes.upper < 4 || classes.digit < 2) return false;
  if (shannonEntropy(core) < 4.6) return false;
  return !hasFakeMarker(core);
}

const JWT = new RE2('(?:^|[^0-9A-Za-z_\\-])(ey[0-9A-Za-z_\\-]{8,}\\.ey[0-9A-Za-z_\\-]{4,}\\.[0-9A-Za-z_\\-]*)', 'g');

function decodeJson(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** JWTs whose header decodes to JSON with `alg` or `typ` and whose payload decodes to a JSON object. */
export function findJwts(text: string, out: RawMatch[]): void {
  if (!text.includes('.ey')) return;
  JWT.lastIndex = 0;
  for (let m = JWT.exec(text); m; m = JWT.exec(text)) {
    const token = m[1]!;
    const start = m.index + m[0].length - token.length;
    const [header, payload, signature = ''] = token.split('.');
    const head = decodeJson(header!);
    if (!head || (typeof head.alg !== 'string' && typeof head.typ !== 'string')) continue;
    if (!decodeJson(payload!)) continue;
    if (hasFakeMarker(signature)) continue;
    const unsigned = head.alg === 'none' || signature.length === 0;
    out.push({ rule: 'jwt', start, end: start + token.length, severity: unsigned ? 'medium' : 'high', score: unsigned ? 0.6 : 0.85, hint: 'eyJ' });
  }
}

const URL_PASSWORD = new RE2(
  '(?i)\\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\\+srv)?|rediss?|amqps?|mssql|sqlserver|oracle|jdbc:[a-z0-9]+|ftps?|sftp|smtps?|ldaps?|https?|ssh|git|nats|kafka|clickhouse|cockroachdb|neo4j(?:\\+s)?|couchdb|snowflake|mqtts?)://([^\\s:/@"\'<>]{0,64}):([^\\s@/"\'<>]{1,128})@[^\\s/"\'<>]',
  'g',
);

/** URLs and connection strings with a password (`postgres://app:s3cret@db`): the password is the span. */
export function findUrlPasswords(text: string, out: RawMatch[]): void {
  if (!text.includes('://')) return;
  URL_PASSWORD.lastIndex = 0;
  for (let m = URL_PASSWORD.exec(text); m; m = URL_PASSWORD.exec(text)) {
    const password = m[2]!;
    if (isPlaceholder(password) || !plausiblePassword(password)) continue;
    const start = m.index + m[0].indexOf(`:${password}@`) + 1;
    out.push({ rule: 'url-password', start, end: start + password.length, severity: 'high', score: 0.9, hint: '' });
  }
}
