/**
 * The indirect detector's document score, `maxSegmentMargin` (detector.ts), computed in one pass: the
 * same double, bit for bit, as scoring every string of `piecesWithContext(text)` with
 * `model.segmentMargin` (the reference path, which training uses), at a fraction of the cost.
 *
 * Why no piece string is needed: a piece's text is `qqdoc<shape> qqpiece<shape> `, its parts joined by
 * single spaces, then ` ` and its cue tokens. In the document every part is bounded by whitespace or a
 * break character (segments.ts), so the piece's words, char grams, gibberish tokens, letter runs and
 * punctuation cues are the ones found inside its parts, plus constant ones for the register and cue
 * tokens (their buckets are precomputed per register and cue combination). That holds when the
 * document lowercases unit by unit as its pieces do: a document where lowercasing changes the length
 * or that has a capital sigma (lowercased by context) takes the reference path.
 *
 * Each piece's own buckets are deduplicated in a bitmap; their weights are summed in first-seen order
 * when the sum is provably exact (exactSumLimit, features.ts: then every order gives the same double),
 * otherwise sorted and merged with the constant buckets, the ascending order featureDot sums in.
 * piece-features.test.ts compares the result with the reference bit for bit.
 */
import type { InjectionModel } from './model.ts';
import { dominantShape, pieceSpans, piecesWithContext, SHAPES, spanShape, type PieceSpans } from './segments.ts';
import { cueTokens, spanCueFlags } from './piece-cues.ts';
import { GIBBERISH_WINDOW, levelOf, soupToken, tail, tailSoup } from './gibberish.ts';
import {
  ANY_PUNCT_CUE,
  BIGRAM_SALT,
  CLASS,
  featurize,
  FNV_OFFSET,
  FNV_PRIME,
  foldLeet,
  gibberishHash,
  GRAM_SEED,
  LEETCHAR,
  LETTER,
  normValue,
  PUNCT_CUES,
  PUNCT_HASHES,
  UNIGRAM_SALT,
} from './features.ts';

/** Capital sigma: lowercases by context (final sigma), which may differ between the document and a piece. */
const SIGMA = '\u03a3';
/** Most hash bits handled here (featureDot's bitmap limit). */
const MAX_BITS = 24;
/** featurize reads punctuation cues in the first this-many units of a piece's text. */
const PUNCT_WINDOW = 4096;

/** The highest piece margin of `text` under `model`'s segment model (-Infinity without one or without pieces). */
export function maxPieceMargin(model: InjectionModel, text: string): number {
  const weights = model.segmentWeights;
  const segment = model.meta.segment;
  if (!weights || !segment) return Number.NEGATIVE_INFINITY;
  const bits = model.meta.bits;
  // Bucket counts featureDot does not keep in a bitmap (no model uses them) take the reference path.
  if (!(bits >= 0 && bits <= MAX_BITS)) return referenceMaxMargin(model, text);
  const lowered = text.toLowerCase();
  if (lowered.length !== text.length || text.includes(SIGMA)) return referenceMaxMargin(model, text);
  const spans = pieceSpans(text);
  const count = spans.count;
  if (count === 0) return Number.NEGATIVE_INFINITY;
  ensureScratch(count, text.length);
  const counts = [0, 0, 0];
  for (let p = 0; p < count; p++) counts[(shapes[p] = spanShape(text, spans, p))]!++;
  const dominant = SHAPES.indexOf(dominantShape(counts[0]!, counts[1]!, counts[2]!));
  spanCueFlags(text, lowered, spans, cueFlags);
  punct.fill(0, 0, count);
  if (ANY_PUNCT_CUE.test(lowered) && !findPunct(lowered, spans, dominant)) return referenceMaxMargin(model, text);
  const tokens = tokensFor(bits);
  useBitmap(bits, text.length);
  const sums = constantSumsOf(weights);
  let best = Number.NEGATIVE_INFINITY;
  for (let p = 0; p < count; p++) {
    const sum = pieceSum(text, lowered, spans, p, tokens, dominant, bits, weights, model.segmentExactLimit, sums);
    const margin = segment.bias + sum * normValue(marked);
    if (margin > best) best = margin;
  }
  return best;
}

