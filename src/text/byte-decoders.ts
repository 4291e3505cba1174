/**
 * Linear-time scanners for byte encodings embedded in text: base64/base64url, hex and URL
 * percent-encoding. Each returns candidate runs whose bytes decode to plausible UTF-8 text.
 */
import type { DecodedRun } from './types.ts';
import { codeUnitsOf } from './code-units.ts';
import { bytesToText, isPlausibleText, looksLikeUtf8Text } from './text-checks.ts';

/** Longest decoded text we produce from one run; longer runs are decoded up to this many bytes. */
export const MAX_DECODED_BYTES = 16_384;

/** Shortest base64 run, in alphabet characters (padding not counted). */
export const MIN_BASE64_CHARS = 16;
/** Runs shorter than this must decode to pure ASCII to count. */
const SHORT_BASE64_CHARS = 32;
/** Base64 characters that decode to at most MAX_DECODED_BYTES bytes. */
const MAX_BASE64_CHARS = Math.floor(MAX_DECODED_BYTES / 3) * 4;

/** 1 for characters of the base64 and base64url alphabets; sized so any code unit indexes in bounds. */
export const BASE64_CHAR = new Uint8Array(0x10000);
/** Six-bit value of each base64/base64url character. */
const BASE64_VALUE = new Uint8Array(128);
for (const [i, ch] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].entries()) {
  BASE64_CHAR[ch.charCodeAt(0)] = 1;
  BASE64_VALUE[ch.charCodeAt(0)] = i;
}
BASE64_CHAR[0x2d] = 1; // '-' (base64url for '+')
BASE64_VALUE[0x2d] = 62;
BASE64_CHAR[0x5f] = 1; // '_' (base64url for '/')
BASE64_VALUE[0x5f] = 63;

/** Scratch buffer for the probe below (single-threaded, never held across calls). */
const probe = new Uint8Array(12);

/** Decodes the 16 characters at `start` into 12 bytes and checks they could open a text (cheap noise filter). */
function base64ProbeLooksLikeText(units: Uint16Array, start: number): boolean {
  for (let group = 0; group < 4; group++) {
    const at = start + group * 4;
    const bits =
      (BASE64_VALUE[units[at]!]! << 18) |
      (BASE64_VALUE[units[at + 1]!]! << 12) |
      (BASE64_VALUE[units[at + 2]!]! << 6) |
      BASE64_VALUE[units[at + 3]!]!;
    probe[group * 3] = bits >> 16;
    probe[group * 3 + 1] = (bits >> 8) & 0xff;
    probe[group * 3 + 2] = bits & 0xff;
  }
  return looksLikeUtf8Text(probe, 12);
}

/**
 * Base64 and base64url runs of 16+ characters, with optional padding; one pass over the text.
 * Only maximal stretches of 16+ alphabet characters matter, so the scan probes 15 characters
 * ahead: when that one is outside the alphabet, no such stretch starts before it and the scan
 * jumps past it (ordinary prose, whose words are short, is read about one character in eight).
 * Invariant: s[i - 1] or s[i] is outside the alphabet (or i is 0), so a stretch reaching the
 * probe never starts before i. `units` holds the code units of `s` and a 0 after them (codeUnitsOf).
 */
export function scanBase64(s: string, units: Uint16Array, limit: number): DecodedRun[] {
  const out: DecodedRun[] = [];
  const len = s.length;
  // Locals: module-level bindings are re-read, with an initialisation check, at every use.
  const alphabet = BASE64_CHAR;
  const minChars = MIN_BASE64_CHARS;
  let i = 0;
  while (i + minChars <= len && out.length < limit) {
    const probeAt = i + minChars - 1;
    if (alphabet[units[probeAt]!] !== 1) {
      i = probeAt + 1;
      continue;
    }
    let runStart = probeAt;
    while (runStart > i && alphabet[units[runStart - 1]!] === 1) runStart--;
    i = probeAt + 1;
    // units[len] is 0, outside the alphabet and not '='.
    while (alphabet[units[i]!] === 1) i++;
    const body = i - runStart;
    if (body < minChars) continue;
    let pad = 0;
    while (pad < 2 && units[i] === 0x3d) {
      pad++;
      i++;
    }
    const found = decodeBase64Run(s, units, runStart, body, pad);
    if (found !== undefined) out.push(found);
  }
  return out;
}

