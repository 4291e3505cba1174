/**
 * The tagger's inference loop, compiled for speed: the same labels and confidences as the plain
 * `tagTokens` in `tagger.ts` (a test checks they agree), from a model laid out for lookups.
 * - Word identity ("known" word) and gazetteer bits come from one open-addressing table of hashes
 *   instead of a Set and a Map per token.
 * - Only about a fifth of the 2^bits feature buckets have a non-zero weight: a 16-bit row index per
 *   bucket (0 = all zero) points into a compact table of the non-zero rows, so a feature that hits
 *   an empty bucket costs one small load, and the weights touched stay in cache.
 * - The bias feature (the same for every token) is summed once per model.
 * - Where WebAssembly with SIMD is available (Node 20 has it), the model also gets the kernels of
 *   `wasm-tagger.ts` (character counts, tokenizer, this loop), reached through `kernelOf` (see
 *   `tag-text.ts`); the JavaScript loop below is the fallback.
 */
import { FUNCTION_WORDS, gazetteerBit, gazetteerTable } from './gazetteer.ts';
import { CONFIDENCE_SCALE, CUE_BITS, LOWER_CUE_BITS, FEATURES_PER_TOKEN, FIRST_FEATURE_WORDS_LIMIT, LABEL_COUNT, NONE, sentenceCapital, SPEECH_WORDS, tokenContext, tokenFeatures, type TaggerModel, type TokenContext } from './tagger.ts';
import { F_ALLCAP, F_CAP, F_HASDIGIT, F_LINESTART, F_LOWER, K_PUNCT, type Tokens, wordHash } from './tokens.ts';
import { WasmTagger, WasmTokens } from './wasm-tagger.ts';

const KNOWN = 1 << 24;
/** Word-table bit of a function word (`FUNCTION_WORDS`: the skip rule only, not a feature). */
const FUNCTION = 1 << 25;
/** Word-table bit of a speech or field word (`SPEECH_WORDS`: the skip rule only; read by the WebAssembly kernel). */
const SPEECH = 1 << 26;
const GAZ_MASK = KNOWN - 1;
const GIVEN = gazetteerBit('givenName');
const SHAPE_FLAGS = F_CAP | F_ALLCAP | F_HASDIGIT;
const BUCKET_MUL = 0x85ebca6b;

interface Compiled {
  shift: number;
  /** Per bucket: index of its row in `rows` (0: every weight of the bucket is zero). */
  rowOf: Uint16Array | Uint32Array;
  /** Non-zero rows, PACKED_ROW doubles each (two labels per double, see `pack`); row 0 is unused. */
  rows: Float64Array;
  /** Word table, open addressing: [hash, KNOWN | gazetteer bits] per slot (value 0 = empty slot). */
  table: Int32Array;
  tableShift: number;
  tableMask: number;
  /** Packed row of the bias feature (feature 0), the same for every token. */
  bias: Float64Array;
  /** The WebAssembly kernel and the tokens in its memory (undefined: the JavaScript loop runs). */
  wasm: WasmTokens | undefined;
}

const compiledModels = new WeakMap<TaggerModel, Compiled>();

/**
 * Two labels' weights per double, so a row is 6 additions instead of 11: each 16-bit weight is
 * offset by LANE_OFFSET to [0, 65535] and the pair stored as a + b * LANE. A token sums at most
 * FEATURES_PER_TOKEN rows, so each lane stays below 18 * 65536 < LANE = 2^21 and the whole value
 * below 2^42: exact in a double. Unpacking subtracts LANE_OFFSET once per row summed.
 */
const PACKED_ROW = 6;
const LANE = 2 ** 21;
const LANE_OFFSET = 32768;
if (FEATURES_PER_TOKEN * 65536 >= LANE || LABEL_COUNT > 2 * PACKED_ROW) throw new Error('pii tagger: packed rows do not fit this model shape');

function pack(weights: Int16Array, from: number, into: Float64Array, at: number): void {
  for (let j = 0; j < PACKED_ROW; j++) {
    const a = weights[from + 2 * j]! + LANE_OFFSET;
    const b = 2 * j + 1 < LABEL_COUNT ? weights[from + 2 * j + 1]! + LANE_OFFSET : 0;
    into[at + j] = a + b * LANE;
  }
}