/** The reference: every piece string through model.segmentMargin (the fallback, and what the tests compare with). */
export function referenceMaxMargin(model: InjectionModel, text: string): number {
  if (!model.segmentWeights) return Number.NEGATIVE_INFINITY;
  let best = Number.NEGATIVE_INFINITY;
  for (const piece of piecesWithContext(text)) {
    const margin = model.segmentMargin(piece.text);
    if (margin > best) best = margin;
  }
  return best;
}

/** A constant token of the piece texts: its word hash, unigram and char-gram buckets, and gibberish verdict. */
interface Token {
  hash: number;
  buckets: Uint32Array;
  soup: boolean;
}

/** The register tokens by shape (SHAPES order) and the cue tokens of every cue-flags value. */
interface Tokens {
  docs: Token[];
  pieces: Token[];
  cues: Token[][];
  /** constantBuckets' results by combination (see there). */
  constants: (Uint32Array | undefined)[];
  /** Every constant bucket computed so far, one bit each: one lookup rules most own buckets out of a combination's constants. */
  filter: Int32Array;
}

const tokenCache = new Map<number, Tokens>();

function tokenOf(text: string, bits: number): Token {
  let hash = FNV_OFFSET | 0;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  // featurize of the lone token: its unigram and char grams (a lowercase-letter word has no cue or gibberish level).
  const { indices } = featurize(text, { bits, extra: [] });
  return { hash, buckets: indices, soup: soupToken(text, 0, text.length) };
}

function tokensFor(bits: number): Tokens {
  let tokens = tokenCache.get(bits);
  if (tokens) return tokens;
  const docs = SHAPES.map((shape) => tokenOf(`qqdoc${shape}`, bits));
  const pieces = SHAPES.map((shape) => tokenOf(`qqpiece${shape}`, bits));
  const byText = new Map<string, Token>();
  const cues: Token[][] = [];
  for (let flags = 0; flags < 32; flags++) {
    cues.push(cueTokens(flags).map((cue) => byText.get(cue) ?? byText.set(cue, tokenOf(cue, bits)).get(cue)!));
  }
  tokens = { docs, pieces, cues, constants: [], filter: new Int32Array(Math.max(1, 2 ** bits / 32)) };
  tokenCache.set(bits, tokens);
  return tokens;
}

/**
 * The buckets every piece of one register and cue combination has, sorted and unique: both register
 * tokens' unigrams and char grams and their bigram, the cue tokens' and the bigrams between them.
 * Only the bigrams joining them to the piece's own words vary (pieceSum marks those).
 */
function constantBuckets(tokens: Tokens, key: number, bits: number): Uint32Array {
  let constants = tokens.constants[key];
  if (constants) return constants;
  const mask = (1 << bits) - 1;
  const doc = tokens.docs[Math.floor(key / 96)]!;
  const piece = tokens.pieces[Math.floor(key / 32) % 3]!;
  const cues = tokens.cues[key % 32]!;
  const set = new Set<number>([...doc.buckets, ...piece.buckets, (Math.imul(doc.hash, 31) ^ piece.hash ^ BIGRAM_SALT) & mask]);
  for (let c = 0; c < cues.length; c++) {
    for (const bucket of cues[c]!.buckets) set.add(bucket);
    if (c > 0) set.add((Math.imul(cues[c - 1]!.hash, 31) ^ cues[c]!.hash ^ BIGRAM_SALT) & mask);
  }
  constants = Uint32Array.from(set).sort();
  tokens.constants[key] = constants;
  for (const index of constants) tokens.filter[index >>> 5] = tokens.filter[index >>> 5]! | (1 << (index & 31));
  return constants;
}

