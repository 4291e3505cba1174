/**
 * One forward pass over a piece's parts for the indirect score (piece-features.ts): per code unit it
 * counts the shape symbols (spanShape), builds words and their hashed unigrams, bigrams and char grams
 * (featurize's collect; a word's unigram and char grams come from the word cache, word-buckets.ts),
 * steps the soup automaton over whitespace tokens (gibberish.ts), and hands words and letter runs to
 * the cue stream (cue-stream.ts). What depends on the whole document (dominant shape, novelty, hence
 * the register and cue tokens) is finished later by piece-features.ts from what this pass leaves per piece:
 *
 * - the weights of its own buckets (deduplicated by a stamp per bucket), summed in first-seen order
 *   with their magnitudes, except "suspects": buckets that some combination's constant buckets may hold
 *   (piece-tokens.ts), kept in a list for the caller to settle once the combination is known;
 * - which of the buckets the caller may add later (the bigram to the first cue token, punctuation cues,
 *   gibberish levels) the piece already has, and whether it may hold a punctuation cue at all;
 * - its shape, last word hash, and the soup verdicts of its last tokens.
 *
 * The sum in first-seen order is only used when provably exact (exactSumLimit, features.ts); the caller
 * scores the piece by the reference path otherwise.
 */
import type { PieceSpans } from './segments.ts';
import { beginPieceCues, cueEntry, cueRun, cueRunsIn, endPieceCues, endsWithQuestion } from './cue-stream.ts';
import { SOUP_CLASS, SOUP_STEP, SOUP_VERDICT } from './gibberish.ts';
import { BIGRAM_SALT, charGramBuckets, CLASS, FNV_OFFSET, FNV_PRIME, foldLeet, gramBuffer, LEETCHAR, LETTER, PUNCT_CUES, PUNCT_HASHES, UNIGRAM_SALT, WORD, gibberishHash } from './features.ts';
import type { Tokens } from './piece-tokens.ts';
import { LONGEST, SLOT_MASK, type WordBuckets } from './word-buckets.ts';

/*
 * INFO per ASCII code unit of the text: bits 0-2 the CLASS (features.ts) of its lowercase, NOT_AZ for
 * word chars other than a-z (their letter runs need the search), bits 4-6 its SOUP_CLASS (gibberish.ts),
 * then whether it separates tokens (<= 32), is a bar, is a symbol spanShape counts, or may start a
 * punctuation cue; its lowercase from bit 16.
 */
const NOT_AZ = 8;
const SOUP_SHIFT = 4;
const SPACE = 1 << 7;
const BAR_SHIFT = 8;
const SYMBOL_SHIFT = 9;
/** Units at which a punctuation cue (PUNCT_CUES) shows, with a neighbour (see cueAt): # ` - = | > [ */
const PUNCT_UNIT = 1 << 10;
const CODE_SHIFT = 16;
const INFO = new Int32Array(128);
{
  for (let c = 0; c < 128; c++) {
    const lower = c >= 65 && c <= 90 ? c + 32 : c;
    const kind = CLASS[lower]!;
    let info = kind | (kind !== 0 && !(lower >= 97 && lower <= 122) ? NOT_AZ : 0) | (SOUP_CLASS[c]! << SOUP_SHIFT) | (lower << CODE_SHIFT);
    if (c <= 32) info |= SPACE;
    if (c === 124) info |= 1 << BAR_SHIFT;
    if (';{}()=[]<>'.includes(String.fromCharCode(c))) info |= 1 << SYMBOL_SHIFT;
    if ('#`-=|>['.includes(String.fromCharCode(c))) info |= PUNCT_UNIT;
    INFO[c] = info;
  }
}

/**
 * Bits of `own` (piece results): FIRST_CUES bigrams (0-3), punctuation cues (4-11), gibberish levels 1-3
 * (12-14); OWN_HINTED when the piece may hold a punctuation cue (bits 4-11 are only read then).
 */
export const OWN_PUNCT = 4;
export const OWN_LEVEL = 12 - 1;
export const OWN_HINTED = 1 << 15;
const LEVEL_HASHES = [gibberishHash(1), gibberishHash(2), gibberishHash(3)];

