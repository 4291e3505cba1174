/**
 * The direct classifier's dot product (`InjectionModel.probability`) in one pass: the same `{ sum, value }`,
 * bit for bit, as `featureDot(text, { bits, extra, gibberish: true }, weights, exactLimit)` (features.ts,
 * the reference that training and the other heads use), at a fraction of the cost.
 *
 * The words are read off `text.toLowerCase()` as collect reads them (CLASS, leet folding, FNV hashes), in
 * step with `text` itself (the lengths must agree: a text with İ goes to featureDot), which drives the
 * gibberish automaton (gibberish.ts SOUP_STEP, the same verdicts as gibberishLevel) in the same pass. A
 * word's unigram and space-padded char grams come from a per-model word cache (word-buckets.ts) with their
 * weights in a row, and a word met again in the same text is skipped whole (its buckets are all in already).
 * Buckets are deduplicated by a stamp per bucket (nothing to clear between calls), behind a small table
 * that stays in L1 and answers for most buckets, and summed as first met, with their magnitudes.
 *
 * featureDot sums in ascending bucket order unless its exact-sum certificate holds (exactSumLimit: the
 * magnitudes add up to less than the model's limit, so no addition rounds in any order and the first-seen
 * sum is the same double); this pass answers only then. The verdict does not depend on the order either:
 * partial sums of magnitudes are exact up to twice the limit, and adding non-negative values never brings a
 * sum back under it. Texts past LONGEST_TEXT units (where the certificate mostly fails) go to longTextDot
 * (long-text-dot.ts), which always sums in featureDot's ascending order: `exactLimit` must be a valid
 * certificate (exactSumLimit of the weights, or lower), as featureDot's own result assumes.
 *
 * Punctuation cues are read as collect reads them, the cue regex running only when the text has a pair of
 * units some cue holds (cueAt); the caller's extra ids must be plain (ascending unique small integers, as
 * inspect gives them). text-features.test.ts checks the result against featureDot.
 */
import { ANY_PUNCT_CUE, CLASS, FNV_OFFSET, FNV_PRIME, foldLeet, BIGRAM_SALT, charGramBuckets, gibberishHash, gramBuffer, LEETCHAR, LETTER, normValue, plainIds, PUNCT_CUES, PUNCT_HASHES, punctWindowText, UNIGRAM_SALT } from './features.ts';
import { MAX_BITMAP_BITS } from './feature-bitmap.ts';
import { GIBBERISH_WINDOW, levelOf, SOUP_CLASS, SOUP_STEP, SOUP_VERDICT } from './gibberish.ts';
import { cueAt, longTextDot } from './long-text-dot.ts';
import { LONGEST, WordBuckets } from './word-buckets.ts';

/** featureDot's result, written by textDot when it returns true. */
export const dot = { sum: 0, value: 0 };

/*
 * INFO per ASCII unit of the text: bits 0-2 the CLASS (features.ts) of its lowercase, bits 4-6 its SOUP_CLASS
 * (gibberish.ts), SPACE when it ends a soup token (<= 32), CUE when cueAt looks around it (# ` - = | > [);
 * its lowercase from bit 16. A unit past ASCII reads as its lowercase's CLASS and soup class OTHER (0).
 */
const KIND_MASK = 7;
const SOUP_SHIFT = 4;
const SPACE = 1 << 7;
const CUE = 1 << 8;
const CODE_SHIFT = 16;
const INFO = new Int32Array(128);
for (let c = 0; c < 128; c++) {
  const lower = c >= 65 && c <= 90 ? c + 32 : c;
  INFO[c] = CLASS[lower]! | (SOUP_CLASS[c]! << SOUP_SHIFT) | (c <= 32 ? SPACE : 0) | ('#`-=|>['.includes(String.fromCharCode(c)) ? CUE : 0) | (lower << CODE_SHIFT);
}
/**
 * Longest text read by the scan here: past it the sums rarely have the certificate, and longTextDot
 * (long-text-dot.ts) sums in featureDot's ascending order without the word cache, in about 0.7 of
 * featureDot's time (below it, the two cost about the same per unit on the PI data).
 */
