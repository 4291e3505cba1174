/**
 * URL extraction from plain text and Markdown, in one linear pass without regexes: the text is cut
 * into tokens at whitespace and at characters a URL cannot end on in prose or Markdown (`<>"'\``,
 * brackets, braces, `|`, `\`), and each token is classified. What comes before a token tells its
 * kind: `](` (inline link or, after `![`, image), `]:` at a line start (reference definition), `<`
 * (autolink), `src=` (HTML image). Bare domains count only with a TLD from a short known list.
 */

export type LinkKind = 'link' | 'image' | 'reference' | 'autolink' | 'bare';

export interface ExtractedUrl {
  /** Span in the scanned text (end exclusive). */
  start: number;
  end: number;
  /** The URL as written (at most MAX_URL characters are considered). */
  url: string;
  kind: LinkKind;
  /** Lowercased scheme without `:` (`http` for bare domains and `www.`). */
  scheme: string;
}

/** Longest token examined; longer runs are cut (a URL this long is itself suspicious, and reported by length). */
export const MAX_URL = 8192;
/** How far back to look for the `[` of a Markdown link whose target this is. */
const MAX_LABEL = 1000;

/** Top-level domains accepted for bare domains (no scheme, no `www.`); deliberately short. */
export const KNOWN_TLDS: ReadonlySet<string> = new Set([
  'com', 'org', 'net', 'io', 'ai', 'dev', 'app', 'co', 'gov', 'edu', 'info', 'biz', 'xyz', 'me', 'ly', 'gg', 'us', 'uk', 'de', 'fr', 'ru', 'cn',
  'jp', 'in', 'br', 'au', 'ca', 'eu', 'nl', 'tk', 'top', 'site', 'online', 'link', 'click', 'zip', 'mov', 'cloud', 'tech',
]);

const WEB_SCHEMES = new Set(['http', 'https', 'ftp', 'ws', 'wss']);
const SCRIPT_SCHEMES = new Set(['javascript', 'vbscript']);

function isBreak(code: number): boolean {
  // whitespace (ASCII and common Unicode), quotes, angle brackets, backtick, brackets, braces, pipe, backslash
  return code <= 0x20 || code === 0x22 || code === 0x27 || code === 0x3c || code === 0x3e || code === 0x60 || code === 0x28 || code === 0x29 || code === 0x5b || code === 0x5d || code === 0x7b || code === 0x7d || code === 0x7c || code === 0x5c || code === 0x7f || code === 0xa0 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x3000;
}

/** Trailing characters that end a sentence or Markdown emphasis rather than a URL. */
function isTrailingPunctuation(code: number): boolean {
  return code === 0x2e || code === 0x2c || code === 0x3b || code === 0x3a || code === 0x21 || code === 0x3f || code === 0x2a || code === 0x5f || code === 0x7e;
}

/** The scheme of a token (`https` of `https://…`), or '' when it has none. */
function schemeOf(token: string): string {
  const limit = Math.min(token.length, 20);
  for (let i = 0; i < limit; i++) {
    const c = token.charCodeAt(i);
    if (c === 0x3a) return i > 0 ? token.slice(0, i).toLowerCase() : '';
    const ok = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (i > 0 && ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e));
    if (!ok) return '';
  }
  return '';
}

/** True when `host` is dot-separated LDH labels ending in a known TLD. */
export function isBareDomain(host: string): boolean {
  const labels = host.toLowerCase().split('.');
  if (labels.length < 2 || !KNOWN_TLDS.has(labels[labels.length - 1]!)) return false;
  return labels.every((label) => label.length > 0 && label.length <= 63 && /^[a-z0-9-]+$/.test(label) && !label.startsWith('-') && !label.endsWith('-'));
}