/** Decodes one base64 run of `body` characters plus `pad` '=' signs starting at `runStart`. */
function decodeBase64Run(
  s: string,
  units: Uint16Array,
  runStart: number,
  body: number,
  pad: number,
): DecodedRun | undefined {
  const total = body + pad;
  // Padding pins the alignment; without it, try each of the four possible starting offsets.
  const first = pad > 0 ? total % 4 : 0;
  const last = pad > 0 ? first : 3;
  for (let offset = first; offset <= last; offset++) {
    if (body - offset < MIN_BASE64_CHARS) break;
    let take = body - offset;
    if (take > MAX_BASE64_CHARS) take = MAX_BASE64_CHARS;
    else take += pad;
    const start = runStart + offset;
    if (!base64ProbeLooksLikeText(units, start)) continue;
    const text = bytesToText(Buffer.from(s.slice(start, start + take), 'base64'));
    // Short runs are mostly identifiers whose "decodes" mix ASCII with stray multi-byte letters.
    if (take < SHORT_BASE64_CHARS && text !== undefined && !isAsciiText(text)) continue;
    if (text !== undefined && isPlausibleText(text)) {
      return { encoding: 'base64', start, end: start + take, text };
    }
  }
  return undefined;
}

function isAsciiText(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return false;
  return true;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

function isAsciiAlnum(c: number): boolean {
  const lower = c | 0x20;
  return (c >= 0x30 && c <= 0x39) || (lower >= 0x61 && lower <= 0x7a);
}

/** Length of a \x or 0x prefix at `at`, else 0. */
function hexPrefixAt(units: Uint16Array, at: number): number {
  const c = units[at]!;
  return (c === 0x5c || c === 0x30) && (units[at + 1]! | 0x20) === 0x78 ? 2 : 0;
}

function isHexSeparator(c: number): boolean {
  return c === 0x20 || c === 0x3a || c === 0x2c;
}

const MIN_HEX_BYTES = 8;

/**
 * End of the longest hex run starting at `start`, or -1. A run is byte pairs (each optionally
 * prefixed by \x or 0x, optionally separated by one space, colon or comma), at least 8 of them,
 * not followed by a letter or digit. The grammar is deterministic, so one forward pass decides.
 * Callers never start a run inside a word, except at a \x escape, which delimits itself. Reads at
 * most two units past the end of the text (the zeros codeUnitsOf writes there end every run).
 */
function hexRunEnd(units: Uint16Array, start: number): number {
  let pairs = 0;
  let pos = start;
  let best = -1;
  for (;;) {
    let q = pos;
    if (pairs > 0 && isHexSeparator(units[q]!)) q++;
    q += hexPrefixAt(units, q);
    if (hexValue(units[q]!) < 0 || hexValue(units[q + 1]!) < 0) break;
    pairs++;
    pos = q + 2;
    if (pairs >= MIN_HEX_BYTES && !isAsciiAlnum(units[pos]!)) best = pos;
  }
  return best;
}

/** Decodes the hex run s[start, end) (as delimited by hexRunEnd), up to MAX_DECODED_BYTES bytes. */
function decodeHexRun(units: Uint16Array, start: number, end: number): DecodedRun | undefined {
  // Bare digit-only runs are card, phone and ID numbers; hex-encoded text nearly always has a-f
  // digits, and \x or 0x prefixes mark intent on their own.
  let hexLike = false;
  for (let k = start; k < end && !hexLike; k++) {
    const c = units[k]! | 0x20;
    hexLike = (c >= 0x61 && c <= 0x66) || c === 0x78;
  }
  if (!hexLike) return undefined;
  const bytes = new Uint8Array(Math.min(MAX_DECODED_BYTES, (end - start) >> 1));
  let n = 0;
  let i = start;
  while (i < end && n < bytes.length) {
    if (isHexSeparator(units[i]!)) i++;
    i += hexPrefixAt(units, i);
    bytes[n++] = hexValue(units[i]!) * 16 + hexValue(units[i + 1]!);
    i += 2;
  }
  const text = bytesToText(bytes.subarray(0, n));
  return text !== undefined && isPlausibleText(text) ? { encoding: 'hex', start, end: i, text } : undefined;
}

/** Character classes for the hex scan: 0 other, 1 letter or digit that is not hex, 2 hex digit, 3 backslash. */
export const HEX_CLASS: Uint8Array = (() => {
  const classes = new Uint8Array(0x10000);
  for (let c = 0x30; c <= 0x7a; c++) if (isAsciiAlnum(c)) classes[c] = hexValue(c) >= 0 ? 2 : 1;
  classes[0x5c] = 3;
  return classes;
})();

/** 1 for the characters a hex run can hold: hex digits, the x of \x and 0x, backslash, and the separators. */
export const HEX_RUN_CHAR: Uint8Array = (() => {
  const chars = new Uint8Array(0x10000);
  for (const ch of '0123456789abcdefABCDEFxX\\ :,') chars[ch.charCodeAt(0)] = 1;
  return chars;
})();
/** Shortest hex run: 8 bare byte pairs. */
export const MIN_HEX_CHARS = 2 * MIN_HEX_BYTES;

/**
 * Start of the first stretch, from `from` on, of 16+ characters a hex run could be made of, holding 16+
 * hex digits, or -1 (a stretch that began before `from` is taken from `from`). Every run lies inside
 * such a stretch, so text without one (nearly all text) has no run. Probes 15 characters ahead and
 * jumps past a probe outside the set, as scanBase64 does.
 */
function nextHexStretch(units: Uint16Array, from: number, len: number): number {
  const runChar = HEX_RUN_CHAR;
  const classes = HEX_CLASS;
  const minChars = MIN_HEX_CHARS;
  let i = from;
  while (i + minChars <= len) {
    const probeAt = i + minChars - 1;
    if (runChar[units[probeAt]!] !== 1) {
      i = probeAt + 1;
      continue;
    }
    let start = probeAt;
    while (start > i && runChar[units[start - 1]!] === 1) start--;
    let end = probeAt + 1;
    while (end < len && runChar[units[end]!] === 1) end++;
    // A run also needs 16 hex digits (indentation and spaced-out numbers have fewer).
    if (end - start >= minChars) {
      let digits = 0;
      for (let k = start; k < end && digits < minChars; k++) if (classes[units[k]!] === 2) digits++;
      if (digits >= minChars) return start;
    }
    i = end;
  }
  return -1;
}

/**
 * Spans of hex runs in the `len` code units of `units` (followed by the codeUnitsOf zeros), in text order.
 * The scan tries each position a run may start at, but only inside stretches (see nextHexStretch): between
 * them every attempt fails, so the scan would arrive at the start of the word holding the next stretch in
 * the same state it is put in by jumping there.
 */
function hexSpansIn(units: Uint16Array, len: number, limit: number): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let i = 0;
  /** End of the stretch being scanned; once the scan passes it, it jumps to the next stretch. */
  let stretchEnd = 0;
  while (i < len && spans.length < limit) {
    if (i >= stretchEnd) {
      const from = i;
      const next = nextHexStretch(units, from, len);
      if (next < 0) break;
      stretchEnd = next + 1;
      while (HEX_RUN_CHAR[units[stretchEnd]!] === 1) stretchEnd++;
      i = next;
      while (i > from && isWordUnit(units[i - 1]!)) i--;
    }
    const cls = HEX_CLASS[units[i]!]!;
    if (cls === 0) {
      i++;
      continue;
    }
    // Only a hex digit (0x included) or a backslash can open a run.
    const end = cls >= 2 ? hexRunEnd(units, i) : -1;
    if (end > 0) {
      spans.push([i, end]);
      i = end;
    } else if (cls !== 3) {
      // A run never starts inside a word: skip the rest of this letter/digit stretch.
      i++;
      while (i < len && isWordUnit(units[i]!)) i++;
    } else {
      i++;
    }
  }
  return spans;
}