function compile(model: TaggerModel): Compiled {
  const buckets = 1 << model.bits;
  let used = 0;
  const nonZero = new Uint8Array(buckets);
  for (let b = 0; b < buckets; b++) {
    for (let l = 0; l < LABEL_COUNT; l++) {
      if (model.weights[b * LABEL_COUNT + l] !== 0) {
        nonZero[b] = 1;
        used++;
        break;
      }
    }
  }
  const rowOf = used + 1 <= 0xffff ? new Uint16Array(buckets) : new Uint32Array(buckets);
  const rows = new Float64Array((used + 1) * PACKED_ROW);
  let next = 1;
  for (let b = 0; b < buckets; b++) {
    if (!nonZero[b]) continue;
    rowOf[b] = next;
    pack(model.weights, b * LABEL_COUNT, rows, next * PACKED_ROW);
    next++;
  }
  // One table for "is this word a feature" and "which gazetteer lists hold it".
  const entries = new Map<number, number>();
  for (const [hash, bits] of gazetteerTable()) entries.set(hash, bits);
  for (const hash of model.known) entries.set(hash, (entries.get(hash) ?? 0) | KNOWN);
  for (const hash of FUNCTION_WORDS) entries.set(hash, (entries.get(hash) ?? 0) | FUNCTION);
  for (const hash of SPEECH_WORDS) entries.set(hash, (entries.get(hash) ?? 0) | SPEECH);
  let tableBits = 4;
  while (1 << tableBits < entries.size * 4) tableBits++;
  const size = 1 << tableBits;
  const table = new Int32Array(size * 2);
  const tableShift = 32 - tableBits;
  for (const [hash, value] of entries) {
    if (value === 0) continue;
    let slot = Math.imul(hash, 0x9e3779b1) >>> tableShift;
    while (table[slot * 2 + 1] !== 0) slot = (slot + 1) & (size - 1);
    table[slot * 2] = hash;
    table[slot * 2 + 1] = value;
  }
  // The bias feature: tokenFeatures writes the same value at index 0 for every token.
  const probe = new Int32Array(FEATURES_PER_TOKEN);
  const one = tokenContext(1);
  tokenFeatures({ count: 1, start: new Int32Array(1), end: new Int32Array(1), flags: new Uint8Array(1), shape: new Int32Array(1), suffix: new Int32Array(1) } as unknown as Tokens, 0, 0, 0, probe, one);
  const shift = 32 - model.bits;
  const bias = new Float64Array(PACKED_ROW);
  const biasBucket = Math.imul(probe[0]!, BUCKET_MUL) >>> shift;
  pack(model.weights, biasBucket * LABEL_COUNT, bias, 0);
  const wasm = useWasm ? wasmTokens({ rowOf, weights: model.weights, labels: LABEL_COUNT, biasBucket, shift, table, tableShift, tableMask: size - 1 }) : undefined;
  return { shift, rowOf, rows, table, tableShift, tableMask: size - 1, bias, wasm };
}

/** False: models compiled from now on use the JavaScript loop (`PII_WASM=0` sets it at start; tests compare both). */
let useWasm = process.env.PII_WASM !== '0';

/** Chooses the WebAssembly kernel (where available) or the JavaScript loop for models compiled after this call. */
export function setWasm(on: boolean): void {
  useWasm = on;
}

/** The kernel for a compiled model, or undefined where WebAssembly or its SIMD instructions are missing. */
function wasmTokens(model: ConstructorParameters<typeof WasmTagger>[1]): WasmTokens | undefined {
  if (typeof WebAssembly !== 'object') return undefined;
  const constants = {
    none: NONE, known: KNOWN, function: FUNCTION, speech: SPEECH, gazMask: GAZ_MASK, kPunct: K_PUNCT, fCap: F_CAP, fLower: F_LOWER, fLinestart: F_LINESTART,
    shapeFlags: SHAPE_FLAGS, nameNeighbour: F_CAP | F_HASDIGIT, cueBits: CUE_BITS, lowerCueBits: LOWER_CUE_BITS, sentenceLimit: FIRST_FEATURE_WORDS_LIMIT, given: GIVEN,
    fullStop: FULL_STOP, colon: COLON, exclamation: EXCLAMATION, question: QUESTION,
  };
  try {
    return new WasmTokens(new WasmTagger(constants, model));
  } catch (error) {
    if (error instanceof WebAssembly.CompileError) return undefined;
    throw error;
  }
}

let lastModel: TaggerModel | undefined;
let lastCompiled: Compiled | undefined;

function compiled(model: TaggerModel): Compiled {
  if (model === lastModel) return lastCompiled!;
  let c = compiledModels.get(model);
  if (!c) {
    c = compile(model);
    compiledModels.set(model, c);
  }
  lastModel = model;
  lastCompiled = c;
  return c;
}

