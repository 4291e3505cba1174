/**
 * Passwords and secrets given a name: `password = "…"`, `"api_key": "…"`, env-file lines,
 * `setopt(curl, CURLOPT_PASSWORD, "…")`, `<password>…</password>`, CLI flags (`--password x`,
 * `mysql -pX`, `curl -u user:pass`, `sshpass -p`), `Authorization:` headers and SQL
 * (`IDENTIFIED BY '…'`, `WITH PASSWORD '…'`). The value must look like a secret for its kind.
 */
import RE2 from 're2';
import { keyKind, type KeyKind } from './keys.ts';
import type { RawMatch } from './match.ts';
import { isUuid, plausiblePassword, plausibleToken } from './value-checks.ts';

/** Names that can hold a secret contain one of these; the rest never match, so `a:b a:b …` costs nothing. */
const KEYWORD = '(?i:pass|pasw|pw|psw|pssw|secret|token|key|api|auth|cred|bearer)';
const KEY = `([A-Za-z0-9_.\\-]{0,40}${KEYWORD}[A-Za-z0-9_.\\-]{0,40}|"[^"\\n]{0,40}${KEYWORD}[^"\\n]{0,40}"|'[^'\\n]{0,40}${KEYWORD}[^'\\n]{0,40}')`;
const TYPE_ANNOTATION = `(?:\\s*:\\s*(?:str|string|String|bytes|SecureString)\\s*)?`;
/** An unquoted value stops at separators too (`a:b:c` is three pairs, not one long value); `=` padding may end it. */
const VALUE = `["'\`]?([^\\s"'\`,;<>(){}\\[\\]&|:=]{1,300}={0,2})`;

/** `name <sep> value` with the usual separators; the value may be quoted. */
const ASSIGN = new RE2(`${KEY}${TYPE_ANNOTATION}\\s*(?::=|=>|->|==|!=|=|:)\\s*${VALUE}`, 'g');
/** `name, "value"` as in `setopt(h, CURLOPT_PASSWORD, "…")` or `define('PASSWORD', '…')`. */
const PAIR = new RE2(`${KEY}\\s*,\\s*["']([^"'\\n]{1,300})["']`, 'g');
/** `name "value"` as in `#define password "…"`, `SET password "…"`, `%global PASSWORD "…"`. */
const SPACED = new RE2(`${KEY}[ \\t]+"([^"\\n]{1,300})"`, 'g');
/** `<password …>value</password>` */
const XML = new RE2(`<([A-Za-z_][A-Za-z0-9_.\\-]{0,40})(?:\\s[^<>]{0,200})?>([^<>\\s]{3,300})</`, 'g');
/** `--password value`, `-secret=value` */
const FLAG = new RE2(`(?:^|\\s)--?([A-Za-z][A-Za-z0-9_\\-]{0,40})(?:[ \\t]+|=)["']?([^\\s"'\`]{1,300})`, 'g');

interface ValueRule {
  regex: RE2;
  rule: string;
  score: number;
  /** Which capture group holds the value (the key is group 1 unless null). */
  valueGroup: number;
  severity: RawMatch['severity'];
  /** Fixed kind (no key group). */
  kind?: KeyKind;
}