/** True for an ASCII letter or digit (hex class 1 or 2). */
function isWordUnit(c: number): boolean {
  const cls = HEX_CLASS[c]!;
  return cls === 1 || cls === 2;
}

/** Spans of hex runs (see hexRunEnd) in text order; exported so tests can check them against a regex oracle. */
export function hexRunSpans(s: string, limit: number): Array<[number, number]> {
  return hexSpansIn(codeUnitsOf(s), s.length, limit);
}

/**
 * Hex runs of 8+ bytes: contiguous digits, or bytes split by spaces/colons/commas, with optional \x or 0x
 * prefixes. `units` holds the code units of `s` and the zeros after them (codeUnitsOf).
 */
export function scanHex(s: string, units: Uint16Array, limit: number): DecodedRun[] {
  const out: DecodedRun[] = [];
  for (const [start, end] of hexSpansIn(units, s.length, limit * 4)) {
    const found = decodeHexRun(units, start, end);
    if (found !== undefined) out.push(found);
    if (out.length >= limit) break;
  }
  return out;
}

function isTokenBreak(c: number): boolean {
  return c <= 0x20 || c === 0xa0 || c === 0x3000 || c === 0x2028 || c === 0x2029;
}

/** Characters trimmed from the edges of a percent-encoded token: quotes, brackets, sentence punctuation. */
const LEADING_TRIM = new Set([0x22, 0x27, 0x28, 0x3c, 0x5b, 0x7b, 0x60]);
const TRAILING_TRIM = new Set([0x22, 0x27, 0x29, 0x3e, 0x5d, 0x7d, 0x60, 0x2e, 0x2c, 0x3b, 0x3a, 0x21, 0x3f]);