/** What the pass leaves per piece (indexed by piece; grown by reserveScan). */
export const scanned = {
  shape: new Uint8Array(64),
  /** Ask and task flags from the cue stream (CUE_ASK, CUE_TASK). */
  cues: new Uint8Array(64),
  sum: new Float64Array(64),
  magnitude: new Float64Array(64),
  /** Unique own buckets, suspects included. */
  count: new Int32Array(64),
  /** The word hash before the cue tokens: the last word's, or the piece token's when there is no word. */
  last: new Int32Array(64),
  own: new Int32Array(64),
  /** Soup verdicts of the last tokens (bit 0 the last one) and how many tokens. */
  soup: new Int32Array(64),
  tokens: new Int32Array(64),
  /** Suspects of piece p: `suspects[suspectFrom[p], suspectFrom[p + 1])`. */
  suspectFrom: new Int32Array(65),
  suspects: new Uint32Array(256),
};

/** Per-document settings of the pass. */
export interface ScanContext {
  bits: number;
  weights: Float32Array;
  tokens: Tokens;
  /** The model's word cache (word-buckets.ts), reserved for the document; null when it does not fit. */
  words: WordBuckets | null;
}

/**
 * A stamp per bucket (2^bits): bucket i is in the current piece when `stamps[i] === stamp`, so nothing is
 * cleared between pieces. Then the piece's buckets whose weights are left to settle, and the word buffer.
 */
let stamps = new Uint8Array(1);
/** The current piece's stamp (1-255); stamps are cleared when it wraps. */
let stamp = 0;
let fresh = new Uint32Array(1024);
let word = new Uint16Array(256);

/** Sizes the buffers for a document of `length` units in `count` pieces. */
export function reserveScan(bits: number, length: number, count: number): void {
  if (stamps.length < 2 ** bits) {
    stamps = new Uint8Array(2 ** bits);
    stamp = 0;
  }
  // A word of L units has at most 3L char grams, a unigram and a bigram; then the deferred bigram.
  const most = Math.min(5 * length + 16, 2 ** bits);
  if (fresh.length < most) fresh = new Uint32Array(Math.max(most, fresh.length * 2));
  if (word.length < length + 2) word = new Uint16Array(length + 2);
  if (scanned.shape.length < count) {
    const size = count * 2;
    scanned.shape = new Uint8Array(size);
    scanned.cues = new Uint8Array(size);
    scanned.sum = new Float64Array(size);
    scanned.magnitude = new Float64Array(size);
    scanned.count = new Int32Array(size);
    scanned.last = new Int32Array(size);
    scanned.own = new Int32Array(size);
    scanned.soup = new Int32Array(size);
    scanned.tokens = new Int32Array(size);
    scanned.suspectFrom = new Int32Array(size + 1);
  }
  scanned.suspectFrom[0] = 0;
}

const EMPTY = new Int32Array(0);
const NO_WEIGHTS = new Float32Array(0);
const NO_CODES = new Uint16Array(0);
const NO_BYTES = new Uint8Array(0);

/** Marks bucket `index`: when new, lists it at `fresh[count]` and returns `count + 1`. */
function mark(index: number, count: number): number {
  if (stamps[index] === stamp) return count;
  stamps[index] = stamp;
  fresh[count] = index;
  return count + 1;
}

function has(index: number): boolean {
  return stamps[index] === stamp;
}

/**
 * True when `text[i]` (`unit`, one of # ` - = | > [) and a neighbour read as the start of a punctuation
 * cue: a doubled # ` - = (### ``` --- ===), `<|`, `|>`, or `[` before i or / ([inst], [/inst], any case).
 * Every cue in a piece shows this way inside one part, so a piece where none does holds no cue.
 */
function cueAt(text: string, i: number, unit: number): boolean {
  const before = text.charCodeAt(i - 1);
  if (unit === 124) return before === 60;
  if (unit === 62) return before === 124;
  if (unit === 91) {
    const after = text.charCodeAt(i + 1);
    return after === 105 || after === 73 || after === 47;
  }
  return before === unit;
}

/** A new stamp for the next piece (no bucket carries it yet). */
function nextStamp(): void {
  if (stamp === 255) {
    stamps.fill(0);
    stamp = 0;
  }
  stamp++;
}

/**
 * Scans piece `p` of `spans` over `text` (`lowered` its unit-by-unit lowercase) into `scanned[p]`, feeding
 * its words and letter runs to the cue stream (cue-stream.ts, begun by the caller).
 */