const LONGEST_TEXT = 2000;
const LEVEL_HASHES = [0, gibberishHash(1), gibberishHash(2), gibberishHash(3)];

/** A weights array's word cache and, per entry, the call that last added it (`epoch`). */
interface WordState {
  cache: WordBuckets;
  added: Uint32Array;
  epoch: number;
}

const states = new WeakMap<Float32Array, Map<number, WordState>>();
/** No bucket is a suspect here (that split is the indirect model's), and the lexicon is not read. */
const noLexicon = (): number => 0;

/** The word state of `weights` at `bits`; `words` bounds a new cache's entries (WordBuckets; fewer in the warm-up). */
function stateOf(weights: Float32Array, bits: number, words?: number): WordState {
  let byBits = states.get(weights);
  if (!byBits) states.set(weights, (byBits = new Map()));
  let state = byBits.get(bits);
  if (!state) {
    const cache = new WordBuckets(bits, weights, new Int32Array(Math.max(1, 2 ** bits / 32)), noLexicon, words);
    byBits.set(bits, (state = { cache, added: new Uint32Array(cache.capacity), epoch: 0 }));
  }
  return state;
}

/** A stamp per bucket: bucket i is in the current text when `stamps[i] === stamp` (1-255; cleared when it wraps). */
let stamps = new Uint8Array(1);
let stamp = 0;
/**
 * A small direct-mapped table in front of `stamps`, indexed by a bucket's low FILTER_BITS bits, each slot
 * holding one bucket of the current text as `stamp << 24 | bucket` (buckets have at most 24 bits). A
 * bucket is in the text when its slot holds it, or else when `stamps` has it: a bucket goes to `stamps`
 * only when its slot already holds another bucket of the text. So a slot without the current stamp means
 * certainly new, and `stamps` is read and written only on such collisions (a few per text). Why:
 * `stamps` (2^18 bytes) does not stay in the L2 cache next to the weights and the other stages' tables,
 * while this table (16 KB) stays in L1. Cleared with `stamps` (a stale slot would name a bucket as in).
 */
const FILTER_BITS = 12;
const FILTER_MASK = (1 << FILTER_BITS) - 1;
const filter = new Int32Array(1 << FILTER_BITS);
/** Buckets the rare paths marked, in first-seen order (each once: at most 2^bits). */
let pending = new Uint32Array(1);

/** Marks bucket `index` for the end of textDot unless the text has it; returns the new pending count. */
function markLater(index: number, count: number): number {
  const held = filter[index & FILTER_MASK]!;
  const tagged = (stamp << 24) | index;
  if (held === tagged) return count;
  if (held >>> 24 !== stamp) filter[index & FILTER_MASK] = tagged;
  else if (stamps[index] === stamp) return count;
  else stamps[index] = stamp;
  pending[count] = index;
  return count + 1;
}

/** Folds the leet chars of the word `codes[1, size]` (it has letters too) and returns its new FNV hash. */
function foldedHash(codes: Uint16Array, size: number): number {
  foldLeet(codes, 1, size + 1);
  let h = FNV_OFFSET | 0;
  for (let j = 1; j <= size; j++) h = Math.imul(h ^ codes[j]!, FNV_PRIME);
  return h;
}

/**
 * A word the cache does not hold (longer than LONGEST): its unigram and char grams marked for later, as
 * collect reads them (past 64 units, CJK runs, unpadded). Returns the new pending count.
 */
function longWord(codes: Uint16Array, size: number, h: number, mask: number, count: number): number {
  count = markLater((h ^ UNIGRAM_SALT) & mask, count);
  codes[0] = 32;
  codes[size + 1] = 32;
  const start = size > 64 ? 1 : 0;
  const to = size > 64 ? size + 1 : size + 2;
  const grams = gramBuffer(to - start);
  for (let g = 0, n = charGramBuckets(codes, start, to, mask, grams); g < n; g++) count = markLater(grams[g]!, count);
  return count;
}

