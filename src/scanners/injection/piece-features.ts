/**
 * The indirect detector's document score, `maxSegmentMargin` (detector.ts), computed in one pass: the
 * same double, bit for bit, as scoring every string of `piecesWithContext(text)` with
 * `model.segmentMargin` (the reference path, which training uses), at a fraction of the cost.
 *
 * Why no piece string is needed: a piece's text is `qqdoc<shape> qqpiece<shape> `, its parts joined by
 * single spaces, then ` ` and its cue tokens. In the document every part is bounded by whitespace or a
 * break character (segments.ts), so the piece's words, char grams, gibberish tokens, letter runs and
 * punctuation cues are the ones found inside its parts, plus constant ones for the register and cue
 * tokens (piece-tokens.ts: their buckets and weight sums are precomputed per combination). That holds
 * when the document lowercases unit by unit as its pieces do: a document where lowercasing changes the
 * length or that has a capital sigma (lowercased by context) takes the reference path.
 *
 * piece-scan.ts reads each piece once, summing the weights of its own buckets as first met; this file
 * finishes each piece once the document's dominant shape and cue flags are known. featureDot sums in
 * ascending bucket order; the first-seen order gives the same double when the sum is provably exact
 * (exactSumLimit, features.ts), and a piece where it is not is scored by the reference path.
 * piece-features.test.ts compares the result with the reference bit for bit.
 */
import type { InjectionModel } from './model.ts';
import { dominantShape, pieceSpans, piecesWithContext, SHAPES, type PieceSpans } from './segments.ts';
import { cueTokens } from './piece-cues.ts';
import { beginCues, finishCues, lexiconOfCodes } from './cue-stream.ts';
import { GIBBERISH_WINDOW, levelOf } from './gibberish.ts';
import { ANY_PUNCT_CUE, BIGRAM_SALT, gibberishHash, normValue, PUNCT_CUES, PUNCT_HASHES, PUNCT_WINDOW } from './features.ts';
import { constantSums, holds, tokensFor, type ConstantSums, type Tokens } from './piece-tokens.ts';
import { wordBucketsOf, type WordBuckets } from './word-buckets.ts';
import { OWN_HINTED, OWN_LEVEL, OWN_PUNCT, reserveScan, scanned, scanPiece, type ScanContext } from './piece-scan.ts';