/** The weights of one combination's constant buckets: summed in ascending order, and their magnitudes. */
interface ConstantSums {
  sum: number;
  magnitude: number;
}

/** Constant sums per weights array, by combination key. */
const constantSumCache = new WeakMap<Float32Array, (ConstantSums | undefined)[]>();

/** `weights`' constant sums by combination key (filled by constantSums). */
function constantSumsOf(weights: Float32Array): (ConstantSums | undefined)[] {
  let byKey = constantSumCache.get(weights);
  if (!byKey) constantSumCache.set(weights, (byKey = []));
  return byKey;
}

function constantSums(byKey: (ConstantSums | undefined)[], key: number, constants: Uint32Array, weights: Float32Array): ConstantSums {
  let sums = byKey[key];
  if (sums) return sums;
  sums = { sum: 0, magnitude: 0 };
  for (const index of constants) {
    sums.sum += weights[index] ?? 0;
    sums.magnitude += Math.abs(weights[index] ?? 0);
  }
  byKey[key] = sums;
  return sums;
}

/** Per-document scratch: shapes, cue flags and punctuation-cue bits of each piece; the word buffer. */
let shapes = new Uint8Array(64);
let cueFlags = new Uint8Array(64);
let punct = new Uint8Array(64);
/** One word's codes at [1, length], with a space before and after (char grams read the padded word). */
let word = new Uint16Array(256);

function ensureScratch(count: number, length: number): void {
  if (shapes.length < count) {
    shapes = new Uint8Array(count * 2);
    cueFlags = new Uint8Array(count * 2);
    punct = new Uint8Array(count * 2);
  }
  if (word.length < length + 2) word = new Uint16Array(length + 2);
}

/**
 * Sets `punct[p]` bit i when piece p's text holds PUNCT_CUES[i] within its first PUNCT_WINDOW units.
 * A cue has no whitespace or break character, so each occurrence lies inside one part; false (take the
 * reference path) if one ever does not.
 */
function findPunct(lowered: string, spans: PieceSpans, dominant: number): boolean {
  const { first, starts, ends, count } = spans;
  const parts = first[count]!;
  for (let c = 0; c < PUNCT_CUES.length; c++) {
    const cue = PUNCT_CUES[c]!;
    for (let at = lowered.indexOf(cue); at >= 0; at = lowered.indexOf(cue, at + 1)) {
      // The last part starting at or before `at`, then its piece.
      let low = 0;
      let high = parts - 1;
      while (low < high) {
        const middle = (low + high + 1) >> 1;
        if (starts[middle]! <= at) low = middle;
        else high = middle - 1;
      }
      if (starts[low]! > at || at + cue.length > ends[low]!) return false;
      let piece = 0;
      let top = count - 1;
      while (piece < top) {
        const middle = (piece + top + 1) >> 1;
        if (first[middle]! <= low) piece = middle;
        else top = middle - 1;
      }
      // Offset in the piece text: the two register tokens and a space after each, earlier parts and their joins.
      let offset = 5 + SHAPES[dominant]!.length + 1 + 7 + SHAPES[shapes[piece]!]!.length + 1 + (at - starts[low]!);
      for (let k = first[piece]!; k < low; k++) offset += ends[k]! - starts[k]! + 1;
      if (offset + cue.length <= PUNCT_WINDOW) punct[piece] = punct[piece]! | (1 << c);
    }
  }
  return true;
}

/*
 * The piece's own buckets (all but the constant ones): deduplicated in a bitmap over the 2^bits
 * buckets and listed in first-seen order in `fresh`, through which the bitmap is cleared (all-zero
 * between pieces).
 */
let bitmap = new Int32Array(1);
let fresh = new Uint32Array(1024);
let dirty = false;
/** Unique buckets of the last piece (its own and the constant ones). */
let marked = 0;

