/**
 * Bounded-cost token counting with gpt-tokenizer. Its BPE is quadratic in the length of one
 * pre-token (100 K chars of 'a' take ~5 s), so text is fed in pieces with no piece holding a
 * long run without whitespace; counts stay exact at whitespace cuts and within a token or so
 * per forced cut. Counting stops as soon as the limit is passed.
 */

/** Encodings supported for counting. */
export const ENCODINGS = ['o200k_base', 'cl100k_base'] as const;
export type EncodingName = (typeof ENCODINGS)[number];

/** The part of a gpt-tokenizer encoding module used here. */
export interface TokenCounter {
  isWithinTokenLimit(text: string, limit: number, options?: { disallowedSpecial?: Set<string> }): false | number;
}

/** Loaded once per process and shared: the tables are large and immutable. */
const loaded = new Map<EncodingName, Promise<TokenCounter>>();

/** Loads (once) the encoder for `name`. */
export function loadCounter(name: EncodingName): Promise<TokenCounter> {
  let pending = loaded.get(name);
  if (!pending) {
    pending = name === 'o200k_base' ? import('gpt-tokenizer/encoding/o200k_base') : import('gpt-tokenizer/encoding/cl100k_base');
    loaded.set(name, pending);
  }
  return pending;
}

/** Special-token strings in user text are counted as text, never rejected or given special meaning. */
const AS_TEXT = { disallowedSpecial: new Set<string>() };
/** Longest piece handed to the encoder when cutting at whitespace. */
const SOFT_PIECE = 4096;
/** Longest run without whitespace handed over in one piece. */
const HARD_PIECE = 256;

function isSpace(unit: number): boolean {
  return unit === 0x20 || (unit >= 0x09 && unit <= 0x0d);
}

/**
 * Counts the tokens of `text`, stopping once more than `limit` are seen; returns the count,
 * or `limit + 1` when the limit is exceeded.
 */
export function countTokensUpTo(counter: TokenCounter, text: string, limit: number): number {
  let total = 0;
  let start = 0;
  let run = 0;
  const feed = (end: number): boolean => {
    if (end <= start) return true;
    const counted = counter.isWithinTokenLimit(text.slice(start, end), limit - total, AS_TEXT);
    start = end;
    if (counted === false) return false;
    total += counted;
    return true;
  };
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (isSpace(unit)) {
      run = 0;
      // Cut before whitespace: the encoder glues a leading space to the next word anyway.
      if (i - start >= SOFT_PIECE && !feed(i)) return limit + 1;
      continue;
    }
    run++;
    const splitsPair = unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    if (run >= HARD_PIECE && !splitsPair) {
      if (!feed(i + 1)) return limit + 1;
      run = 0;
    }
  }
  return feed(text.length) ? total : limit + 1;
}