/** Percent-decodes `token` into bytes, passing other characters through as UTF-8; stops at MAX_DECODED_BYTES. */
function percentDecode(token: string): { bytes: Uint8Array; consumed: number } {
  const bytes = new Uint8Array(Math.min(MAX_DECODED_BYTES, token.length * 3));
  let n = 0;
  let i = 0;
  while (i < token.length && n + 4 <= bytes.length) {
    const c = token.charCodeAt(i);
    if (c === 0x25 && i + 2 < token.length) {
      const hi = hexValue(token.charCodeAt(i + 1));
      const lo = hexValue(token.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        bytes[n++] = hi * 16 + lo;
        i += 3;
        continue;
      }
    }
    const cp = token.codePointAt(i)!;
    i += cp > 0xffff ? 2 : 1;
    if (cp < 0x80) {
      bytes[n++] = cp;
    } else if (cp < 0x800) {
      bytes[n++] = 0xc0 | (cp >> 6);
      bytes[n++] = 0x80 | (cp & 0x3f);
    } else if (cp >= 0xd800 && cp <= 0xdfff) {
      // A lone surrogate has no UTF-8 form; write U+FFFD so the text check can reject it.
      bytes[n++] = 0xef;
      bytes[n++] = 0xbf;
      bytes[n++] = 0xbd;
    } else if (cp < 0x10000) {
      bytes[n++] = 0xe0 | (cp >> 12);
      bytes[n++] = 0x80 | ((cp >> 6) & 0x3f);
      bytes[n++] = 0x80 | (cp & 0x3f);
    } else {
      bytes[n++] = 0xf0 | (cp >> 18);
      bytes[n++] = 0x80 | ((cp >> 12) & 0x3f);
      bytes[n++] = 0x80 | ((cp >> 6) & 0x3f);
      bytes[n++] = 0x80 | (cp & 0x3f);
    }
  }
  return { bytes: bytes.subarray(0, n), consumed: i };
}

/** Whitespace-delimited tokens holding 3+ %XX escapes, percent-decoded. */
export function scanUrl(s: string, limit: number): DecodedRun[] {
  const out: DecodedRun[] = [];
  let tokenStart = 0;
  let tokenEnd = -1;
  let count = 0;
  for (let at = s.indexOf('%'); at >= 0 && out.length < limit; at = s.indexOf('%', at + 1)) {
    if (hexValue(s.charCodeAt(at + 1)) < 0 || hexValue(s.charCodeAt(at + 2)) < 0) continue;
    if (at < tokenEnd) {
      count++;
      continue;
    }
    if (count >= 3) decodeUrlToken(s, tokenStart, tokenEnd, out);
    let start = at;
    while (start > 0 && !isTokenBreak(s.charCodeAt(start - 1))) start--;
    let end = at + 3;
    while (end < s.length && !isTokenBreak(s.charCodeAt(end))) end++;
    tokenStart = start;
    tokenEnd = end;
    count = 1;
  }
  if (out.length < limit && count >= 3) decodeUrlToken(s, tokenStart, tokenEnd, out);
  return out;
}

/** Decodes the token s[tokenStart, tokenEnd) (its edge punctuation trimmed) and adds it to `out` when it is text. */
function decodeUrlToken(s: string, tokenStart: number, tokenEnd: number, out: DecodedRun[]): void {
  let start = tokenStart;
  let end = tokenEnd;
  while (start < end && LEADING_TRIM.has(s.charCodeAt(start))) start++;
  while (end > start && TRAILING_TRIM.has(s.charCodeAt(end - 1))) end--;
  const { bytes, consumed } = percentDecode(s.slice(start, end));
  const text = bytesToText(bytes);
  if (text !== undefined && isPlausibleText(text)) {
    out.push({ encoding: 'url', start, end: start + consumed, text });
  }
}