/** The punctuation cues collect finds (in the first PUNCT_WINDOW units, lowercased), marked for later. Returns the new pending count. */
function punctCues(text: string, lowered: string, mask: number, count: number): number {
  const lowerText = punctWindowText(text, lowered);
  if (!ANY_PUNCT_CUE.test(lowerText)) return count;
  for (let c = 0; c < PUNCT_CUES.length; c++) if (lowerText.includes(PUNCT_CUES[c]!)) count = markLater(PUNCT_HASHES[c]! & mask, count);
  return count;
}

/** The current word's folded codes at [1, size], with room for the padding spaces. */
let word = new Uint16Array(LONGEST + 2);

/**
 * featureDot(text, { bits, extra, gibberish: true }, weights, exactLimit) into `dot`; false (nothing
 * written, the caller takes featureDot) for what it does not cover: bucket counts past the bitmap's, a
 * weights array shorter than the buckets, extras that are not plain, and, up to LONGEST_TEXT units, texts
 * whose lowercase is longer and sums without the certificate. Longer texts go to longTextDot.
 */
export function textDot(text: string, extra: readonly number[], bits: number, weights: Float32Array, exactLimit: number): boolean {
  if (!warm) warmUp();
  if (!(bits >= 0 && bits <= MAX_BITMAP_BITS) || weights.length < 2 ** bits || !plainIds(extra)) return false;
  if (text.length > LONGEST_TEXT) {
    longTextDot(text, extra, bits, weights, dot);
    return true;
  }
  const size = 2 ** bits;
  const mask = size - 1;
  if (stamps.length < size) {
    stamps = new Uint8Array(size);
    pending = new Uint32Array(size);
    filter.fill(0);
    stamp = 0;
  }
  if (stamp === 255) {
    stamps.fill(0);
    filter.fill(0);
    stamp = 0;
  }
  const current = ++stamp;
  const marks = stamps;
  const seen = filter;
  const state = stateOf(weights, bits);
  const cache = state.cache;
  if (state.epoch === 0xffffffff) {
    state.added.fill(0);
    state.epoch = 0;
  }
  let epoch = ++state.epoch;
  let generation = cache.generation;
  const added = state.added;
  const from = cache.from;
  const listedBuckets = cache.buckets;
  const listedWeights = cache.weights;
  const lowered = text.toLowerCase();
  // A text whose lowercase is longer (İ) is read by featureDot: the scan below reads both in step.
  if (lowered.length !== text.length) return false;
  const length = lowered.length;
  const info = INFO;
  const step = SOUP_STEP;
  const soupClass = SOUP_CLASS;
  const verdict = SOUP_VERDICT;
  if (word.length < length + 2) word = new Uint16Array(length + 2);
  const codes = word;
  const classOf = CLASS;
  let count = 0;
  // Buckets marked by the rare paths, their weights summed at the end (`pending[0, later)`).
  let later = 0;
  let sum = 0;
  let magnitude = 0;
  let words = 0;
  let previous = 0;
  let cues = 0;
  let wordSize = 0;
  let kinds = 0;
  let h = FNV_OFFSET | 0;
  // The open token's SOUP_STEP state (0: none open), the verdicts of the tokens closed (bit 0 the last) and their count.
  let soupState = 0;
  let soupBits = 0;
  let tokens = 0;
  // One step past the end closes the last word and token.
  for (let i = 0; i <= length; i++) {
    let g = SPACE;
    if (i < length) {
      const unit = text.charCodeAt(i);
      if (unit < 128) g = info[unit]!;
      else {
        // Not ASCII: soup class OTHER; its lowercase (same place: the lengths agree) and that one's class.
        const code = lowered.charCodeAt(i);
        g = (code << CODE_SHIFT) | classOf[code]!;
      }
    }
    const kind = g & KIND_MASK;
    if (kind !== 0) {
      soupState = step[soupState | ((g >> SOUP_SHIFT) & 7)]!;
      kinds |= kind;
      const c = g >>> CODE_SHIFT;
      codes[++wordSize] = c;
      h = Math.imul(h ^ c, FNV_PRIME);
      // Then the a-z letters after it, the common case, without the table lookup.
      for (let next = i + 1 < length ? text.charCodeAt(i + 1) : 0; next >= 97 && next <= 122; next = i + 1 < length ? text.charCodeAt(i + 1) : 0) {
        i++;
        soupState = step[soupState | soupClass[next]!]!;
        kinds |= LETTER;
        codes[++wordSize] = next;
        h = Math.imul(h ^ next, FNV_PRIME);
      }
      continue;
    }
    if ((g & SPACE) === 0) soupState = step[soupState | ((g >> SOUP_SHIFT) & 7)]!;
    else if (soupState !== 0) {
      soupBits = (soupBits << 1) | verdict[soupState >> 3]!;
      tokens++;
      soupState = 0;
    }
    if ((g & CUE) !== 0 && cueAt(lowered, i, g >>> CODE_SHIFT)) cues = 1;
    if (wordSize === 0) continue;
    // A word in codes[1, wordSize]: leet folded when it also has letters, as collect does.
    if ((kinds & (LETTER | LEETCHAR)) === (LETTER | LEETCHAR)) h = foldedHash(codes, wordSize);
    if (words++ > 0) {
      const index = (Math.imul(previous, 31) ^ h ^ BIGRAM_SALT) & mask;
      const held = seen[index & FILTER_MASK]!;
      const tagged = (current << 24) | index;
      let fresh = false;
      if (held >>> 24 !== current) {
        seen[index & FILTER_MASK] = tagged;
        fresh = true;
      } else if (held !== tagged && marks[index] !== current) {
        marks[index] = current;
        fresh = true;
      }
      if (fresh) {
        count++;
        const weight = weights[index]!;
        sum += weight;
        magnitude += Math.abs(weight);
      }
    }
    previous = h;
    if (wordSize <= LONGEST) {
      // Met before: a probe (inlined); new: entry() adds it, off the common path.
      let entry = cache.find(codes, wordSize, h);
      if (entry < 0) entry = cache.entry(codes, wordSize, h);
      if (cache.generation !== generation) {
        // The table started over: entry ids added before may name other words now.
        generation = cache.generation;
        if (state.epoch === 0xffffffff) {
          added.fill(0);
          state.epoch = 0;
        }
        epoch = ++state.epoch;
      }
      if (added[entry] !== epoch) {
        added[entry] = epoch;
        for (let j = from[entry]!, last = from[entry + 1]!; j < last; j++) {
          const index = listedBuckets[j]!;
          // Its slot: free this text (certainly new), this bucket (in), or another bucket (ask the stamps).
          const held = seen[index & FILTER_MASK]!;
          const tagged = (current << 24) | index;
          if (held >>> 24 !== current) seen[index & FILTER_MASK] = tagged;
          else if (held === tagged || marks[index] === current) continue;
          else marks[index] = current;
          count++;
          const weight = listedWeights[j]!;
          sum += weight;
          magnitude += Math.abs(weight);
        }
      }
    } else later = longWord(codes, wordSize, h, mask, later);
    wordSize = 0;
    kinds = 0;
    h = FNV_OFFSET | 0;
  }
  // Extra buckets: punctuation cues (only where a cue's pair of units shows) and gibberish levels.
  if (cues !== 0) later = punctCues(text, lowered, mask, later);
  // gibberishLevel(text): the soup share of the last GIBBERISH_WINDOW tokens.
  const window = Math.min(tokens, GIBBERISH_WINDOW);
  let soup = 0;
  for (let t = 0; t < window; t++) soup += (soupBits >>> t) & 1;
  for (let level = levelOf(soup, window); level >= 1; level--) later = markLater(LEVEL_HASHES[level]! & mask, later);
  // The buckets left for here (rare paths, kept out of the scan so they never deoptimise it).
  for (let i = 0; i < later; i++) {
    const weight = weights[pending[i]!]!;
    sum += weight;
    magnitude += Math.abs(weight);
  }
  count += later;
  for (let i = 0; i < extra.length; i++) {
    const weight = weights[size + extra[i]!] ?? 0;
    sum += weight;
    magnitude += Math.abs(weight);
  }
  if (!(magnitude < exactLimit)) return false;
  dot.sum = sum;
  dot.value = normValue(count + extra.length);
  return true;
}

