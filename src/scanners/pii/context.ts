/**
 * Context words before a candidate, shared by structured.ts and phone.ts: the lowercased window
 * before it, the order-number words, and `versionCue`.
 */

/** Lowercased text of up to `width` characters before `start` (for context words). */
export function before(text: string, start: number, width = 40): string {
  return text.slice(Math.max(0, start - width), start).toLowerCase();
}

/** Words that make a number an order, invoice or ticket reference. */
export const ORDER_CTX = /order|invoice|ref|reference|tracking|ticket|serial|sku|#\s*$/;

/**
 * `versionCue(ctx)`: the answer of
 * `/(?:\b(?:version|ver\.?|v|release|build|rev|section|chapter|figure|table)|§)\s*$/.test(ctx)`
 * (a number after one of these words is a version or section number, not an IP address or a
 * phone number) without running that pattern: it tries every position of the ~30-unit context
 * (~300 ns a call, ~1% of the PII benchmark), while a match can only end the context. So: drop the
 * trailing whitespace (`\s`), then look at the last unit: only n . r v e d and § end a keyword,
 * and a keyword needs a non-word unit (or the start) before it, as `\b` does.
 */

const WHITESPACE = /^\s$/;

/** `\s` of one unit (ASCII by comparison, the rest by the regex). */
function isSpace(c: number, ctx: string, at: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (c >= 0xa0 && WHITESPACE.test(ctx[at]!));
}

/** A `\w` unit: ASCII letter, digit or underscore (`\b` without the `u` flag). */
function isWordUnit(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/** True when `word` ends at `end` in `ctx` with no word unit before it. */
function wordEndsAt(ctx: string, end: number, word: string): boolean {
  const at = end - word.length;
  return at >= 0 && ctx.startsWith(word, at) && !isWordUnit(ctx.charCodeAt(at - 1));
}

export function versionCue(ctx: string): boolean {
  let n = ctx.length;
  while (n > 0 && isSpace(ctx.charCodeAt(n - 1), ctx, n - 1)) n--;
  if (n === 0) return false;
  switch (ctx.charCodeAt(n - 1)) {
    case 0xa7: // §
      return true;
    case 110: // n
      return wordEndsAt(ctx, n, 'version') || wordEndsAt(ctx, n, 'section');
    case 46: // .
      return wordEndsAt(ctx, n, 'ver.');
    case 114: // r
      return wordEndsAt(ctx, n, 'ver') || wordEndsAt(ctx, n, 'chapter');
    case 118: // v
      return wordEndsAt(ctx, n, 'v') || wordEndsAt(ctx, n, 'rev');
    case 101: // e
      return wordEndsAt(ctx, n, 'release') || wordEndsAt(ctx, n, 'figure') || wordEndsAt(ctx, n, 'table');
    case 100: // d
      return wordEndsAt(ctx, n, 'build');
    default:
      return false;
  }
}
