/**
 * A greedy left-to-right token tagger (averaged perceptron over hashed features) for the entity
 * types that have no checksum: people, addresses, places, organisations and their neighbours.
 * Features are numbers mixed from per-token hashes, so tagging allocates nothing per token.
 * The weights are trained by `scripts/train-pii.ts` and stored in `models/pii-tagger.json`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FUNCTION_WORDS, gazetteerBit, gazetteerBits } from './gazetteer.ts';
import { F_ALLCAP, F_CAP, F_HASDIGIT, F_LINESTART, F_LOWER, K_PUNCT, type Tokens, wordHash } from './tokens.ts';

/** Tagger labels; `X` marks tokens of structured types (found by the recognisers instead). */
export const TAGGER_LABELS = ['O', 'PERSON', 'STREET_ADDRESS', 'LOCATION', 'ORGANIZATION', 'TITLE', 'AGE', 'NRP', 'DATE_TIME', 'ZIP_CODE', 'X'] as const;
export type TaggerLabel = (typeof TAGGER_LABELS)[number];
/** 11: `scoreFeatures` is unrolled for exactly this many labels. */
export const LABEL_COUNT = TAGGER_LABELS.length;
if (LABEL_COUNT !== 11) throw new Error('pii tagger: scoreFeatures is unrolled for 11 labels');
export const FEATURES_PER_TOKEN = 16;

export interface TaggerModel {
  bits: number;
  /** Hashes of the words frequent enough in training to be features themselves; others count as unknown. */
  known: ReadonlySet<number>;
  /** Dense weights quantised to 16 bits (small enough to stay in cache): bucket * LABEL_COUNT + label. */
  weights: Int16Array;
  /** Quantised units per weight unit. */
  scale: number;
}

/** The word feature of an unknown word or of a position outside the text. */
export const NONE = 0x2545f491;
export const FIRST_FEATURE_WORDS_LIMIT = 3;

/** Multiplicative hashing: cheap, and the high bits (used as the bucket) mix well. */
export function mix(template: number, value: number): number {
  return Math.imul(value ^ Math.imul(template + 1, 0x27d4eb2d), 0x9e3779b1) ^ (value >>> 16);
}

/**
 * Per-token lookups done once per text: the word feature (NONE for unknown words), gazetteer bits
 * and the position in the sentence.
 */
export interface TokenContext {
  word: Int32Array;
  gaz: Int32Array;
  /** Tokens since the sentence began (capped at FIRST_FEATURE_WORDS_LIMIT), see `sentencePositions`. */
  sent: Int32Array;
}

/** A fresh context for up to `size` tokens. */
export function tokenContext(size: number): TokenContext {
  return { word: new Int32Array(size), gaz: new Int32Array(size), sent: new Int32Array(size) };
}

/** Token hashes of the punctuation after which a capital letter is expected: . ! ? and : */
const SENTENCE_BREAKS = new Set(['.', '!', '?', ':'].map((c) => wordHash(c)));

/**
 * Fills `sent` with each token's position in its sentence, capped at FIRST_FEATURE_WORDS_LIMIT: a
 * sentence starts the text, a line, or follows . ! ? or : (so "say: Hello" puts Hello where a
 * capital says nothing about being a name, as at the start of the text).
 */
export function sentencePositions(t: Tokens, sent: Int32Array): void {
  let at = 0;
  for (let i = 0; i < t.count; i++) {
    if (i === 0 || t.flags[i]! & F_LINESTART || (t.kind[i - 1] === K_PUNCT && SENTENCE_BREAKS.has(t.hash[i - 1]!))) at = 0;
    sent[i] = at < FIRST_FEATURE_WORDS_LIMIT ? at : FIRST_FEATURE_WORDS_LIMIT;
    at++;
  }
}

/** Fills `ctx` for the tokens of `t`; `useWord(hash)` says whether a word's identity is a feature. */
export function prepareTokens(t: Tokens, useWord: (hash: number) => boolean, ctx: TokenContext): void {
  for (let i = 0; i < t.count; i++) {
    const h = t.hash[i]!;
    ctx.word[i] = useWord(h) ? h : NONE;
    ctx.gaz[i] = gazetteerBits(h);
  }
  sentencePositions(t, ctx.sent);
}