/** Runs the one-off warm-up below now (scanner start-up), so the first request does not pay it (a few ms). */
export function prepareTextFeatures(): void {
  if (!warm) warmUp();
}

/** Whether warmUp has run (it runs once: at start-up through prepareTextFeatures, or on the first call). */
let warm = false;
/** Soup tokens enough for gibberish level 3 (GIBBERISH_WINDOW of them). */
const SOUP_TAIL = ' xqzvbk'.repeat(GIBBERISH_WINDOW + 2);

/**
 * Runs textDot once through every path it has, rare ones included, on a throwaway model, before it reads
 * a real text. Why: V8 compiles the scan from the feedback its calls left, and a path no call took yet
 * (a stamp wrap every 255 calls, a cue bracket, a long word, a cache that starts over) throws that code
 * away the first time a text takes it ("insufficient type feedback"). When that happened while the scan
 * ran on optimised loop entry (OSR), V8 kept only that and every later call started unoptimised: a
 * process then ran at about 1.6 times the time per call for good. With every path seen first, the first
 * optimised code is the last. The texts are built at run time, not literals: an interned string is a
 * shape real texts never have, and feedback holding it compiled a slower scan (7.4 µs a call, not 5.4).
 * Outputs are untouched: the warm-up has its own weights, word cache and state, and the stamps only
 * advance (from 254, so that they wrap once).
 */