/** Token hashes of the punctuation after which a sentence starts (`sentencePositions` in tagger.ts). */
const FULL_STOP = wordHash('.');
const EXCLAMATION = wordHash('!');
const QUESTION = wordHash('?');
const COLON = wordHash(':');

/**
 * Fills the word feature and gazetteer bits of every token from the model's word table, and the
 * sentence positions as `sentencePositions` does, in one pass.
 */
function prepare(c: Compiled, t: Tokens, ctx: TokenContext, fw: Uint8Array): void {
  const { table, tableShift, tableMask } = c;
  const { word, gaz, sent } = ctx;
  const { hash: hashes, flags, kind } = t;
  let at = 0;
  let sentenceBreak = true;
  for (let i = 0; i < t.count; i++) {
    const h = hashes[i]!;
    let slot = Math.imul(h, 0x9e3779b1) >>> tableShift;
    let value = 0;
    for (;;) {
      const v = table[slot * 2 + 1]!;
      if (v === 0) break;
      if (table[slot * 2] === h) {
        value = v;
        break;
      }
      slot = (slot + 1) & tableMask;
    }
    word[i] = value & KNOWN ? h : NONE;
    gaz[i] = value & GAZ_MASK;
    fw[i] = value & FUNCTION ? 1 : 0;
    if (sentenceBreak || flags[i]! & F_LINESTART) at = 0;
    sent[i] = at < FIRST_FEATURE_WORDS_LIMIT ? at : FIRST_FEATURE_WORDS_LIMIT;
    at++;
    sentenceBreak = kind[i] === K_PUNCT && (h === FULL_STOP || h === COLON || h === EXCLAMATION || h === QUESTION);
  }
}

// `mix(template, value)` of tagger.ts written out (V8 does not inline every call in this loop):
// Math.imul(value ^ Math.imul(template + 1, MIX_A), MIX_B) ^ (value >>> 16), with T<n> = the constant templates' half.
const MIX_A = 0x27d4eb2d;
const MIX_B = 0x9e3779b1;
const T1 = Math.imul(1 + 1, MIX_A);
const T2 = Math.imul(2 + 1, MIX_A);
const T4 = Math.imul(4 + 1, MIX_A);
const T5 = Math.imul(5 + 1, MIX_A);
const T6 = Math.imul(6 + 1, MIX_A);
const T7 = Math.imul(7 + 1, MIX_A);
const T8 = Math.imul(8 + 1, MIX_A);
const T9 = Math.imul(9 + 1, MIX_A);
const T10 = Math.imul(10 + 1, MIX_A);
const T11 = Math.imul(11 + 1, MIX_A);
const T12 = Math.imul(12 + 1, MIX_A);
const T13 = Math.imul(13 + 1, MIX_A);
const T15 = Math.imul(15 + 1, MIX_A);
const T16 = Math.imul(16 + 1, MIX_A);
const T17 = Math.imul(17 + 1, MIX_A);
const offsets = new Int32Array(FEATURES_PER_TOKEN);
let context: TokenContext = tokenContext(1024);
/** Per token: 1 for a function word (`FUNCTION_WORDS`), filled by `prepare`. */
let functionWord = new Uint8Array(1024);

/** The divisor of the margin in the confidence squash of `model` (as in `tagTokens`). */
export function confidenceDivisor(model: TaggerModel): number {
  return CONFIDENCE_SCALE * model.scale;
}

/**
 * The confidence of a margin written by `tagTokensFast`, as `tagTokens` computes it and stores it
 * (float32). Margins are integers below 2^24 (sums of at most FEATURES_PER_TOKEN 16-bit weights
 * per label), so float32 holds them exactly.
 */
export function marginConfidence(margin: number, divisor: number): number {
  return Math.fround(1 / (1 + Math.exp(-margin / divisor)));
}

/**
 * Tags every token like `tagTokens`: the label index into `labels`, and the margin of the best
 * label over O (0 for O) into `margins`, in weight units: `marginConfidence` turns it into the
 * confidence `tagTokens` gives, so the squash runs only for the tokens of kept spans. Returns the
 * per-token context it used (word features and gazetteer bits), valid until the next call. The
 * features are `tokenFeatures`' written out inline (same templates, same order); their rows are
 * looked up first and summed after, so the loads overlap.
 */
