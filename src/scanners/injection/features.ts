/**
 * Hashed word and character n-gram features for the injection classifier. Training
 * (scripts/train-injection.ts) and inference share this one function, so the two can never drift.
 *
 * Everything here is a single linear pass over the text: no regexes on input, no substrings per
 * gram (hashes roll over char codes), so cost is O(length) with a small constant. The word scan
 * writes every word's folded codes into one reusable buffer, and features are deduplicated in a
 * reusable bitmap that also yields them in sorted order (feature-bitmap.ts; features.test.ts checks the result
 * against a plain reference implementation).
 */

import { gibberishLevel } from './gibberish.ts';
import { clearMarked, drainDot, drainSorted, mark, marked, MAX_BITMAP_BITS, reserve, useBitmap } from './feature-bitmap.ts';

/** A sparse binary feature vector: sorted unique indices and one shared value (1/sqrt(nnz)). */
export interface SparseVector {
  indices: Uint32Array;
  value: number;
}

export interface FeatureOptions {
  /** log2 of the number of hashed buckets. */
  bits: number;
  /** Extra dense indices after the hashed buckets (signature hits), set by the caller. */
  extra: readonly number[];
  /** Char 3-5-grams inside words (default true; the harmful classifier reads word n-grams only). */
  charGrams?: boolean;
  /** Also word pairs 2..skipGrams words apart, any distance hashed alike (default 0: none; the harmful classifier). */
  skipGrams?: number;
  /**
   * Add a salted copy of every hashed feature (the harmful classifier sets it when the text is on
   * a hazard topic, so topical texts get their own weights beside the shared ones). Default false.
   */
  topicCopy?: boolean;
  /** Token-soup level of the tail as cumulative indicator features (gibberish.ts; the injection models). */
  gibberish?: boolean;
}

/** Smallest feature count used for normalisation (about a 12-word sentence). */
const MIN_NORM = 150;

export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;
/** Salts of word unigrams and bigrams and seed of char grams (the bucket of a unigram is `(h ^ UNIGRAM_SALT) & mask`). */
export const UNIGRAM_SALT = 0x9e3779b9;
export const BIGRAM_SALT = 0x85ebca6b;
export const GRAM_SEED = 0x2f1a3b4c;
/** Punctuation cues (PUNCT_CUES) are read in the first this-many units of a text, lowercased on their own. */
export const PUNCT_WINDOW = 4096;

/** The text punctuation cues are read in: `lowered` (the text's lowercase) when the text fits the window, else its first PUNCT_WINDOW units lowercased on their own. */
export function punctWindowText(text: string, lowered: string): string {
  return text.length > PUNCT_WINDOW ? text.slice(0, PUNCT_WINDOW).toLowerCase() : lowered;
}

/**
 * Char class bits per UTF-16 code unit: 0 separator, WORD for word chars, plus LETTER (ASCII
 * lowercase or any non-ASCII word char) or LEETCHAR (a digit/symbol read as a letter inside words
 * that have letters). Word chars: ASCII letters/digits, the leet symbols, and every non-ASCII code
 * unit except ideographic space and U+2000-206F (other scripts are letters here; punctuation
 * outside ASCII is rare after NFKC and cheap to include).
 */
export const WORD = 1;
export const LETTER = 2;
export const LEETCHAR = 4;
export const CLASS = new Uint8Array(0x10000);
/** Leetspeak digits and symbols as the letters they imitate (0 -> o, 1 -> i, 3 -> e, 4/@ -> a, 5/$ -> s, 7 -> t). */
export const LEET = new Uint8Array(128);
{
  for (let c = 48; c <= 57; c++) CLASS[c] = WORD;
  for (let c = 65; c <= 90; c++) CLASS[c] = WORD; // never met: words are read from lowercased text
  for (let c = 97; c <= 122; c++) CLASS[c] = WORD | LETTER;
  CLASS.fill(WORD | LETTER, 128);
  CLASS.fill(0, 0x2000, 0x2070);
  CLASS[0x3000] = 0;
  const leet: [number, number][] = [[48, 111], [49, 105], [51, 101], [52, 97], [53, 115], [55, 116], [64, 97], [36, 115]];
  for (const [from, to] of leet) {
    CLASS[from] = WORD | LEETCHAR;
    LEET[from] = to;
  }
}