const FIXED: readonly (ValueRule & { literals: readonly string[] })[] = [
  { regex: new RE2(`(?i)\\bauthorization["']?\\s*[:=]\\s*["']?(?:(?:basic|bearer|token|ntlm|negotiate|digest|sso-key)\\s+)?([0-9A-Za-z+/=._~\\-]{12,})`, 'g'), rule: 'authorization-header', score: 0.85, valueGroup: 1, severity: 'high', kind: 'secret', literals: ['uthorization', 'UTHORIZATION'] },
  { regex: new RE2(`\\bcurl\\b[^\\n]{0,200}?\\s(?:-u|--user)\\s*["']?[^\\s:"']{1,64}:([^\\s"']{1,128})`, 'g'), rule: 'cli-password', score: 0.85, valueGroup: 1, severity: 'high', kind: 'password', literals: ['curl'] },
  { regex: new RE2(`\\b(?:mysql|mysqldump|mysqladmin|mariadb)\\b[^\\n]{0,200}?\\s-p([^\\s"'\\-][^\\s"']{2,127})`, 'g'), rule: 'cli-password', score: 0.85, valueGroup: 1, severity: 'high', kind: 'password', literals: ['mysql', 'mariadb'] },
  { regex: new RE2(`\\bsshpass\\s+-p\\s*["']?([^\\s"']{1,128})`, 'g'), rule: 'cli-password', score: 0.85, valueGroup: 1, severity: 'high', kind: 'password', literals: ['sshpass'] },
  { regex: new RE2(`-pass(?:in|out)?\\s+["']?pass:([^\\s"']{1,128})`, 'g'), rule: 'cli-password', score: 0.85, valueGroup: 1, severity: 'high', kind: 'password', literals: ['pass:'] },
  { regex: new RE2(`(?i)ConvertTo-SecureString\\s+(?:-[A-Za-z]+\\s+)*\\\\?["']?\\\\?["']?([^\\s"'\\\\]{4,128})`, 'g'), rule: 'cli-password', score: 0.85, valueGroup: 1, severity: 'high', kind: 'password', literals: ['ecureString', 'ECURESTRING', 'ecurestring'] },
  { regex: new RE2(`(?i)\\bidentified\\s+(?:with\\s+['"]?[a-z0-9_]+['"]?\\s+)?(?:by|as)\\s+(?:password\\s+)?['"]?([^\\s'";)\\\\]{3,128})`, 'g'), rule: 'sql-password', score: 0.85, valueGroup: 1, severity: 'high', kind: 'password', literals: ['dentified', 'DENTIFIED'] },
  { regex: new RE2(`(?i)\\b(?:(?:with|login|encrypted)\\s+password\\s*=?\\s*['"]?|(?:role|user)\\s+[a-z0-9_"'\`@%.]+\\s+password\\s*=?\\s*['"])([^\\s'";)\\\\]{3,128})`, 'g'), rule: 'sql-password', score: 0.85, valueGroup: 1, severity: 'high', kind: 'password', literals: ['assword', 'ASSWORD'] },
];

function unquote(key: string): string {
  return key.startsWith('"') || key.startsWith("'") ? key.slice(1, -1) : key;
}

function plausible(kind: KeyKind, value: string, minEntropy: number): boolean {
  if (kind === 'password') return plausiblePassword(value);
  if (kind === 'secret') return isUuid(value) || plausibleToken(value, minEntropy);
  // A bare `key` names too many things: ask for a longer, random-looking value.
  return isUuid(value) || (value.length >= 16 && plausibleToken(value, Math.max(minEntropy, 3.5)));
}

function rulesFor(kind: KeyKind): { rule: string; severity: RawMatch['severity']; score: number } {
  if (kind === 'password') return { rule: 'password-assignment', severity: 'high', score: 0.8 };
  if (kind === 'secret') return { rule: 'secret-assignment', severity: 'high', score: 0.75 };
  return { rule: 'key-assignment', severity: 'medium', score: 0.65 };
}

/** Runs a `key … value` regex; restarts right after the key so a value can itself be a `key: value`. */
function keyed(regex: RE2, text: string, minEntropy: number, out: RawMatch[], passwordOnly = false): void {
  const kinds = new Map<string, KeyKind | null>();
  regex.lastIndex = 0;
  for (let m = regex.exec(text); m; m = regex.exec(text)) {
    const key = m[1]!;
    const value = m[2];
    regex.lastIndex = m.index + Math.max(1, key.length);
    if (value === undefined) continue;
    let kind = kinds.get(key);
    if (kind === undefined) {
      kind = keyKind(unquote(key));
      if (kinds.size < 4096) kinds.set(key, kind);
    }
    if (kind === null || (passwordOnly && kind !== 'password')) continue;
    if (!plausible(kind, value, minEntropy)) continue;
    const start = m.index + m[0].lastIndexOf(value);
    out.push({ ...rulesFor(kind), start, end: start + value.length, hint: '' });
  }
}

/** All named-value rules. */
export function findAssignments(text: string, minEntropy: number, out: RawMatch[]): void {
  keyed(ASSIGN, text, minEntropy, out);
  if (text.includes(',')) keyed(PAIR, text, minEntropy, out);
  if (text.includes('"')) keyed(SPACED, text, minEntropy, out, true);
  if (text.includes('</')) keyed(XML, text, minEntropy, out);
  if (text.includes('-')) keyed(FLAG, text, minEntropy, out);
  for (const fixed of FIXED) {
    if (!fixed.literals.some((literal) => text.includes(literal))) continue;
    fixed.regex.lastIndex = 0;
    for (let m = fixed.regex.exec(text); m; m = fixed.regex.exec(text)) {
      const value = m[fixed.valueGroup]!;
      if (!plausible(fixed.kind!, value, minEntropy)) continue;
      const start = m.index + m[0].lastIndexOf(value);
      out.push({ rule: fixed.rule, start, end: start + value.length, severity: fixed.severity, score: fixed.score, hint: '' });
    }
  }
}