/** Capital sigma: lowercases by context (final sigma), which may differ between the document and a piece. */
const SIGMA = '\u03a3';
/** Most hash bits handled here (featureDot's bitmap limit). */
const MAX_BITS = 24;
/** Every occurrence of PUNCT_CUES (findPunct moves lastIndex on one unit at a time, so overlapping ones are found too). */
const PUNCT_SEARCH = new RegExp(ANY_PUNCT_CUE.source, 'g');
/** No punctuation cue in a piece (punctAt). */
const NONE = 0x7fffffff;
const LEVEL_HASHES = [0, gibberishHash(1), gibberishHash(2), gibberishHash(3)];

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
  if (punct.length < count) {
    punct = new Uint8Array(count * 2);
    punctAt = new Int32Array(count * 2 * PUNCT_CUES.length);
  }
  punct.fill(0, 0, count);
  const { context, finish, cache } = setupOf(model, weights, bits);
  const words = cache.reserve(text.length) ? cache : null;
  context.words = words;
  reserveScan(bits, text.length, count);
  beginCues(lowered, count, words);
  let table = 0;
  let code = 0;
  let hinted = 0;
  for (let p = 0; p < count; p++) {
    scanPiece(text, lowered, spans, p, context);
    const shape = scanned.shape[p]!;
    if (shape === 0) table++;
    else if (shape === 1) code++;
    hinted |= scanned.own[p]! & OWN_HINTED;
  }
  // Punctuation cues are searched only where the scan saw what starts one.
  if (hinted !== 0 && !findPunct(lowered, spans)) return referenceMaxMargin(model, text);
  const flags = scanned.cues;
  finishCues(text, lowered, spans, flags);
  finish.text = text;
  finish.spans = spans;
  finish.dominant = SHAPES.indexOf(dominantShape(table, code, count - table - code));
  let best = Number.NEGATIVE_INFINITY;
  for (let p = 0; p < count; p++) {
    const margin = pieceMargin(finish, p);
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

/** Per-document scratch: each piece's punctuation cues (bit i: PUNCT_CUES[i]) and where in its raw text each first occurs. */
let punct = new Uint8Array(64);
let punctAt = new Int32Array(64 * PUNCT_CUES.length);

/**
 * Sets `punct[p]` bit i when piece p holds PUNCT_CUES[i], with `punctAt[p * 8 + i]` its first offset in
 * the piece's raw text (its parts joined). A cue has no whitespace or break character, so each
 * occurrence lies inside one part, of a piece the scan hinted at (OWN_HINTED); false (take the
 * reference path) if one ever does not.
 */
function findPunct(lowered: string, spans: PieceSpans): boolean {
  const { first, starts, ends, count } = spans;
  const parts = first[count]!;
  const cues = PUNCT_CUES.length;
  let none = true;
  // One search finds every occurrence of every cue: no two cues start alike, and each search resumes one unit on.
  PUNCT_SEARCH.lastIndex = 0;
  for (let m = PUNCT_SEARCH.exec(lowered); m !== null; m = PUNCT_SEARCH.exec(lowered)) {
    const at = m.index;
    PUNCT_SEARCH.lastIndex = at + 1;
    const c = PUNCT_CUES.indexOf(m[0]);
    const cue = PUNCT_CUES[c]!;
    if (none) {
      punctAt.fill(NONE, 0, count * cues);
      none = false;
    }
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
    // Offset in the raw text: earlier parts and their joins.
    let offset = at - starts[low]!;
    for (let k = first[piece]!; k < low; k++) offset += ends[k]! - starts[k]! + 1;
    // The scan hints at every cue (piece-scan.ts); a piece it did not hint at has no ownership bits, so never trust one.
    if ((scanned.own[piece]! & OWN_HINTED) === 0) return false;
    punct[piece] = punct[piece]! | (1 << c);
    const slot = piece * cues + c;
    if (offset < punctAt[slot]!) punctAt[slot] = offset;
  }
  return true;
}

/** What finishing a document's pieces reads (per model, with the document's fields set per call). */
interface Finish {
  model: InjectionModel;
  text: string;
  spans: PieceSpans;
  tokens: Tokens;
  sums: ConstantSums;
  mask: number;
  /** The document's register (SHAPES index). */
  dominant: number;
}

/** What a model's documents share: the scan context and finish state (fields set per document) and the word cache. */
interface Setup {
  model: InjectionModel;
  context: ScanContext;
  finish: Finish;
  cache: WordBuckets;
}

/** Placeholder spans until a document sets its own. */
const NO_SPANS: PieceSpans = { count: 0, first: new Int32Array(1), starts: new Int32Array(0), ends: new Int32Array(0) };
/** The last model's setup (no lookups per document while the model stays the same; holds that one model). */
let lastSetup: Setup | null = null;

function setupOf(model: InjectionModel, weights: Float32Array, bits: number): Setup {
  if (lastSetup !== null && lastSetup.model === model && lastSetup.context.weights === weights && lastSetup.context.bits === bits) return lastSetup;
  const tokens = tokensFor(bits);
  const cache = wordBucketsOf(weights, bits, tokens.filter, lexiconOfCodes);
  const context: ScanContext = { bits, weights, tokens, words: null };
  const finish: Finish = { model, text: '', spans: NO_SPANS, tokens, sums: constantSums(weights, bits, tokens), mask: (1 << bits) - 1, dominant: 0 };
  lastSetup = { model, context, finish, cache };
  return lastSetup;
}

/** Buckets added at the end of a piece (at most a cue bigram, PUNCT_CUES and three levels). */
const added = new Int32Array(1 + 8 + 3);

/**
 * Piece p's margin from what scanPiece left: its combination's constant buckets and sums, its own
 * buckets less those among the constants, and the buckets that depend on the combination (the bigram
 * to the first cue token, punctuation cues within the window, gibberish levels) unless already there.
 */
function pieceMargin(finish: Finish, p: number): number {
  const { tokens, mask, dominant } = finish;
  const weights = finish.model.segmentWeights!;
  const flags = scanned.cues[p]!;
  const shape = scanned.shape[p]!;
  const key = (dominant * 3 + shape) * 32 + flags;
  const constants = tokens.constants[key]!;
  const set = tokens.sets[key]!;
  let sum = finish.sums.sum[key]! + scanned.sum[p]!;
  let magnitude = finish.sums.magnitude[key]! + scanned.magnitude[p]!;
  let marked = scanned.count[p]! + constants.length;
  const suspects = scanned.suspects;
  for (let i = scanned.suspectFrom[p]!, end = scanned.suspectFrom[p + 1]!; i < end; i++) {
    const index = suspects[i]!;
    if (holds(set, index)) {
      marked--;
      continue;
    }
    const weight = weights[index] ?? 0;
    sum += weight;
    magnitude += Math.abs(weight);
  }
  const own = scanned.own[p]!;
  let extra = 0;
  const cue = tokens.firstCue[flags]!;
  if (cue >= 0 && (own & (1 << cue)) === 0) added[extra++] = (Math.imul(scanned.last[p]!, 31) ^ tokens.firstCueHashes[cue]! ^ BIGRAM_SALT) & mask;
  const cues = punct[p]!;
  if (cues !== 0) {
    // Offset of the raw text in the piece text: the two register tokens and a space after each.
    const prefix = 5 + SHAPES[dominant]!.length + 1 + 7 + SHAPES[shape]!.length + 1;
    for (let c = 0; c < PUNCT_CUES.length; c++) {
      if ((cues & (1 << c)) === 0 || (own & (1 << (OWN_PUNCT + c))) !== 0) continue;
      if (prefix + punctAt[p * PUNCT_CUES.length + c]! + PUNCT_CUES[c]!.length <= PUNCT_WINDOW) added[extra++] = PUNCT_HASHES[c]! & mask;
    }
  }
  for (let level = gibberish(finish, p, flags, shape); level >= 1; level--) if ((own & (1 << (OWN_LEVEL + level))) === 0) added[extra++] = LEVEL_HASHES[level]! & mask;
  for (let i = 0; i < extra; i++) {
    const index = added[i]!;
    let seen = holds(set, index);
    for (let j = 0; j < i && !seen; j++) seen = added[j] === index;
    if (seen) continue;
    const weight = weights[index] ?? 0;
    sum += weight;
    magnitude += Math.abs(weight);
    marked++;
  }
  const segment = finish.model.meta.segment!;
  if (!(magnitude < finish.model.segmentExactLimit)) return finish.model.segmentMargin(pieceText(finish, p, flags, shape));
  return segment.bias + sum * normValue(marked);
}

/** gibberishLevel of piece p's text: its last tokens are the cue tokens, then the parts' tokens, then the register tokens. */
function gibberish(finish: Finish, p: number, flags: number, shape: number): number {
  const tokens = finish.tokens;
  let count = tokens.cueCount[flags]!;
  let soup = tokens.cueSoup[flags]!;
  const fromParts = Math.min(scanned.tokens[p]!, GIBBERISH_WINDOW - count);
  if (fromParts > 0) soup += ones(scanned.soup[p]! & (fromParts >= 32 ? -1 : (1 << fromParts) - 1));
  count += Math.max(fromParts, 0);
  if (count < GIBBERISH_WINDOW) {
    count++;
    if (tokens.pieces[shape]!.soup) soup++;
  }
  if (count < GIBBERISH_WINDOW) {
    count++;
    if (tokens.docs[finish.dominant]!.soup) soup++;
  }
  return levelOf(soup, count);
}

/** Set bits of a 32-bit integer. */
function ones(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** Piece p's piecesWithContext string (for the reference path). */
function pieceText(finish: Finish, p: number, flags: number, shape: number): string {
  const { text, spans } = finish;
  const parts: string[] = [];
  for (let k = spans.first[p]!; k < spans.first[p + 1]!; k++) parts.push(text.slice(spans.starts[k]!, spans.ends[k]!));
  const cues = cueTokens(flags).join(' ');
  return `qqdoc${SHAPES[finish.dominant]} qqpiece${SHAPES[shape]} ${parts.join(' ')}${cues ? ` ${cues}` : ''}`;
}