/** Folds the leet chars of `codes[start, end)` (a word that has letters). */
export function foldLeet(codes: Uint16Array, start: number, end: number): void {
  for (let j = start; j < end; j++) {
    const c = codes[j]!;
    if (c < 128 && LEET[c] !== 0) codes[j] = LEET[c]!;
  }
}

/**
 * The last scan's words: folded codes of word i are `wordCodes[wordStart[i], wordStart[i + 1] - 1)`,
 * each word preceded and followed by a space (32), so the space-padded form char grams read is
 * `[wordStart[i] - 1, wordStart[i + 1])`. Reused between calls (single-threaded, grown on demand).
 */
let wordCodes = new Uint16Array(1024);
let wordStart = new Int32Array(512);
/** Every code unit of the last scanned text OR-ed together (below 0x80: the text is ASCII). */
let unitsSeen = 0;

/** Splits lowercased text into words in `wordCodes`/`wordStart`; returns the word count. */
function scanWords(lowered: string): number {
  const length = lowered.length;
  // Each word also takes one space after it, and there are at most (length + 1) / 2 words.
  const needed = length + (length >> 1) + 3;
  if (wordCodes.length < needed) wordCodes = new Uint16Array(Math.max(needed, wordCodes.length * 2));
  if (wordStart.length < (length >> 1) + 2) wordStart = new Int32Array(Math.max((length >> 1) + 2, wordStart.length * 2));
  const codes = wordCodes;
  const starts = wordStart;
  codes[0] = 32;
  let count = 0;
  let at = 1;
  let start = 1;
  let kinds = 0;
  let seen = 0;
  for (let i = 0; i < length; i++) {
    const c = lowered.charCodeAt(i);
    seen |= c;
    const kind = CLASS[c]!;
    if (kind !== 0) {
      kinds |= kind;
      codes[at++] = c;
    } else if (at !== start) {
      if ((kinds & (LETTER | LEETCHAR)) === (LETTER | LEETCHAR)) foldLeet(codes, start, at);
      starts[count++] = start;
      codes[at++] = 32;
      start = at;
      kinds = 0;
    }
  }
  if (at !== start) {
    if ((kinds & (LETTER | LEETCHAR)) === (LETTER | LEETCHAR)) foldLeet(codes, start, at);
    starts[count++] = start;
    codes[at++] = 32;
    start = at;
  }
  starts[count] = start;
  unitsSeen = seen;
  return count;
}

/** The buffers of one word scan: word i is `codes[starts[i], starts[i + 1] - 1)`; valid until the next scan. */
export interface WordScan {
  count: number;
  codes: Uint16Array;
  starts: Int32Array;
  ascii: boolean;
}

/** Scans `lowered` (already lowercased) and hands back the buffers (gloss.ts, the harmful cues). Valid until the next scan. */
export function scanLoweredWords(lowered: string): WordScan {
  const count = scanWords(lowered);
  return { count, codes: wordCodes, starts: wordStart, ascii: unitsSeen < 0x80 };
}

/** Splits into lowercased words (as char-code arrays), folding leetspeak inside words that contain letters. */
export function words(text: string): number[][] {
  // Lowercased once up front: per-character toLowerCase would allocate for every non-ASCII char.
  const count = scanWords(text.toLowerCase());
  const out: number[][] = new Array(count);
  for (let w = 0; w < count; w++) {
    const start = wordStart[w]!;
    const word = new Array<number>(wordStart[w + 1]! - 1 - start);
    for (let j = 0; j < word.length; j++) word[j] = wordCodes[start + j]!;
    out[w] = word;
  }
  return out;
}

function hashCodes(seed: number, codes: readonly number[]): number {
  let h = seed;
  for (const code of codes) h = Math.imul(h ^ code, FNV_PRIME);
  return h >>> 0;
}