/**
 * Writes the feature hashes of token `i` into `out` (length FEATURES_PER_TOKEN). `prev`/`prev2` are
 * the labels already given to the two previous tokens; `ctx` comes from `prepareTokens` (training
 * drops rare words so the model cannot memorise them).
 */
export function tokenFeatures(t: Tokens, i: number, prev: number, prev2: number, out: Int32Array, ctx: TokenContext): void {
  const n = t.count;
  const words = ctx.word;
  const wm1 = i > 0 ? words[i - 1]! : NONE;
  const wp1 = i + 1 < n ? words[i + 1]! : NONE;
  const wm2 = i > 1 ? words[i - 2]! : NONE;
  const wp2 = i + 2 < n ? words[i + 2]! : NONE;
  const s0 = t.shape[i]!;
  const sm1 = i > 0 ? t.shape[i - 1]! : NONE;
  const sp1 = i + 1 < n ? t.shape[i + 1]! : NONE;
  const f0 = t.flags[i]!;
  const g0 = ctx.gaz[i]!;
  const gm1 = i > 0 ? ctx.gaz[i - 1]! : 0;
  const gp1 = i + 1 < n ? ctx.gaz[i + 1]! : 0;
  // gap to the previous token: 0 none, 1 space, 2 newline
  const gap = i === 0 ? 3 : f0 & F_LINESTART ? 2 : t.start[i]! > t.end[i - 1]! ? 1 : 0;
  const capsNext = i + 1 < n ? t.flags[i + 1]! & F_CAP : 0;
  // Template ids (the first argument of mix) are kept from the 18-template model; 3 (prefix) and
  // 14 (shape trigram) were dropped (ADR 0006, third update).
  out[0] = mix(0, 1);
  out[1] = mix(1, words[i]!);
  out[2] = mix(2, s0);
  out[3] = mix(4, t.suffix[i]!);
  out[4] = mix(5, wm1);
  out[5] = mix(6, wp1);
  out[6] = mix(7, mix(wm2, wp2));
  out[7] = mix(8, sm1 ^ (gm1 << 3));
  out[8] = mix(9, sp1 ^ (gp1 << 3));
  out[9] = mix(10, f0 * 8 + gap);
  out[10] = mix(11, g0 * 4 + ctx.sent[i]!);
  out[11] = mix(12, mix(prev, s0));
  out[12] = mix(13, prev * 16 + prev2);
  out[13] = mix(15, mix(wm1, s0));
  out[14] = mix(16, mix(s0, wp1));
  out[15] = mix(17, mix(prev, g0 * 2 + capsNext));
}

/** Margin (best label over O, in weight units) that maps to confidence 1/(1+e^-1) ≈ 0.73. */
export const CONFIDENCE_SCALE = 8;

/** Flags telling a capitalised word (first letter only, no digit). */
export const CUE_BITS = gazetteerBit('personCue') | gazetteerBit('placeCue') | gazetteerBit('ageCue');
/** Lists whose lowercase words ("in", "at", "name") are skipped after an O token (age words are scored: "age 44"). */
export const LOWER_CUE_BITS = gazetteerBit('personCue') | gazetteerBit('placeCue');
/**
 * Words before a colon that introduce what someone says or a field's value, not a name ("say:
 * Goodbye", "Status: Pending"). Not a gazetteer list: used by the skip rule only, not as a feature.
 */
export const SPEECH_WORDS: ReadonlySet<number> = new Set(
  'say says said saying tell tells told reply replies replied answer answers answered respond responds responded write writes wrote type types typed print prints printed output read reads message subject status priority result'
    .split(' ')
    .map((word) => wordHash(word)),
);
const SHAPE_FLAGS = F_CAP | F_ALLCAP | F_HASDIGIT;