function useBitmap(bits: number, length: number): void {
  if (dirty) bitmap.fill(0);
  // A word of L units has at most 3L char grams, a unigram and a bigram; then a cue bigram, punctuation cues and gibberish levels.
  const most = Math.min(5 * length + 16, 2 ** bits);
  if (fresh.length < most) fresh = new Uint32Array(Math.max(most, fresh.length * 2));
  if (bitmap.length < 2 ** bits / 32) bitmap = new Int32Array(Math.max(1, 2 ** bits / 32));
}

/** Marks bucket `index`: when new, lists it at `fresh[count]` and returns `count + 1`. */
function mark(index: number, count: number): number {
  const at = index >>> 5;
  const bit = 1 << (index & 31);
  const held = bitmap[at]!;
  if ((held & bit) !== 0) return count;
  bitmap[at] = held | bit;
  fresh[count] = index;
  return count + 1;
}

/** True when sorted `constants` holds `index`. */
function holds(constants: Uint32Array, index: number): boolean {
  let low = 0;
  let high = constants.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const value = constants[middle]!;
    if (value === index) return true;
    if (value < index) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}

/**
 * The piece's dot product: the weights of its `count` own buckets and of `constants` (sorted, unique),
 * each bucket once, summed in ascending bucket order as featureDot does. When the sum is provably
 * exact (exactSumLimit, features.ts) the order cannot change it, so the constant part comes
 * precomputed and the own buckets are summed as listed; otherwise they are sorted and merged with the
 * constants. Clears the bitmap; leaves the unique count in `marked`.
 */
function dot(weights: Float32Array, limit: number, count: number, constants: Uint32Array, filter: Int32Array, constant: ConstantSums): number {
  let sum = constant.sum;
  let magnitude = constant.magnitude;
  let overlap = 0;
  for (let i = 0; i < count; i++) {
    const index = fresh[i]!;
    bitmap[index >>> 5] = 0;
    if ((filter[index >>> 5]! & (1 << (index & 31))) !== 0 && holds(constants, index)) {
      overlap++;
      continue;
    }
    const weight = weights[index] ?? 0;
    sum += weight;
    magnitude += Math.abs(weight);
  }
  marked = count + constants.length - overlap;
  return magnitude < limit ? sum : orderedDot(weights, count, constants);
}

/** Sums `weights[index] ?? 0` over the union of `fresh[0, count)` and `constants` in ascending order. */
function orderedDot(weights: Float32Array, count: number, constants: Uint32Array): number {
  const own = fresh.subarray(0, count).sort();
  let sum = 0;
  let next = 0;
  for (let i = 0; i < count; i++) {
    const index = own[i]!;
    while (next < constants.length && constants[next]! < index) sum += weights[constants[next++]!] ?? 0;
    if (next < constants.length && constants[next] === index) next++;
    sum += weights[index] ?? 0;
  }
  while (next < constants.length) sum += weights[constants[next++]!] ?? 0;
  return sum;
}

/**
 * featureDot's sum for piece `p`, leaving its unique bucket count in `marked`: the constant buckets
 * of its register and cue tokens, and marked in the bitmap the parts' words as collect reads them
 * (unigrams, bigrams, char grams, the bigrams joining them to the tokens around), punctuation cues
 * and the gibberish level.
 */