/** Cues that carry intent and survive tokenisation poorly: role markers and delimiters. */
export const PUNCT_CUES = ['###', '<|', '|>', '[inst]', '[/inst]', '```', '---', '==='];
export const PUNCT_HASHES = PUNCT_CUES.map((_, i) => hashCodes(0x51ed270b + i, [i]));
/** Any of PUNCT_CUES: one regex scan rules them all out for nearly every text (instead of eight includes calls). */
export const ANY_PUNCT_CUE = new RegExp(PUNCT_CUES.map((cue) => cue.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'));
export const gibberishHash = (level: number): number => hashCodes(0x6a09e667, [level]);

/**
 * When a sum of `weights` may skip featureDot's ascending order: every nonzero float32 weight is an
 * integer multiple of 2^e, e the lowest power of two any of them holds (the place of the lowest set
 * bit of its significand: a weight's unit in the last place, or more for a weight on a coarser grid),
 * and so is every partial sum of any subset of them; a double holds every such multiple below
 * 2^(53 + e) exactly. So when the magnitudes of the summed weights add up to less than the limit
 * returned, 2^(52 + e) (one bit spare for the rounding of that bound itself), no addition rounds, in
 * any order: the result is the exact sum, the same double the ascending order gives. Weights trained
 * onto the grid (weight-grid.ts `onGrid`) give a limit no text reaches. O(weights); callers compute it once
 * per model.
 */
export function exactSumLimit(weights: Float32Array): number {
  const bits = new Int32Array(weights.buffer, weights.byteOffset, weights.length);
  let lowest = Infinity;
  for (let i = 0; i < bits.length; i++) {
    const magnitude = bits[i]! & 0x7fffffff;
    if (magnitude === 0) continue;
    const biased = magnitude >>> 23;
    // value = significand * 2^(max(biased, 1) - 150); subnormals have no implicit leading bit.
    const significand = biased === 0 ? magnitude : (magnitude & 0x7fffff) | 0x800000;
    const place = Math.max(biased, 1) - 150 + (31 - Math.clz32(significand & -significand));
    if (place < lowest) lowest = place;
  }
  return lowest === Infinity ? 0 : 2 ** (52 + lowest);
}

/** The caller's extra indices above the 2^bits buckets, as sorted unique uint32 values. */
function extraIndices(bits: number, extra: readonly number[]): number[] {
  const size = 1 << bits;
  const values = extra.map((id) => (size + id) >>> 0).sort((a, b) => a - b);
  return values.filter((value, i) => i === 0 || value !== values[i - 1]);
}

/**
 * Features of one text: word unigrams and bigrams, optional skip-bigrams, char 3-5-grams inside
 * space-padded words, a few punctuation cues, and the caller's extra indices.
 */
export function featurize(text: string, options: FeatureOptions): SparseVector {
  const bits = options.bits;
  if (!(bits >= 0 && bits <= MAX_BITMAP_BITS)) return featurizeWithSet(text, options);
  const n = collect(text, options);
  const extra = options.extra.length > 0 ? extraIndices(bits, options.extra) : [];
  let indices = new Uint32Array(n + extra.length);
  drainSorted(indices, bits);
  for (let i = 0; i < extra.length; i++) indices[n + i] = extra[i]!;
  // Extras normally sit above every bucket; an extra inside the bucket range falls back to a merge.
  if (extra.length > 0 && n > 0 && extra[0]! <= indices[n - 1]!) indices = Uint32Array.from(new Set(indices)).sort();
  // Normalising by at least MIN_NORM features keeps a two-word greeting from getting a huge
  // per-feature weight: short texts lean on the bias (benign) unless a signature fires.
  return { indices, value: normValue(indices.length) };
}

/**
 * `featurize(text, options)` dotted with `weights`: the sum of `weights[index] ?? 0` over its indices
 * in ascending order (the order a loop over `indices` adds them in, so the float result is the same),
 * and the vector's value. Sums while draining the bitmaps instead of allocating the index array; with
 * `exactLimit` (exactSumLimit of `weights`), a sum provably exact is taken in first-seen order instead
 * (same double, no walk over the bitmap).
 */
export function featureDot(text: string, options: FeatureOptions, weights: Float32Array, exactLimit = 0): { sum: number; value: number } {
  const bits = options.bits;
  const extra = options.extra;
  if (!(bits >= 0 && bits <= MAX_BITMAP_BITS) || !plainIds(extra)) {
    // Unsorted, repeated or odd extras (never, for the models): featurize sorts and merges them.
    const vector = featurize(text, options);
    let sum = 0;
    for (const index of vector.indices) sum += weights[index] ?? 0;
    return { sum, value: vector.value };
  }
  const n = collect(text, options);
  const size = 2 ** bits;
  const features = marked();
  let sum = 0;
  let magnitude = 0;
  for (let i = 0; i < n; i++) {
    const weight = weights[features[i]!] ?? 0;
    sum += weight;
    magnitude += Math.abs(weight);
  }
  for (let i = 0; i < extra.length; i++) {
    const weight = weights[size + extra[i]!] ?? 0;
    sum += weight;
    magnitude += Math.abs(weight);
  }
  if (magnitude < exactLimit) clearMarked(n);
  else {
    sum = drainDot(weights, bits);
    for (let i = 0; i < extra.length; i++) sum += weights[size + extra[i]!] ?? 0;
  }
  return { sum, value: normValue(n + extra.length) };
}

/** True when `ids` are ascending unique small non-negative integers (as inspect gives them): extras that need no sorting. */
export function plainIds(ids: readonly number[]): boolean {
  let last = -1;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (!(id > last && id < 0x7fffffff && Math.floor(id) === id)) return false;
    last = id;
  }
  return true;
}

/** Marks the hashed features of `text` in the bitmaps (left for the caller to drain); returns how many. */
function collect(text: string, options: FeatureOptions): number {
  const bits = options.bits;
  useBitmap(bits);
  const mask = (1 << bits) - 1;
  const lowered = text.toLowerCase();
  const count = scanWords(lowered);
  const codes = wordCodes;
  const starts = wordStart;
  const skip = options.skipGrams ?? 0;
  const charGrams = options.charGrams !== false;
  // Upper bound of the unique buckets the word loop can add: 2 + (skip - 1) per word, 3 grams per padded char; doubled for topic copies.
  reserve(Math.min(2 * (count * (2 + Math.max(skip - 1, 0)) + (charGrams ? 3 * starts[count]! : 0) + 16), mask + 1));
  let n = 0;
  // Word hashes kept only for skip-grams (the word `back` words before word w is hashes[w - back]).
  const hashes = skip >= 2 ? new Int32Array(count) : undefined;
  let previous = 0;
  for (let w = 0; w < count; w++) {
    const start = starts[w]!;
    const end = starts[w + 1]! - 1;
    let h = FNV_OFFSET | 0;
    for (let j = start; j < end; j++) h = Math.imul(h ^ codes[j]!, FNV_PRIME);
    n = mark((h ^ UNIGRAM_SALT) & mask, n);
    if (w > 0) n = mark((Math.imul(previous, 31) ^ h ^ BIGRAM_SALT) & mask, n);
    previous = h;
    if (hashes) {
      hashes[w] = h;
      const farthest = Math.min(skip, w);
      for (let back = 2; back <= farthest; back++) n = mark((Math.imul(hashes[w - back]!, 0x2c1b3c6d) ^ h ^ 0x165667b1) & mask, n);
    }
    if (!charGrams) continue;
    // Space-padded so prefixes and suffixes are their own grams; long words (CJK runs) still cost O(length).
    const from = end - start > 64 ? start : start - 1;
    const to = end - start > 64 ? end : end + 1;
    for (let s = from; s + 3 <= to; s++) {
      let g = Math.imul(Math.imul(Math.imul(GRAM_SEED ^ codes[s]!, FNV_PRIME) ^ codes[s + 1]!, FNV_PRIME) ^ codes[s + 2]!, FNV_PRIME);
      n = mark(g & mask, n);
      if (s + 3 < to) {
        g = Math.imul(g ^ codes[s + 3]!, FNV_PRIME);
        n = mark(g & mask, n);
        if (s + 4 < to) n = mark(Math.imul(g ^ codes[s + 4]!, FNV_PRIME) & mask, n);
      }
    }
  }
  const lowerText = punctWindowText(text, lowered);
  if (ANY_PUNCT_CUE.test(lowerText)) for (let i = 0; i < PUNCT_CUES.length; i++) if (lowerText.includes(PUNCT_CUES[i]!)) n = mark(PUNCT_HASHES[i]! & mask, n);
  if (options.gibberish) for (let l = gibberishLevel(text); l >= 1; l--) n = mark(gibberishHash(l) & mask, n);
  if (options.topicCopy) {
    const features = marked();
    for (let i = 0, base = n; i < base; i++) n = mark((Math.imul(features[i]! ^ 0x5bd1e995, FNV_PRIME) >>> 0) & mask, n);
  }
  return n;
}

/** Scratch for char-gram buckets, reused (grown on demand). */
let gramScratch = new Int32Array(512);

/** A reused array with room for the char-gram buckets of `units` code units (three per unit); valid until the next call. */
export function gramBuffer(units: number): Int32Array {
  if (gramScratch.length < 3 * units) gramScratch = new Int32Array(3 * units);
  return gramScratch;
}

/**
 * Writes the char 3-5-gram buckets of `codes[from, to)` into `out` from 0 (room for 3 * (to - from):
 * gramBuffer) in collect's order, at each start its 3-, 4- and 5-gram; returns how many. The caller
 * pads as collect does (a space before and after, none past 64 units). The off-hot-path readers
 * (word cache fills, long words) share it; collect, the reference, keeps its loop inline.
 */
export function charGramBuckets(codes: Uint16Array, from: number, to: number, mask: number, out: Int32Array): number {
  let n = 0;
  for (let s = from; s + 3 <= to; s++) {
    let g = Math.imul(Math.imul(Math.imul(GRAM_SEED ^ codes[s]!, FNV_PRIME) ^ codes[s + 1]!, FNV_PRIME) ^ codes[s + 2]!, FNV_PRIME);
    out[n++] = g & mask;
    if (s + 3 < to) {
      g = Math.imul(g ^ codes[s + 3]!, FNV_PRIME);
      out[n++] = g & mask;
      if (s + 4 < to) out[n++] = Math.imul(g ^ codes[s + 4]!, FNV_PRIME) & mask;
    }
  }
  return n;
}

export const normValue = (count: number): number => (count > 0 ? 1 / Math.sqrt(Math.max(count, MIN_NORM)) : 0);

/** The same features collected in a Set and sorted (bucket counts the bitmap does not cover). */
function featurizeWithSet(text: string, options: FeatureOptions): SparseVector {
  const mask = (1 << options.bits) - 1;
  const set = new Set<number>();
  const list = words(text);
  const hashes = list.map((word) => hashCodes(FNV_OFFSET, word));
  for (let w = 0; w < list.length; w++) {
    const h = hashes[w]!;
    set.add((h ^ 0x9e3779b9) & mask);
    if (w > 0) set.add((Math.imul(hashes[w - 1]!, 31) ^ h ^ 0x85ebca6b) & mask);
    for (let back = 2; back <= (options.skipGrams ?? 0) && back <= w; back++) set.add((Math.imul(hashes[w - back]!, 0x2c1b3c6d) ^ h ^ 0x165667b1) & mask);
    if (options.charGrams === false) continue;
    const padded = list[w]!.length > 64 ? list[w]! : [32, ...list[w]!, 32];
    for (let n = 3; n <= 5; n++) for (let s = 0; s + n <= padded.length; s++) set.add(hashCodes(0x2f1a3b4c, padded.slice(s, s + n)) & mask);
  }
  const lowerText = text.slice(0, PUNCT_WINDOW).toLowerCase();
  for (let i = 0; i < PUNCT_CUES.length; i++) if (lowerText.includes(PUNCT_CUES[i]!)) set.add(PUNCT_HASHES[i]! & mask);
  if (options.gibberish) for (let l = 1; l <= gibberishLevel(text); l++) set.add(gibberishHash(l) & mask);
  if (options.topicCopy) for (const index of [...set]) set.add((Math.imul(index ^ 0x5bd1e995, FNV_PRIME) >>> 0) & mask);
  for (const extra of options.extra) set.add((1 << options.bits) + extra);
  const indices = Uint32Array.from(set).sort();
  return { indices, value: normValue(indices.length) };
}
