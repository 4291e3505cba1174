/**
 * What is wrong with one URL: the host checks (allow/deny lists, IP literals, punycode, homographs,
 * credentials) and the exfiltration heuristics (long or encoded data in the path or query, many
 * parameters, words copied from the conversation). Pure functions over one URL; no regex runs on
 * more than a bounded slice.
 */
import { foldConfusables } from '../../text/confusables.ts';

export interface ParsedUrl {
  /** Lowercased host without port or brackets ('' when there is none, e.g. `data:`). */
  host: string;
  /** True when the URL has `user@` or `user:pass@` before the host. */
  credentials: boolean;
  /** Path, query and fragment, percent-decoded where possible. */
  path: string;
  query: string;
  fragment: string;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** Splits a web URL (`scheme://authority/path?query#fragment`, or a bare `host/path`). */
export function parseUrl(url: string, hasScheme: boolean): ParsedUrl {
  let rest = url;
  if (hasScheme) rest = url.slice(url.indexOf('//') + 2);
  let authorityEnd = rest.length;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i]!;
    if (c === '/' || c === '?' || c === '#') {
      authorityEnd = i;
      break;
    }
  }
  const authority = rest.slice(0, authorityEnd);
  const tail = rest.slice(authorityEnd);
  const at = authority.lastIndexOf('@');
  const hostPort = at >= 0 ? authority.slice(at + 1) : authority;
  let host = hostPort;
  if (host.startsWith('[')) host = host.slice(1, Math.max(1, host.indexOf(']')));
  else host = host.replace(/:\d{0,5}$/, '');
  const hash = tail.indexOf('#');
  const beforeHash = hash >= 0 ? tail.slice(0, hash) : tail;
  const question = beforeHash.indexOf('?');
  return {
    host: host.toLowerCase().replace(/\.$/, ''),
    credentials: at >= 0,
    path: decode(question >= 0 ? beforeHash.slice(0, question) : beforeHash),
    query: question >= 0 ? beforeHash.slice(question + 1) : '',
    fragment: hash >= 0 ? decode(tail.slice(hash + 1)) : '',
  };
}

/** True when `host` is `domain` or a subdomain of it (suffix match on whole labels). */
export function matchesDomain(host: string, domain: string): boolean {
  const d = domain.toLowerCase().replace(/^\*?\./, '').replace(/\.$/, '');
  return d !== '' && (host === d || host.endsWith(`.${d}`));
}

/** IPv4 dotted quad, a bare 32-bit integer or hex host (`2130706433`, `0x7f000001`), or IPv6. */
export function isIpLiteral(host: string): boolean {
  if (host.includes(':')) return /^[0-9a-f:.]+$/i.test(host.slice(0, 64));
  if (/^(?:0x[0-9a-f]{1,8}|\d{1,10})$/i.test(host)) return true;
  const parts = host.split('.');
  return parts.length === 4 && parts.every((part) => /^(?:0x[0-9a-f]{1,2}|\d{1,3})$/i.test(part));
}

export function hasPunycode(host: string): boolean {
  return host.split('.').some((label) => label.startsWith('xn--'));
}

type Script = 'latin' | 'cyrillic' | 'greek' | 'armenian' | 'other';

function scriptOf(cp: number): Script | null {
  if ((cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) || (cp >= 0xc0 && cp <= 0x24f)) return 'latin';
  if (cp >= 0x400 && cp <= 0x52f) return 'cyrillic';
  if (cp >= 0x370 && cp <= 0x3ff) return 'greek';
  if (cp >= 0x530 && cp <= 0x58f) return 'armenian';
  if (cp < 0x80) return null; // digits, '-', '.'
  return 'other';
}

/**
 * A host as written in the original text that imitates another: letters from more than one script
 * in one label (`аpple` with a Cyrillic `а`), or non-ASCII letters that fold to ASCII lookalikes.
 */
export function isHomograph(originalHost: string): boolean {
  let ascii = true;
  for (let i = 0; i < originalHost.length; i++) if (originalHost.charCodeAt(i) > 0x7f) ascii = false;
  if (ascii) return false;
  for (const label of originalHost.split('.')) {
    const scripts = new Set<Script>();
    for (const char of label) {
      const script = scriptOf(char.codePointAt(0)!);
      if (script) scripts.add(script);
    }
    if (scripts.size > 1) return true;
  }
  const folded = foldConfusables(originalHost);
  for (let i = 0; i < folded.length; i++) if (folded.charCodeAt(i) > 0x7f) return false;
  return true; // every non-ASCII letter is an ASCII lookalike: a whole-script spoof (`аррӏе`)
}

/** Shannon entropy in bits per character. */
export function entropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

export interface ExfiltrationLimits {
  maxQueryLength: number;
  maxParameters: number;
  minEncodedLength: number;
  minEntropy: number;
}

/** Why a URL looks like it carries data out, or null. */
export function exfiltrationSignal(parsed: ParsedUrl, limits: ExfiltrationLimits): string | null {
  if (parsed.query.length > limits.maxQueryLength) return `query of ${parsed.query.length} characters`;
  const parameters = parsed.query === '' ? [] : parsed.query.split(/[&;]/);
  if (parameters.length > limits.maxParameters) return `${parameters.length} query parameters`;
  const pieces = [...parameters.map((parameter) => decode(parameter.slice(parameter.indexOf('=') + 1))), ...parsed.path.split('/'), parsed.fragment];
  for (const piece of pieces) {
    // Runs of base64/base64url/hex characters: an encoded blob, not a word or a slug.
    let run = 0;
    let runStart = 0;
    for (let i = 0; i <= piece.length; i++) {
      const c = i < piece.length ? piece.charCodeAt(i) : 0;
      const encoded = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2b || c === 0x2f || c === 0x3d || c === 0x5f || c === 0x2d;
      if (encoded) {
        if (run === 0) runStart = i;
        run++;
        continue;
      }
      if (run >= limits.minEncodedLength) {
        const token = piece.slice(runStart, runStart + run);
        if (entropy(token) >= limits.minEntropy && !/^[a-z]+(?:[-_][a-z]+)*$/i.test(token)) return `encoded-looking run of ${run} characters`;
      }
      run = 0;
    }
  }
  return null;
}