/**
 * True for a token the tagger labels O without scoring, after an O token:
 * - punctuation, or a lowercase word in no gazetteer list but the person and place cue ones
 *   ("in", "at", "name"): such a token never starts an entity (name spans are trimmed of lowercase
 *   edge words anyway);
 * - a capitalised function word ("I", "The", "Please": `FUNCTION_WORDS`) in no list but the
 *   cue-word ones;
 * - a capitalised word in no list but the cue-word ones ("Thanks", "From") whose capital is the
 *   sentence's (`sentenceCapital`: "Note: Backups run...", "say: Goodbye"). A lone word after a
 *   colon that follows no speech or field word ("Answer: Paris", "Name: Boyle"), one before a
 *   comma or another capital ("founders: Monjeau, Graves"), and a word at the start of a text or
 *   line are still scored: records and signatures put names there.
 * A skipped token still informs its neighbours as a context feature. Most running prose is
 * skipped this way; training applies the same rule so the model never relies on them.
 */
export function skippable(t: Tokens, i: number, prev: number, ctx: TokenContext): boolean {
  if (prev !== 0) return false;
  // Punctuation never starts an entity.
  if (t.kind[i] === K_PUNCT) return true;
  const g = ctx.gaz[i]!;
  const f = t.flags[i]!;
  if (f & F_LOWER) return (g & ~LOWER_CUE_BITS) === 0;
  return (g & ~CUE_BITS) === 0 && (f & SHAPE_FLAGS) === F_CAP && (FUNCTION_WORDS.has(t.hash[i]!) || sentenceCapital(t, i, ctx));
}

const NAME_NEIGHBOUR = F_CAP | F_HASDIGIT;

/**
 * True for a capitalised word (first letter only, no digit) whose capital belongs to the sentence:
 * right after : ! ? or a sentence's full stop and followed by a lowercase word ("Note: Backups
 * run"), or right after a colon that follows a speech or field word and not followed by another
 * capitalised word or a number ("say: Goodbye", "Status: Pending.").
 */
export function sentenceCapital(t: Tokens, i: number, ctx: TokenContext): boolean {
  if ((t.flags[i]! & SHAPE_FLAGS) !== F_CAP || !afterSentenceBreak(t, i)) return false;
  const next = i + 1 < t.count ? t.flags[i + 1]! : 0;
  if (next & F_LOWER) return true;
  return !(next & NAME_NEIGHBOUR) && t.hash[i - 1] === COLON && i > 1 && SPEECH_WORDS.has(t.hash[i - 2]!);
}

const COLON = wordHash(':');
const FULL_STOP = wordHash('.');
const OTHER_BREAKS = new Set(['!', '?'].map((c) => wordHash(c)));

/**
 * True when token `i` follows : ! or ?, or a full stop after a lowercase word (so not "Mr." or
 * "U.N.", whose next word may well be a name).
 */
export function afterSentenceBreak(t: Tokens, i: number): boolean {
  if (i === 0 || t.kind[i - 1] !== K_PUNCT) return false;
  const h = t.hash[i - 1]!;
  if (h === COLON || OTHER_BREAKS.has(h)) return true;
  return h === FULL_STOP && i > 1 && (t.flags[i - 2]! & F_LOWER) !== 0;
}

/** Adds the weights of `features` into `scores` (length LABEL_COUNT); labels unrolled into locals so sums stay in registers. */
export function scoreFeatures(model: TaggerModel, features: Int32Array, scores: Float64Array): void {
  const shift = 32 - model.bits;
  const w = model.weights;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0, s8 = 0, s9 = 0, s10 = 0;
  for (let f = 0; f < FEATURES_PER_TOKEN; f++) {
    const b = (Math.imul(features[f]!, 0x85ebca6b) >>> shift) * 11;
    s0 += w[b]!;
    s1 += w[b + 1]!;
    s2 += w[b + 2]!;
    s3 += w[b + 3]!;
    s4 += w[b + 4]!;
    s5 += w[b + 5]!;
    s6 += w[b + 6]!;
    s7 += w[b + 7]!;
    s8 += w[b + 8]!;
    s9 += w[b + 9]!;
    s10 += w[b + 10]!;
  }
  scores[0] = s0;
  scores[1] = s1;
  scores[2] = s2;
  scores[3] = s3;
  scores[4] = s4;
  scores[5] = s5;
  scores[6] = s6;
  scores[7] = s7;
  scores[8] = s8;
  scores[9] = s9;
  scores[10] = s10;
}