export function scanPiece(text: string, lowered: string, spans: PieceSpans, p: number, context: ScanContext): void {
  nextStamp();
  const mask = (1 << context.bits) - 1;
  const { first, starts, ends } = spans;
  const info = INFO;
  const classOf = CLASS;
  const step = SOUP_STEP;
  const soupClass = SOUP_CLASS;
  const verdict = SOUP_VERDICT;
  const codes = word;
  beginPieceCues(p, endsWithQuestion(text, spans, p));
  const cache = context.words;
  const from = cache === null ? EMPTY : cache.from;
  const listedBuckets = cache === null ? EMPTY : cache.buckets;
  const listedWeights = cache === null ? NO_WEIGHTS : cache.weights;
  const listedSuspects = cache === null ? EMPTY : cache.suspects;
  const slots = cache === null ? EMPTY : cache.slots;
  const codeFrom = cache === null ? EMPTY : cache.codeFrom;
  const pool = cache === null ? NO_CODES : cache.codes;
  const lexicons = cache === null ? NO_BYTES : cache.lexicon;
  const marks = stamps;
  const current = stamp;
  let suspect = reserveSuspects(p, 5 * (ends[first[p + 1]! - 1]! - starts[first[p]!]!) + 16);
  const suspects = scanned.suspects;
  // Buckets summed as met (counted) and their sums; buckets left to settle (`fresh[0, n)`).
  let counted = 0;
  let sum = 0;
  let magnitude = 0;
  let n = 0;
  let bars = 0;
  let symbols = 0;
  let length = first[p + 1]! - first[p]! - 1;
  let words = 0;
  let firstHash = 0;
  let previous = 0;
  let soupBits = 0;
  let tokens = 0;
  // The open token's SOUP_STEP state (0: none open).
  let soupState = 0;
  let hinted = false;
  codes[0] = 32;
  for (let k = first[p]!; k < first[p + 1]!; k++) {
    const end = ends[k]!;
    length += end - starts[k]!;
    let size = 0;
    let kinds = 0;
    let h = FNV_OFFSET | 0;
    // One step past the part's end closes its last word and token.
    for (let i = starts[k]!; i <= end; i++) {
      let g = SPACE;
      if (i < end) {
        const unit = text.charCodeAt(i);
        if (unit < 128) g = info[unit]!;
        else {
          // Not ASCII: soup class OTHER, no shape symbol; a word char (class of its lowercase) that needs the letter-run search.
          const code = lowered.charCodeAt(i);
          const kind = classOf[code]!;
          g = (code << CODE_SHIFT) | (kind === 0 ? 0 : kind | NOT_AZ);
        }
      }
      const kind = g & 15;
      if (kind !== 0) {
        // A word char (never a space): one soup step, and onto the word.
        soupState = step[soupState | ((g >> SOUP_SHIFT) & 7)]!;
        kinds |= kind;
        const code = g >>> CODE_SHIFT;
        codes[++size] = code;
        h = Math.imul(h ^ code, FNV_PRIME);
        // Then the lowercase ASCII letters after it, the common case, the same steps without the INFO lookup.
        for (let next = i + 1 < end ? text.charCodeAt(i + 1) : 0; next >= 97 && next <= 122; next = i + 1 < end ? text.charCodeAt(i + 1) : 0) {
          i++;
          soupState = step[soupState | soupClass[next]!]!;
          kinds |= WORD | LETTER;
          codes[++size] = next;
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
      // Bars and shape symbols are not word chars.
      bars += (g >> BAR_SHIFT) & 1;
      symbols += (g >> SYMBOL_SHIFT) & 1;
      if ((g & PUNCT_UNIT) !== 0 && cueAt(text, i, g >>> CODE_SHIFT)) hinted = true;
      if (size === 0) continue;
      // A word in codes[1, size] at text[wordAt, wordAt + size). Its letter runs go to the cue stream (an a-z word is
      // one run, hashed alike), then it is read as collect reads it (leet folded, hashed, space-padded char grams).
      const wordAt = i - size;
      const az = (kinds & NOT_AZ) === 0;
      if (!az) {
        if ((kinds & LETTER) !== 0) cueRunsIn(lowered, wordAt, i);
        if ((kinds & (LETTER | LEETCHAR)) === (LETTER | LEETCHAR)) {
          foldLeet(codes, 1, size + 1);
          h = FNV_OFFSET | 0;
          for (let j = 1; j <= size; j++) h = Math.imul(h ^ codes[j]!, FNV_PRIME);
        }
      }
      let entry = -1;
      if (cache !== null && size <= LONGEST) {
        // WordBuckets.entry's probe, inline: a word met before is found here, a new one is added there.
        const key = size << 16;
        for (let slot = h & SLOT_MASK, packed = slots[2 * slot + 1]!; packed !== 0; slot = (slot + 1) & SLOT_MASK, packed = slots[2 * slot + 1]!) {
          if (slots[2 * slot] !== h || (packed & ~0xffff) !== key) continue;
          const found = (packed & 0xffff) - 1;
          const at = codeFrom[found]! - 1;
          let j = 1;
          while (j <= size && pool[at + j] === codes[j]) j++;
          if (j > size) {
            entry = found;
            break;
          }
        }
        if (entry < 0) entry = cache.entry(codes, size, h);
        if (az) cueEntry(entry, size, lexicons[entry]!);
      } else if (az) cueRun(lowered, wordAt, size, h, true);
      // The first word's bigram joins it to the piece token, whose shape is known at the end.
      if (words++ === 0) firstHash = h;
      else n = mark((Math.imul(previous, 31) ^ h ^ BIGRAM_SALT) & mask, n);
      previous = h;
      if (entry >= 0) {
        // The word's unigram and char grams with their weights, from the cache: new ones are summed (or listed as suspects) here.
        const split = listedSuspects[entry]!;
        for (let j = from[entry]!; j < split; j++) {
          const index = listedBuckets[j]!;
          if (marks[index] === current) continue;
          marks[index] = current;
          counted++;
          const weight = listedWeights[j]!;
          sum += weight;
          magnitude += Math.abs(weight);
        }
        for (let j = split, last = from[entry + 1]!; j < last; j++) {
          const index = listedBuckets[j]!;
          if (marks[index] === current) continue;
          marks[index] = current;
          counted++;
          suspects[suspect++] = index;
        }
      } else {
        n = mark((h ^ UNIGRAM_SALT) & mask, n);
        // Without the cache (long words, long texts); words past 64 units (CJK runs) are read unpadded, as collect does.
        codes[size + 1] = 32;
        const from = size > 64 ? 1 : 0;
        const to = size > 64 ? size + 1 : size + 2;
        const grams = gramBuffer(to - from);
        for (let g = 0, count = charGramBuckets(codes, from, to, mask, grams); g < count; g++) n = mark(grams[g]!, n);
        codes[0] = 32;
      }
      size = 0;
      kinds = 0;
      h = FNV_OFFSET | 0;
    }
  }
  const shape = bars >= 2 ? 0 : symbols / Math.max(1, length) > 0.04 ? 1 : 2;
  const tokensOf = context.tokens;
  const shapeHash = tokensOf.pieces[shape]!.hash;
  if (words > 0) n = mark((Math.imul(shapeHash, 31) ^ firstHash ^ BIGRAM_SALT) & mask, n);
  else previous = shapeHash;
  // Which buckets the caller may add later this piece already has.
  let own = 0;
  const cueHashes = tokensOf.firstCueHashes;
  for (let c = 0; c < cueHashes.length; c++) if (has((Math.imul(previous, 31) ^ cueHashes[c]! ^ BIGRAM_SALT) & mask)) own |= 1 << c;
  if (hinted) {
    own |= OWN_HINTED;
    for (let c = 0; c < PUNCT_CUES.length; c++) if (has(PUNCT_HASHES[c]! & mask)) own |= 1 << (OWN_PUNCT + c);
  }
  for (let level = 1; level <= 3; level++) if (has(LEVEL_HASHES[level - 1]! & mask)) own |= 1 << (OWN_LEVEL + level);
  scanned.shape[p] = shape;
  scanned.cues[p] = endPieceCues();
  scanned.last[p] = previous;
  scanned.own[p] = own;
  scanned.soup[p] = soupBits;
  scanned.tokens[p] = tokens;
  scanned.count[p] = n + counted;
  settle(p, n, context, sum, magnitude, suspect);
}

/** Makes room for `most` more suspects after piece p's start; returns that start. */
function reserveSuspects(p: number, most: number): number {
  const at = scanned.suspectFrom[p]!;
  if (scanned.suspects.length < at + most) {
    const grown = new Uint32Array(Math.max(at + most, scanned.suspects.length * 2));
    grown.set(scanned.suspects.subarray(0, at));
    scanned.suspects = grown;
  }
  return at;
}

/** Adds the weights of `fresh[0, n)` to piece p's sums so far (its suspects listed from `at` on) and stores them. */
function settle(p: number, n: number, context: ScanContext, sum: number, magnitude: number, at: number): void {
  const weights = context.weights;
  const filter = context.tokens.filter;
  const list = fresh;
  const suspects = scanned.suspects;
  for (let i = 0; i < n; i++) {
    const index = list[i]!;
    if ((filter[index >>> 5]! & (1 << (index & 31))) !== 0) {
      suspects[at++] = index;
      continue;
    }
    const weight = weights[index] ?? 0;
    sum += weight;
    magnitude += Math.abs(weight);
  }
  scanned.sum[p] = sum;
  scanned.magnitude[p] = magnitude;
  scanned.suspectFrom[p + 1] = at;
}