function pieceSum(text: string, lowered: string, spans: PieceSpans, p: number, tokens: Tokens, dominant: number, bits: number, weights: Float32Array, limit: number, sums: (ConstantSums | undefined)[]): number {
  dirty = true;
  const mask = (1 << bits) - 1;
  const { first, starts, ends } = spans;
  const doc = tokens.docs[dominant]!;
  const shape = tokens.pieces[shapes[p]!]!;
  const cues = tokens.cues[cueFlags[p]!]!;
  const codes = word;
  const key = (dominant * 3 + shapes[p]!) * 32 + cueFlags[p]!;
  const constants = constantBuckets(tokens, key, bits);
  let n = 0;
  let previous = shape.hash;
  codes[0] = 32;
  for (let k = first[p]!; k < first[p + 1]!; k++) {
    let length = 0;
    let kinds = 0;
    let h = FNV_OFFSET | 0;
    // One step past the part's end closes its last word.
    for (let i = starts[k]!, end = ends[k]!; i <= end; i++) {
      const code = i < end ? lowered.charCodeAt(i) : 32;
      const kind = CLASS[code]!;
      if (kind !== 0) {
        kinds |= kind;
        codes[++length] = code;
        h = Math.imul(h ^ code, FNV_PRIME);
        continue;
      }
      if (length === 0) continue;
      // A word in codes[1, length]: as collect reads it (leet folded, hashed, space-padded char grams).
      if ((kinds & (LETTER | LEETCHAR)) === (LETTER | LEETCHAR)) {
        foldLeet(codes, 1, length + 1);
        h = FNV_OFFSET | 0;
        for (let j = 1; j <= length; j++) h = Math.imul(h ^ codes[j]!, FNV_PRIME);
      }
      n = mark((h ^ UNIGRAM_SALT) & mask, n);
      n = mark((Math.imul(previous, 31) ^ h ^ BIGRAM_SALT) & mask, n);
      previous = h;
      codes[length + 1] = 32;
      const from = length > 64 ? 1 : 0;
      const to = length > 64 ? length + 1 : length + 2;
      for (let s = from; s + 3 <= to; s++) {
        let g = Math.imul(Math.imul(Math.imul(GRAM_SEED ^ codes[s]!, FNV_PRIME) ^ codes[s + 1]!, FNV_PRIME) ^ codes[s + 2]!, FNV_PRIME);
        n = mark(g & mask, n);
        if (s + 3 < to) {
          g = Math.imul(g ^ codes[s + 3]!, FNV_PRIME);
          n = mark(g & mask, n);
          if (s + 4 < to) n = mark(Math.imul(g ^ codes[s + 4]!, FNV_PRIME) & mask, n);
        }
      }
      length = 0;
      kinds = 0;
      h = FNV_OFFSET | 0;
    }
  }
  if (cues.length > 0) n = mark((Math.imul(previous, 31) ^ cues[0]!.hash ^ BIGRAM_SALT) & mask, n);
  const punctBits = punct[p]!;
  if (punctBits !== 0) for (let c = 0; c < PUNCT_CUES.length; c++) if ((punctBits & (1 << c)) !== 0) n = mark(PUNCT_HASHES[c]! & mask, n);
  for (let level = gibberish(text, spans, p, doc, shape, cues); level >= 1; level--) n = mark(gibberishHash(level) & mask, n);
  const sum = dot(weights, limit, n, constants, tokens.filter, constantSums(sums, key, constants, weights));
  dirty = false;
  return sum;
}

/** gibberishLevel of piece p's text: its last tokens are the cue tokens, then the parts' tokens, then the register tokens. */
function gibberish(text: string, spans: PieceSpans, p: number, doc: Token, shape: Token, cues: Token[]): number {
  let tokens = 0;
  let soup = 0;
  for (let c = cues.length - 1; c >= 0 && tokens < GIBBERISH_WINDOW; c--, tokens++) if (cues[c]!.soup) soup++;
  for (let k = spans.first[p + 1]! - 1; k >= spans.first[p]! && tokens < GIBBERISH_WINDOW; k--) {
    tailSoup(text, spans.starts[k]!, spans.ends[k]!, GIBBERISH_WINDOW - tokens);
    tokens += tail.tokens;
    soup += tail.soup;
  }
  if (tokens < GIBBERISH_WINDOW) {
    tokens++;
    if (shape.soup) soup++;
  }
  if (tokens < GIBBERISH_WINDOW) {
    tokens++;
    if (doc.soup) soup++;
  }
  return levelOf(soup, tokens);
}