/** The index of the feature bucket (for training). */
export function bucketOf(bits: number, feature: number): number {
  return Math.imul(feature, 0x85ebca6b) >>> (32 - bits);
}

const features = new Int32Array(FEATURES_PER_TOKEN);
const scores = new Float64Array(LABEL_COUNT);

/**
 * Tags every token: writes the label index into `labels` and a confidence in [0,1] (margin of the
 * best label over O, squashed) into `confidence`.
 */
let context: TokenContext = tokenContext(1024);

export function tagTokens(model: TaggerModel, t: Tokens, labels: Uint8Array, confidence: Float32Array): void {
  if (context.word.length < t.count) context = tokenContext(t.count * 2);
  prepareTokens(t, (hash) => model.known.has(hash), context);
  let prev = 0;
  let prev2 = 0;
  for (let i = 0; i < t.count; i++) {
    if (skippable(t, i, prev, context)) {
      labels[i] = 0;
      confidence[i] = 0;
      prev2 = prev;
      prev = 0;
      continue;
    }
    tokenFeatures(t, i, prev, prev2, features, context);
    scoreFeatures(model, features, scores);
    let best = 0;
    for (let l = 1; l < LABEL_COUNT; l++) if (scores[l]! > scores[best]!) best = l;
    labels[i] = best;
    confidence[i] = best === 0 ? 0 : 1 / (1 + Math.exp(-(scores[best]! - scores[0]!) / (CONFIDENCE_SCALE * model.scale)));
    prev2 = prev;
    prev = best;
  }
}

interface StoredModel {
  format: 'bulwark-pii-tagger/1';
  bits: number;
  labels: readonly string[];
  /** Non-zero weights: flat [index, weight * 1000, ...] where index = bucket * labels + label. */
  weights: number[];
  /** Hashes of the frequent (known) words. */
  known: number[];
  meta?: Record<string, unknown>;
}

/** Builds the dense model from its stored (sparse) form, checking it matches this code. */
export function modelFromStored(stored: StoredModel): TaggerModel {
  if (stored.format !== 'bulwark-pii-tagger/1') throw new Error(`pii tagger model: format must be bulwark-pii-tagger/1, got ${String(stored.format)}`);
  if (stored.labels.join(',') !== TAGGER_LABELS.join(',')) throw new Error('pii tagger model: labels differ from this code; retrain with npm run train:pii');
  let largest = 1;
  for (let k = 1; k < stored.weights.length; k += 2) largest = Math.max(largest, Math.abs(stored.weights[k]!));
  const scale = (32767 / largest) * 1000;
  const weights = new Int16Array((1 << stored.bits) * LABEL_COUNT);
  for (let k = 0; k + 1 < stored.weights.length; k += 2) weights[stored.weights[k]!] = Math.round((stored.weights[k + 1]! / 1000) * scale);
  return { bits: stored.bits, weights, scale, known: new Set(stored.known) };
}

/** The sparse stored form of dense weights (weights under `minAbs` dropped). */
export function storedFromWeights(bits: number, weights: Float32Array | Float64Array, known: readonly number[], minAbs: number, meta: Record<string, unknown>): StoredModel {
  const flat: number[] = [];
  for (let k = 0; k < weights.length; k++) {
    const value = Math.round(weights[k]! * 1000);
    if (Math.abs(weights[k]!) >= minAbs && value !== 0) flat.push(k, value);
  }
  return { format: 'bulwark-pii-tagger/1', bits, labels: TAGGER_LABELS, weights: flat, known: [...known].sort((a, b) => a - b), meta };
}

export const MODEL_PATH = fileURLToPath(new URL('../../../models/pii-tagger.json', import.meta.url));

let cached: TaggerModel | null | undefined;

/** The committed model, loaded once; null when the file is missing (the tagger is then off). */
export function defaultTaggerModel(): TaggerModel | null {
  if (cached !== undefined) return cached;
  try {
    cached = modelFromStored(JSON.parse(readFileSync(MODEL_PATH, 'utf8')) as StoredModel);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') cached = null;
    else throw error;
  }
  return cached;
}