function warmUp(): void {
  warm = true;
  // More buckets than the stamp table in front of the stamps has slots, so that its collisions are seen too.
  const bits = FILTER_BITS + 2;
  const size = 2 ** bits;
  const weights = new Float32Array(size + 8).map((_, i) => ((i % 7) - 3) / 64);
  // A cache of 4 words, so that it starts over within a text (entry() and the generation check here).
  const state = stateOf(weights, bits, 4);
  const texts = [
    '',
    'ab',
    'Hello World, hello world! 1234 l33t h4x0r 5p34k... word word word',
    '### ``` --- === <|im_start|> [inst] [/inst] [x] |> a | b > c - d = e # f ` g',
    'supercalifragilisticexpialidociousnessandmore ' + 'x'.repeat(70) + ' ' + 'y'.repeat(33),
    'Ünïcödé ΣΑΣ naïve 日本語 😀 \u00a0zero\u200bwidth \ud800 café',
    'İstanbul',
    'the cat sat on the mat' + SOUP_TAIL,
    'one two three four five six seven eight nine ten eleven twelve',
    Array.from({ length: 300 }, (_, i) => `w${i}`).join(' '),
  ].map((text) => [...text].join(''));
  for (const text of texts) {
    for (const extra of [[], [0, 3, 7], [2, 2]]) for (const limit of [Infinity, 0]) textDot(text, extra, bits, weights, limit);
    textDot(text, [], -1, weights, Infinity);
  }
  // Long texts (longTextDot): repeated and distinct words, cues inside and past the window, long words, İ, a soup tail.
  const longTexts = [
    'Hello World, h3ll0 w0rld! '.repeat(30) + Array.from({ length: 300 }, (_, i) => `w${i}`).join(' '),
    '### ``` ' + 'a b '.repeat(1030) + ' <|im_start|> [inst]',
    'x'.repeat(70) + ' 日本語 '.repeat(300) + 'y'.repeat(33) + ' İstanbul'.repeat(20) + SOUP_TAIL,
  ].map((text) => [...text].join(''));
  for (const text of longTexts) {
    textDot(text, [], bits, weights, Infinity);
    textDot(text, [0, 3, 7], bits, weights, 0);
  }
  // The wraps: the per-call epoch, the one after the cache starts over, the stamps.
  state.epoch = 0xffffffff;
  textDot(texts[2]!, [], bits, weights, Infinity);
  state.epoch = 0xfffffffe;
  textDot(texts[8]!, [], bits, weights, Infinity);
  stamp = 254;
  textDot(texts[1]!, [], bits, weights, Infinity);
  textDot(texts[1]!, [], bits, weights, Infinity);
}