export function tagTokensFast(model: TaggerModel, t: Tokens, labels: Uint8Array, margins: Float32Array): TokenContext {
  const c = compiled(model);
  const n = t.count;
  if (context.word.length < n) {
    context = tokenContext(n * 2);
    functionWord = new Uint8Array(n * 2);
  }
  const ctx = context;
  const fw = functionWord;
  if (c.wasm) return c.wasm.tagFrom(t, labels, margins);
  prepare(c, t, ctx, fw);
  const { rowOf, rows: w, shift, bias } = c;
  const words = ctx.word;
  const gazs = ctx.gaz;
  const sent = ctx.sent;
  const { start, end, flags, kind, shape, suffix } = t;
  const b0 = bias[0]!, b1 = bias[1]!, b2 = bias[2]!, b3 = bias[3]!, b4 = bias[4]!, b5 = bias[5]!;
  const offs = offsets;
  let prev = 0;
  let prev2 = 0;
  for (let i = 0; i < n; i++) {
    const f0 = flags[i]!;
    const g0 = gazs[i]!;
    // skippable(), inline
    if (prev === 0) {
      if (kind[i] === K_PUNCT || (f0 & F_LOWER ? (g0 & ~LOWER_CUE_BITS) === 0 : (g0 & ~CUE_BITS) === 0 && (f0 & SHAPE_FLAGS) === F_CAP && (fw[i] === 1 || sentenceCapital(t, i, ctx)))) {
        labels[i] = 0;
        margins[i] = 0;
        prev2 = 0;
        continue;
      }
    }
    const hasPrev = i > 0;
    const hasNext = i + 1 < n;
    const wm1 = hasPrev ? words[i - 1]! : NONE;
    const wp1 = hasNext ? words[i + 1]! : NONE;
    const wm2 = i > 1 ? words[i - 2]! : NONE;
    const wp2 = i + 2 < n ? words[i + 2]! : NONE;
    const s0 = shape[i]!;
    const sm1 = hasPrev ? shape[i - 1]! : NONE;
    const sp1 = hasNext ? shape[i + 1]! : NONE;
    const gm1 = hasPrev ? gazs[i - 1]! : 0;
    const gp1 = hasNext ? gazs[i + 1]! : 0;
    const fp1 = hasNext ? flags[i + 1]! : 0;
    const gap = !hasPrev ? 3 : f0 & F_LINESTART ? 2 : start[i]! > end[i - 1]! ? 1 : 0;
    const capsNext = fp1 & F_CAP;
    let k = 0;
    let r: number;
    let v: number;
    // Feature 0 (bias) is in b0..b5 (packed); features 1..15 as in tokenFeatures (template ids 1, 2, 4-13, 15-17).
    v = words[i]!;
    if ((r = rowOf[Math.imul(Math.imul(v ^ T1, MIX_B) ^ (v >>> 16), BUCKET_MUL) >>> shift]!) !== 0) offs[k++] = r * 6;
    v = s0;
    if ((r = rowOf[Math.imul(Math.imul(v ^ T2, MIX_B) ^ (v >>> 16), BUCKET_MUL) >>> shift]!) !== 0) offs[k++] = r * 6;
    v = suffix[i]!;
    if ((r = rowOf[Math.imul(Math.imul(v ^ T4, MIX_B) ^ (v >>> 16), BUCKET_MUL) >>> shift]!) !== 0) offs[k++] = r * 6;
    v = wm1;
    if ((r = rowOf[Math.imul(Math.imul(v ^ T5, MIX_B) ^ (v >>> 16), BUCKET_MUL) >>> shift]!) !== 0) offs[k++] = r * 6;
    v = wp1;
    if ((r = rowOf[Math.imul(Math.imul(v ^ T6, MIX_B) ^ (v >>> 16), BUCKET_MUL) >>> shift]!) !== 0) offs[k++] = r * 6;
    v = Math.imul(wp2 ^ Math.imul(wm2 + 1, MIX_A), MIX_B) ^ (wp2 >>> 16);
    if ((r = rowOf[Math.imul(Math.imul(v ^ T7, MIX_B) ^ (v >>> 16), BUCKET_MUL) >>> shift]!) !== 0) offs[k++] = r * 6;
    v = sm1 ^ (gm1 << 3);
    if ((r = rowOf[Math.imul(Math.imul(v ^ T8, MIX_B) ^ (v >>> 16), BUCKET_MUL) >>> shift]!) !== 0) offs[k++] = r * 6;
    v = sp1 ^ (gp1 << 3);
    if ((r = rowOf[Math.imul(Math.imul(v ^ T9, MIX_B) ^ (v >>> 16), BUCKET_MUL) >>> shift]!) !== 0) offs[k++] = r * 6;
    v = f0 * 8 + gap;
    if ((r = rowOf[Math.imul(Math.imul(v ^ T10, MIX_B) ^ (v >>> 16), BUCKET_MUL) >>> shift]!) !== 0) offs[k++] = r * 6;
    v = g0 * 4 + sent[i]!;
    if ((r = rowOf[Math.imul(Math.imul(v ^ T11, MIX_B) ^ (v >>> 16), BUCKET_MUL) >>> shift]!) !== 0) offs[k++] = r * 6;
    v = Math.imul(s0 ^ Math.imul(prev + 1, MIX_A), MIX_B) ^ (s0 >>> 16);
    if ((r = rowOf[Math.imul(Math.imul(v ^ T12, MIX_B) ^ (v >>> 16), BUCKET_MUL) >>> shift]!) !== 0) offs[k++] = r * 6;
    v = prev * 16 + prev2;
    if ((r = rowOf[Math.imul(Math.imul(v ^ T13, MIX_B) ^ (v >>> 16), BUCKET_MUL) >>> shift]!) !== 0) offs[k++] = r * 6;
    v = Math.imul(s0 ^ Math.imul(wm1 + 1, MIX_A), MIX_B) ^ (s0 >>> 16);
    if ((r = rowOf[Math.imul(Math.imul(v ^ T15, MIX_B) ^ (v >>> 16), BUCKET_MUL) >>> shift]!) !== 0) offs[k++] = r * 6;
    v = Math.imul(wp1 ^ Math.imul(s0 + 1, MIX_A), MIX_B) ^ (wp1 >>> 16);
    if ((r = rowOf[Math.imul(Math.imul(v ^ T16, MIX_B) ^ (v >>> 16), BUCKET_MUL) >>> shift]!) !== 0) offs[k++] = r * 6;
    v = g0 * 2 + capsNext;
    v = Math.imul(v ^ Math.imul(prev + 1, MIX_A), MIX_B) ^ (v >>> 16);
    if ((r = rowOf[Math.imul(Math.imul(v ^ T17, MIX_B) ^ (v >>> 16), BUCKET_MUL) >>> shift]!) !== 0) offs[k++] = r * 6;
    let p0 = b0, p1 = b1, p2 = b2, p3 = b3, p4 = b4, p5 = b5;
    for (let f = 0; f < k; f++) {
      const o = offs[f]!;
      p0 += w[o]!;
      p1 += w[o + 1]!;
      p2 += w[o + 2]!;
      p3 += w[o + 3]!;
      p4 += w[o + 4]!;
      p5 += w[o + 5]!;
    }
    // Unpack: k rows plus the bias row were summed, each lane carrying LANE_OFFSET per row.
    const base = (k + 1) * LANE_OFFSET;
    const h0 = Math.floor(p0 / LANE), h1 = Math.floor(p1 / LANE), h2 = Math.floor(p2 / LANE), h3 = Math.floor(p3 / LANE), h4 = Math.floor(p4 / LANE);
    const s0_ = p0 - h0 * LANE - base, s1 = h0 - base;
    const s2 = p1 - h1 * LANE - base, s3 = h1 - base;
    const s4 = p2 - h2 * LANE - base, s5 = h2 - base;
    const s6 = p3 - h3 * LANE - base, s7 = h3 - base;
    const s8 = p4 - h4 * LANE - base, s9 = h4 - base;
    const s10 = p5 - base;
    // First best wins ties, as in tagTokens.
    let best = 0;
    let top = s0_;
    if (s1 > top) { best = 1; top = s1; }
    if (s2 > top) { best = 2; top = s2; }
    if (s3 > top) { best = 3; top = s3; }
    if (s4 > top) { best = 4; top = s4; }
    if (s5 > top) { best = 5; top = s5; }
    if (s6 > top) { best = 6; top = s6; }
    if (s7 > top) { best = 7; top = s7; }
    if (s8 > top) { best = 8; top = s8; }
    if (s9 > top) { best = 9; top = s9; }
    if (s10 > top) { best = 10; top = s10; }
    labels[i] = best;
    margins[i] = top - s0_;
    prev2 = prev;
    prev = best;
  }
  return ctx;
}

/** The model's WebAssembly kernel and the tokens in its memory (undefined: the JavaScript code runs). */
export function kernelOf(model: TaggerModel): WasmTokens | undefined {
  return compiled(model).wasm;
}