function kindBefore(text: string, start: number, end: number): LinkKind | null {
  const before = text.charCodeAt(start - 1);
  if (before === 0x28 && text.charCodeAt(start - 2) === 0x5d) {
    // `](`: find the `[` that opens the label (bounded look-back), then look for `!`.
    for (let i = start - 3, stop = Math.max(0, start - MAX_LABEL); i >= stop; i--) {
      const c = text.charCodeAt(i);
      if (c === 0x5b) return text.charCodeAt(i - 1) === 0x21 ? 'image' : 'link';
      if (c === 0x0a && text.charCodeAt(i - 1) === 0x0a) break;
    }
    return 'link';
  }
  if (before === 0x3c && text.charCodeAt(end) === 0x3e) return 'autolink';
  if ((before === 0x22 || before === 0x27) && text.slice(Math.max(0, start - 5), start - 1).toLowerCase() === 'src=') return 'image';
  // Reference definition: `[id]: url` at the start of a line (up to 3 spaces of indent).
  let i = start - 1;
  while (i >= 0 && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09) && start - i < 8) i--;
  if (i >= 1 && text.charCodeAt(i) === 0x3a && text.charCodeAt(i - 1) === 0x5d) {
    for (let j = i - 2, stop = Math.max(0, i - MAX_LABEL); j >= stop; j--) {
      const c = text.charCodeAt(j);
      if (c === 0x0a) break;
      if (c === 0x5b) {
        let k = j - 1;
        while (k >= 0 && text.charCodeAt(k) === 0x20 && j - k <= 3) k--;
        if (k < 0 || text.charCodeAt(k) === 0x0a) return 'reference';
        break;
      }
    }
  }
  return null;
}

function classify(text: string, start: number, end: number): ExtractedUrl | null {
  // Leading Markdown emphasis and trailing sentence punctuation are not part of the URL.
  while (start < end && (text.charCodeAt(start) === 0x2a || text.charCodeAt(start) === 0x5f || text.charCodeAt(start) === 0x7e)) start++;
  while (end > start && isTrailingPunctuation(text.charCodeAt(end - 1))) end--;
  if (end - start < 4) return null;
  const token = text.slice(start, end);
  const scheme = schemeOf(token);
  const context = kindBefore(text, start, end);
  if (WEB_SCHEMES.has(scheme)) {
    if (!token.slice(scheme.length + 1).startsWith('//') || token.length <= scheme.length + 3) return null;
    return { start, end, url: token, kind: context ?? 'bare', scheme };
  }
  if (SCRIPT_SCHEMES.has(scheme) || scheme === 'data') {
    // `JavaScript: the good parts` has a space after the colon and never gets here; `data:` needs a media type or comma.
    const rest = token.slice(scheme.length + 1);
    if (rest.length === 0 || (scheme === 'data' && !/^[a-z]+\/[a-z0-9.+-]+[;,]|^,/i.test(rest.slice(0, 80)))) return null;
    // In a Markdown target, a script may hold parentheses (`javascript:alert(1)`): the URL ends at the `)` closing the target.
    if (context === 'link' || context === 'image') end = targetEnd(text, end);
    return { start, end, url: text.slice(start, end), kind: context ?? 'bare', scheme };
  }
  if (scheme !== '') {
    // A `host:port/...` token has a "scheme" that is the host; anything else (mailto:, tel:, C:) is not a web link.
    if (!isBareDomain(scheme) || !/^:\d{1,5}(?:[/?#]|$)/.test(token.slice(scheme.length, scheme.length + 7))) return null;
  }
  const hostEnd = firstOf(token, '/?#');
  const host = token.slice(0, hostEnd).replace(/:\d{1,5}$/, '');
  if (host.includes('@')) return null; // e-mail addresses are not links
  if (host.toLowerCase().startsWith('www.') ? host.length > 4 && host.slice(4).includes('.') : isBareDomain(host)) return { start, end, url: token, kind: context ?? 'bare', scheme: 'http' };
  return null;
}

/** The offset of the `)` closing a Markdown link target that is open at `from` (nested pairs counted, bounded, same line). */
function targetEnd(text: string, from: number): number {
  let depth = 1;
  for (let i = from, stop = Math.min(text.length, from + MAX_URL); i < stop; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x20) return from;
    if (c === 0x28) depth++;
    else if (c === 0x29 && --depth === 0) return i;
  }
  return from;
}

function firstOf(text: string, chars: string): number {
  for (let i = 0; i < text.length; i++) if (chars.includes(text[i]!)) return i;
  return text.length;
}

/** Every URL in `text`, in order. */
export function extractUrls(text: string, limit = 10_000): ExtractedUrl[] {
  const out: ExtractedUrl[] = [];
  let start = -1;
  for (let i = 0; i <= text.length && out.length < limit; i++) {
    const boundary = i === text.length || isBreak(text.charCodeAt(i)) || (start >= 0 && i - start >= MAX_URL);
    if (!boundary) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0) {
      const found = classify(text, start, i);
      if (found) out.push(found);
      start = i < text.length && !isBreak(text.charCodeAt(i)) ? i : -1;
    }
  }
  return out;
}
