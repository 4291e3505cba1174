/**
 * The constant tokens of the indirect piece texts (piece-features.ts): every piece text is
 * `qqdoc<dominant> qqpiece<shape> <parts> <cue tokens>`, so the buckets of its register and cue tokens
 * depend only on the combination (dominant shape, piece shape, cue flags), 3 x 3 x 32 of them. Each
 * combination's buckets are computed once per bucket count and their weight sums once per weights array.
 */
import { SHAPES } from './segments.ts';
import { cueTokens } from './piece-cues.ts';
import { soupToken } from './gibberish.ts';
import { BIGRAM_SALT, featurize, FNV_OFFSET, FNV_PRIME } from './features.ts';

/** A constant token of the piece texts: its word hash, unigram and char-gram buckets, and gibberish verdict. */
export interface Token {
  hash: number;
  buckets: Uint32Array;
  soup: boolean;
}

/** Combinations: key `(dominant * 3 + shape) * 32 + cueFlags`. */
export const COMBINATIONS = 3 * 3 * 32;

/** The first cue tokens a piece can have (FIRST_CUES[i] is bit i of a piece's own-bucket bits, piece-scan.ts). */
export const FIRST_CUES = ['qqask', 'qqnovel', 'qqfresh', 'qqreplyref'] as const;

/** The register tokens by shape (SHAPES order), the cue tokens of every cue-flags value, and the constant buckets. */
export interface Tokens {
  docs: Token[];
  pieces: Token[];
  cues: Token[][];
  /** The word hashes of FIRST_CUES. */
  firstCueHashes: Int32Array;
  /** By cue flags: the index in FIRST_CUES of the first cue token, -1 without cue tokens. */
  firstCue: Int8Array;
  /** By cue flags: how many cue tokens, and how many of them are soup (gibberish.ts). */
  cueCount: Uint8Array;
  cueSoup: Uint8Array;
  /** By combination: the buckets every piece of it has (see constantBuckets), sorted and unique. */
  constants: Uint32Array[];
  /** By combination: the same buckets in an open-addressed set (see holds). */
  sets: Int32Array[];
  /** Every constant bucket of every combination, one bit each: one lookup rules most of a piece's buckets out. */
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

/** The tokens for 2^bits buckets (computed once per bits). */
export function tokensFor(bits: number): Tokens {
  let tokens = tokenCache.get(bits);
  if (tokens) return tokens;
  const docs = SHAPES.map((shape) => tokenOf(`qqdoc${shape}`, bits));
  const pieces = SHAPES.map((shape) => tokenOf(`qqpiece${shape}`, bits));
  const byText = new Map<string, Token>();
  const cues: Token[][] = [];
  const firstCue = new Int8Array(32);
  const cueCount = new Uint8Array(32);
  const cueSoup = new Uint8Array(32);
  for (let flags = 0; flags < 32; flags++) {
    const names = cueTokens(flags);
    cues.push(names.map((cue) => byText.get(cue) ?? byText.set(cue, tokenOf(cue, bits)).get(cue)!));
    firstCue[flags] = names.length === 0 ? -1 : FIRST_CUES.indexOf(names[0] as (typeof FIRST_CUES)[number]);
    if (names.length > 0 && firstCue[flags]! < 0) throw new Error(`piece-tokens: unexpected first cue ${names[0]}`);
    cueCount[flags] = names.length;
    cueSoup[flags] = cues[flags]!.filter((token) => token.soup).length;
  }
  const firstCueHashes = Int32Array.from(FIRST_CUES, (cue) => tokenOf(cue, bits).hash);
  const filter = new Int32Array(Math.max(1, 2 ** bits / 32));
  const constants: Uint32Array[] = [];
  const sets: Int32Array[] = [];
  for (let key = 0; key < COMBINATIONS; key++) {
    const buckets = constantBuckets(docs[Math.floor(key / 96)]!, pieces[Math.floor(key / 32) % 3]!, cues[key % 32]!, bits);
    for (const index of buckets) filter[index >>> 5] = filter[index >>> 5]! | (1 << (index & 31));
    constants.push(buckets);
    sets.push(setOf(buckets));
  }
  tokens = { docs, pieces, cues, firstCueHashes, firstCue, cueCount, cueSoup, constants, sets, filter };
  tokenCache.set(bits, tokens);
  return tokens;
}

/**
 * The buckets every piece of one combination has, sorted and unique: both register tokens' unigrams
 * and char grams and their bigram, the cue tokens' and the bigrams between them. Only the bigrams
 * joining them to the piece's own words vary (piece-scan.ts marks those).
 */
function constantBuckets(doc: Token, piece: Token, cues: Token[], bits: number): Uint32Array {
  const mask = (1 << bits) - 1;
  const set = new Set<number>([...doc.buckets, ...piece.buckets, (Math.imul(doc.hash, 31) ^ piece.hash ^ BIGRAM_SALT) & mask]);
  for (let c = 0; c < cues.length; c++) {
    for (const bucket of cues[c]!.buckets) set.add(bucket);
    if (c > 0) set.add((Math.imul(cues[c - 1]!.hash, 31) ^ cues[c]!.hash ^ BIGRAM_SALT) & mask);
  }
  return Uint32Array.from(set).sort();
}

/** Each combination's constant buckets' weights, summed in ascending order, and their magnitudes. */
export interface ConstantSums {
  sum: Float64Array;
  magnitude: Float64Array;
}

/** Constant sums per weights array (and bucket count: the tokens' buckets depend on it). */
const sumCache = new WeakMap<Float32Array, Map<number, ConstantSums>>();

/** `weights`' constant sums for `tokens` (computed once per weights array and bits). */
export function constantSums(weights: Float32Array, bits: number, tokens: Tokens): ConstantSums {
  let byBits = sumCache.get(weights);
  if (!byBits) sumCache.set(weights, (byBits = new Map()));
  let sums = byBits.get(bits);
  if (sums) return sums;
  sums = { sum: new Float64Array(COMBINATIONS), magnitude: new Float64Array(COMBINATIONS) };
  for (let key = 0; key < COMBINATIONS; key++) {
    let sum = 0;
    let magnitude = 0;
    for (const index of tokens.constants[key]!) {
      sum += weights[index] ?? 0;
      magnitude += Math.abs(weights[index] ?? 0);
    }
    sums.sum[key] = sum;
    sums.magnitude[key] = magnitude;
  }
  byBits.set(bits, sums);
  return sums;
}

/** Slot of `index` in a set of `mask + 1` slots (a multiplicative hash: the high bits of the product). */
function slotOf(index: number, mask: number): number {
  return (Math.imul(index, 0x9e3779b1) >>> 16) & mask;
}

/** `buckets` in an open-addressed set: slots hold bucket + 1 (0: empty), at most a quarter full. */
function setOf(buckets: Uint32Array): Int32Array {
  let size = 16;
  while (size < 4 * buckets.length) size *= 2;
  const set = new Int32Array(size);
  for (const index of buckets) {
    let slot = slotOf(index, size - 1);
    while (set[slot] !== 0) slot = (slot + 1) & (size - 1);
    set[slot] = index + 1;
  }
  return set;
}

/** True when `set` (a combination's, see Tokens.sets) holds bucket `index`. */
export function holds(set: Int32Array, index: number): boolean {
  const mask = set.length - 1;
  for (let slot = slotOf(index, mask); ; slot = (slot + 1) & mask) {
    const value = set[slot]!;
    if (value === index + 1) return true;
    if (value === 0) return false;
  }
}
