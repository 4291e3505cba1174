/** Heuristics that tell decoded bytes which are text from those which are noise. */

const utf8 = new TextDecoder('utf-8', { fatal: true });
/** Only ever fed pure-ASCII bytes, where windows-1252 and ASCII agree. */
const latin1 = new TextDecoder('latin1');

/** Non-ASCII characters that never appear in honest text: controls, unassigned, private use, surrogates, U+FFFD. */
const BAD_NON_ASCII = /[\p{Cc}\p{Cn}\p{Co}\p{Cs}\uFFFD]/u;
const LETTER = /\p{L}/u;

/** Length of `bytes` without a trailing UTF-8 sequence that was cut short (as when a decoder hits its cap). */
function completeLength(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let back = 1; back <= 3 && back <= n; back++) {
    const b = bytes[n - back]!;
    if (b < 0x80) return n;
    if (b >= 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return need > back ? n - back : n;
    }
  }
  return n;
}

/** Decodes bytes as strict UTF-8, refusing early on ASCII control bytes; undefined when not text. */
export function bytesToText(bytes: Uint8Array): string | undefined {
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 0x20) {
      if (b !== 0x09 && b !== 0x0a && b !== 0x0d) return undefined;
    } else if (b === 0x7f) {
      return undefined;
    } else if (b >= 0x80) {
      ascii = false;
    }
  }
  if (ascii) return latin1.decode(bytes);
  try {
    return utf8.decode(bytes.subarray(0, completeLength(bytes)));
  } catch {
    return undefined;
  }
}

/**
 * Cheap pre-filter over raw bytes: no control bytes and well-formed UTF-8 structure (a sequence cut
 * off by the end of the buffer is allowed). Rejects nearly all random bytes within a few bytes.
 */
export function looksLikeUtf8Text(bytes: Uint8Array, length: number): boolean {
  let i = 0;
  while (i < length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f) return false;
      i++;
      continue;
    }
    const follow = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (follow < 0) return false;
    for (let k = 1; k <= follow && i + k < length; k++) {
      if ((bytes[i + k]! & 0xc0) !== 0x80) return false;
    }
    i += follow + 1;
  }
  return true;
}

/** True when `s` holds no control, unassigned, private-use or replacement characters (1% slack on long text). */
export function isPlausibleText(s: string): boolean {
  if (s.length === 0) return false;
  let bad = 0;
  const allowed = s.length >= 100 ? Math.floor(s.length / 100) : 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) bad++;
    } else {
      const cp = s.codePointAt(i)!;
      if (cp > 0xffff) i++;
      if (BAD_NON_ASCII.test(String.fromCodePoint(cp))) bad++;
    }
    if (bad > allowed) return false;
  }
  return true;
}

/** True when `s` is plausible and reads as words: at least 3 letters, and letters make 40%+ of non-space characters. */
export function isReadableText(s: string): boolean {
  if (!isPlausibleText(s)) return false;
  let letters = 0;
  let visible = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue;
    visible++;
    if (c < 0x80) {
      if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) letters++;
    } else {
      const cp = s.codePointAt(i)!;
      if (cp > 0xffff) i++;
      if (LETTER.test(String.fromCodePoint(cp))) letters++;
    }
  }
  return letters >= 3 && letters * 5 >= visible * 2;
}
