/**
 * The WebAssembly tagger: the kernels of `kernel-chars.ts`, `kernel-tokenize.ts` and
 * `kernel-tag.ts` assembled into one module per compiled model, its memory laid out (character
 * counts, token arrays and the text first; the model's weight rows, word table and the tokenizer's
 * and counter's tables after them), and `WasmTokens`, a Tokens whose arrays live in that memory
 * so the text is copied in once and the tokenizer writes where the tagger reads.
 */
import { charStatsTables, countChars, FACT_DIGIT, STAT_FIELDS, statsFrom } from './char-stats.ts';
import { countCharsKernel } from './kernel-chars.ts';
import { ASCII_DIGIT_BIT, CLASS_BIT, tokenizeKernel } from './kernel-tokenize.ts';
import { ARRAY_NAMES, HEADER_FACTS, HEADER_GIVENS, HEADER_STATS, HEADER_TEXT, IS_U8, MODEL_ADDRESSES, MODEL_FIELDS, PAD, ROW, tagKernel, TOKEN_ARRAYS, type ArrayName, type KernelConstants } from './kernel-tag.ts';
import type { TokenContext } from './tagger.ts';
import { Tokens, tokenizerTables, unitClass } from './tokens.ts';
import { assemble, I32, op, type WasmFunction } from './wasm-asm.ts';

const PAGE = 65536;
const align = (n: number, to: number): number => Math.ceil(n / to) * to;
/** Longest text the kernels take (a longer one uses tokens.ts and char-stats.ts). */
const KERNEL_TEXT_LIMIT = 1 << 26;
/** Zero units before and after the text in its region (reads just outside the text see neither letter nor digit). */
const TEXT_BEFORE = 8;
const TEXT_AFTER = 4; // (`load` writes these four zeros unrolled)

/** A tagging pass: label and margin per token (as `tagTokensFast` writes them) and the per-token context. */
export interface TagResult {
  labels: Int32Array | Uint8Array;
  margins: Float32Array;
  context: TokenContext;
}

/** What a compiled model hands the kernel: its bucket rows and word table. */
export interface KernelModel {
  /** Row number per bucket (0: all weights zero). */
  rowOf: Uint16Array | Uint32Array;
  /** Dense int16 weights, bucket * labels + label. */
  weights: Int16Array;
  labels: number;
  biasBucket: number;
  shift: number;
  /** Word table: [hash, value] per slot. */
  table: Int32Array;
  tableShift: number;
  tableMask: number;
}

/** The model block: header (MODEL_FIELDS, addresses relative to the block), rows, bias, word table, tokenizer tables. */
function modelBlock(model: KernelModel): Uint8Array {
  let used = 0;
  for (let b = 0; b < model.rowOf.length; b++) used = Math.max(used, model.rowOf[b]!);
  if (used > 0xffff) throw new Error('pii wasm tagger: more than 65535 rows');
  const { classes, fold } = tokenizerTables();
  const { pairs, third, vat, runs } = charStatsTables();
  const rowOf = align(MODEL_FIELDS.length * 4, 64);
  const rows = align(rowOf + model.rowOf.length * 2, 64);
  const bias = rows + (used + 1) * ROW;
  const table = align(bias + ROW, 64);
  const charsAt = align(table + model.table.byteLength, 64);
  const pairsAt = align(charsAt + classes.length * 4, 64);
  const thirdAt = align(pairsAt + pairs.length, 64);
  const vatAt = align(thirdAt + third.length, 64);
  const runsAt = align(vatAt + vat.length, 64);
  const bytes = new Uint8Array(runsAt + runs.length);
  const view = new DataView(bytes.buffer);
  for (let b = 0; b < model.rowOf.length; b++) {
    const r = model.rowOf[b]!;
    view.setUint16(rowOf + b * 2, r, true);
    for (let l = 0; l < model.labels && r !== 0; l++) view.setInt16(rows + r * ROW + l * 2, model.weights[b * model.labels + l]!, true);
  }
  for (let l = 0; l < model.labels; l++) view.setInt16(bias + l * 2, model.weights[model.biasBucket * model.labels + l]!, true);
  for (let s = 0; s < model.table.length; s++) view.setInt32(table + s * 4, model.table[s]!, true);
  // Per unit below U+0250: case fold, class (as a number and as one bit), and the shape letter of a letter or digit (X, x, d).
  for (let c = 0; c < classes.length; c++) {
    const cls = classes[c]!;
    const bits = (cls >= 1 && cls <= 3 ? 1 << (CLASS_BIT + cls) : 0) | (c >= 48 && c <= 57 ? ASCII_DIGIT_BIT : 0);
    view.setUint32(charsAt + c * 4, fold[c]! | (cls << 16) | bits | ((cls === 1 ? 88 : cls === 2 ? 120 : cls === 3 ? 100 : 0) << 24), true);
  }
  bytes.set(pairs, pairsAt);
  bytes.set(third, thirdAt);
  bytes.set(vat, vatAt);
  bytes.set(runs, runsAt);
  const fields: Record<(typeof MODEL_FIELDS)[number], number> = {
    rowOf, rows, bias, table, chars: charsAt, pairs: pairsAt, third: thirdAt, vat: vatAt, runs: runsAt,
    tableShift: model.tableShift, tableMask: model.tableMask, shift: model.shift,
  };
  MODEL_FIELDS.forEach((name, at) => view.setInt32(at * 4, fields[name], true));
  return bytes;
}

/** Function indices in the module: the import, then the kernels in `assemble`'s order. */
const TAG = 1;
const TOKENIZE = 2;
const COUNT_CHARS = 3;

/**
 * The `prepare(n, model, capacity)` export: `tokenize`, then `tag` its tokens, then `countChars`
 * when the tokenizer saw an ASCII digit (`findStructured` counts only then): one call per text.
 * Returns `tokenize`'s result (-2: the token arrays are full, nothing tagged).
 */
function prepareKernel(): WasmFunction {
  const [n, model, capacity, count] = [0, 1, 2, 3];
  const body = [
    op.get(n), op.get(model), op.get(capacity), op.call(TOKENIZE), op.tee(count), op.i32(0), op.ltS, op.if, op.get(count), op.return, op.end,
    op.get(count), op.get(model), op.call(TAG),
    op.i32(HEADER_FACTS * 4), op.load(0), op.i32(FACT_DIGIT), op.and, op.if, op.get(n), op.get(model), op.call(COUNT_CHARS), op.end,
    op.get(count),
  ];
  return { name: 'prepare', params: 3, results: [I32], locals: [[1, I32]], body };
}

/** One model's kernels and memory. */
export class WasmTagger {
  private readonly memory: WebAssembly.Memory;
  private readonly runTag: (n: number, model: number) => void;
  private readonly runTokenize: (n: number, model: number, capacity: number) => number;
  private readonly runCount: (n: number, model: number) => void;
  private readonly runPrepare: (n: number, model: number, capacity: number) => number;
  private readonly modelBytes: Uint8Array;
  private model = 0;
  /** Token capacity of the arrays (sentinels not counted) and UTF-16 units the text region holds. */
  capacity = 0;
  textCapacity = 0;
  /** Element index (in the array's own type) of each array's entry 0. */
  readonly index = {} as Record<ArrayName, number>;
  m32!: Int32Array<ArrayBuffer>;
  m8!: Uint8Array<ArrayBuffer>;
  f32!: Float32Array<ArrayBuffer>;
  /** The text region as a Buffer (for one native UTF-16 copy per text), and its units. */
  text!: Buffer;
  private textUnits!: Uint16Array<ArrayBuffer>;
  private statsAt = 0;
  /** The text in the text region (undefined after `layout`, which moves the region). */
  loaded: string | undefined;

  constructor(k: KernelConstants, model: KernelModel) {
    const imports = [{ module: 'pii', name: 'unitClass', params: 1, results: [I32] }];
    const module = new WebAssembly.Module(assemble([tagKernel(k), tokenizeKernel(), countCharsKernel(), prepareKernel()], 1, imports));
    const instance = new WebAssembly.Instance(module, { pii: { unitClass } });
    this.memory = instance.exports.memory as WebAssembly.Memory;
    this.runTag = instance.exports.tag as WasmTagger['runTag'];
    this.runTokenize = instance.exports.tokenize as WasmTagger['runTokenize'];
    this.runCount = instance.exports.countChars as WasmTagger['runCount'];
    this.runPrepare = instance.exports.prepare as WasmTagger['runPrepare'];
    this.modelBytes = modelBlock(model);
    this.layout(1024, 0, 4096);
  }

  /**
   * Lays the arrays out for `capacity` tokens (keeping the first `keep` tokens of the Tokens
   * fields), the text region for `textCapacity` units (not kept), then the model block after them.
   */
  layout(capacity: number, keep = 0, textCapacity = this.textCapacity): void {
    const saved = keep > 0 ? TOKEN_ARRAYS.map((name) => this.view(name).slice(0, keep)) : [];
    const slots = capacity + 2 * PAD;
    const statsAt = align((HEADER_GIVENS + 1) * 4, 64);
    let at = align(statsAt + STAT_FIELDS.length * 4, 64);
    const address: number[] = [];
    for (const name of ARRAY_NAMES) {
      address.push(at);
      at = align(at + slots * (IS_U8.has(name) ? 1 : 4), 64);
    }
    const text = at + TEXT_BEFORE * 2;
    const model = align(text + (textCapacity + TEXT_AFTER) * 2, 64);
    const need = model + this.modelBytes.length;
    const have = this.memory.buffer.byteLength;
    if (need > have) this.memory.grow(Math.ceil((need - have) / PAGE));
    this.m32 = new Int32Array(this.memory.buffer);
    this.m8 = new Uint8Array(this.memory.buffer);
    this.f32 = new Float32Array(this.memory.buffer);
    this.text = Buffer.from(this.memory.buffer, text, textCapacity * 2);
    this.textUnits = new Uint16Array(this.memory.buffer, text - TEXT_BEFORE * 2, TEXT_BEFORE + textCapacity + TEXT_AFTER);
    this.textUnits.fill(0, 0, TEXT_BEFORE);
    this.loaded = undefined;
    if (model !== this.model) {
      this.m8.set(this.modelBytes, model);
      for (let f = 0; f < MODEL_ADDRESSES; f++) this.m32[model / 4 + f]! += model;
      this.model = model;
    }
    ARRAY_NAMES.forEach((name, k) => {
      this.m32[k] = address[k]!;
      const size = IS_U8.has(name) ? 1 : 4;
      this.index[name] = (address[k]! + PAD * size) / size;
    });
    this.m32[HEADER_TEXT] = text;
    this.m32[HEADER_STATS] = statsAt;
    this.statsAt = statsAt / 4;
    this.capacity = capacity;
    this.textCapacity = textCapacity;
    TOKEN_ARRAYS.forEach((name, k) => saved[k] && this.view(name).set(saved[k] as never));
  }

  /** A view of array `name`'s entries 0..capacity-1 (new views after each `layout`). */
  view(name: 'kind' | 'flags'): Uint8Array<ArrayBuffer>;
  view(name: ArrayName): Int32Array<ArrayBuffer> | Uint8Array<ArrayBuffer>;
  view(name: ArrayName): Int32Array<ArrayBuffer> | Uint8Array<ArrayBuffer> {
    const from = this.index[name];
    return IS_U8.has(name) ? this.m8.subarray(from, from + this.capacity) : this.m32.subarray(from, from + this.capacity);
  }

  /** Copies `text` into the text region (it fits: at most `textCapacity` units), four zero units after it. */
  load(text: string): void {
    // (the two-argument form skips the offset checks: ~10 ns of a ~110 ns copy)
    this.text.write(text, 'utf16le');
    // TEXT_AFTER (4) zero units, unrolled (a loop here was ~0.4% of the benchmark)
    const units = this.textUnits;
    const end = TEXT_BEFORE + text.length;
    units[end] = 0;
    units[end + 1] = 0;
    units[end + 2] = 0;
    units[end + 3] = 0;
    this.loaded = text;
  }

  /** Tokenizes the loaded text (`n` units): the token count, or -2 when the token arrays are full. */
  tokenize(n: number): number {
    return this.runTokenize(n, this.model, this.capacity);
  }

  /** `countChars` of the loaded text (`n` units) into `stats`. */
  countChars(n: number): void {
    this.runCount(n, this.model);
    statsFrom(this.m32, this.statsAt);
  }

  /** Tags `n` tokens whose Tokens fields are in place. */
  tag(n: number): void {
    this.runTag(n, this.model);
  }

  /** Tokenizes, tags and (with an ASCII digit) counts the loaded text (`n` units) in one call: `tokenize`'s result. */
  prepare(n: number): number {
    return this.runPrepare(n, this.model, this.capacity);
  }

  /** The `FACT_*` bits the last `tokenize` or `prepare` found in the text. */
  facts(): number {
    return this.m32[HEADER_FACTS]!;
  }

  /** Capitalised tokens in the given-name list seen by the last `tag` or `prepare` (HEADER_GIVENS). */
  givens(): number {
    return this.m32[HEADER_GIVENS]!;
  }

  /** Sets `stats` from the counts the last `countChars` or `prepare` wrote. */
  readonly readCounts = (): void => {
    statsFrom(this.m32, this.statsAt);
  };
}

/** Tokens whose arrays live in a `WasmTagger`'s memory: the tokenizer writes where the kernel reads. */
export class WasmTokens extends Tokens {
  constructor(readonly tagger: WasmTagger) {
    super();
    this.attach();
  }

  private attach(): void {
    const t = this.tagger;
    this.start = t.view('start') as Int32Array<ArrayBuffer>;
    this.end = t.view('end') as Int32Array<ArrayBuffer>;
    this.hash = t.view('hash') as Int32Array<ArrayBuffer>;
    this.shape = t.view('shape') as Int32Array<ArrayBuffer>;
    this.suffix = t.view('suffix') as Int32Array<ArrayBuffer>;
    this.kind = t.view('kind');
    this.flags = t.view('flags');
  }

  protected override grow(size = this.start.length * 2): void {
    this.tagger.layout(size, this.count);
    this.attach();
  }

  private context: TokenContext | undefined;
  private result: TagResult | undefined;
  private viewsOf: Int32Array | undefined;

  /** Runs the tag kernel over this Tokens' own tokens; the result's arrays are views of its memory, valid until the next call. */
  tagHere(): TagResult {
    this.tagger.tag(this.count);
    return this.tagged();
  }

  /** The labels and margins the kernel last wrote for this Tokens' tokens (views of its memory). */
  tagged(): TagResult {
    const w = this.tagger;
    if (this.viewsOf !== this.start) {
      this.context = { word: w.view('word') as Int32Array, gaz: w.view('gaz') as Int32Array, sent: w.view('sent') as Int32Array };
      this.result = { labels: w.view('label'), margins: w.f32.subarray(w.index.margin, w.index.margin + w.capacity), context: this.context };
      this.viewsOf = this.start;
    }
    return this.result!;
  }

  /**
   * Tags the tokens of `t` (copied here first unless `t` is this) as `tagTokensFast` does: labels
   * and margins into the caller's arrays; the returned context (word features, gazetteer bits,
   * sentence positions) is valid until the next call.
   */
  tagFrom(t: Tokens, labels: Uint8Array, margins: Float32Array): TokenContext {
    const n = t.count;
    if (t !== this) {
      this.count = 0;
      this.reserve(n);
      this.start.set(t.start.subarray(0, n));
      this.end.set(t.end.subarray(0, n));
      this.hash.set(t.hash.subarray(0, n));
      this.shape.set(t.shape.subarray(0, n));
      this.suffix.set(t.suffix.subarray(0, n));
      this.kind.set(t.kind.subarray(0, n));
      this.flags.set(t.flags.subarray(0, n));
      this.count = n;
    }
    const result = this.tagHere();
    labels.set(result.labels.subarray(0, n));
    margins.set(result.margins.subarray(0, n));
    return result.context;
  }

  /** Copies `text` into the kernels' memory; false when it is too long for them (then tokens.ts and char-stats.ts run). */
  loadText(text: string): boolean {
    const n = text.length;
    if (n > KERNEL_TEXT_LIMIT) return false;
    const t = this.tagger;
    if (n > t.textCapacity) {
      t.layout(t.capacity, this.count, Math.max(n, t.textCapacity * 2));
      this.attach();
    }
    t.load(text);
    return true;
  }

  /**
   * Tokenizes and tags `text` and counts its characters when it has an ASCII digit, in one kernel
   * call: then `tagged()`, `tagger.facts()` and `tagger.readCounts` hold the results. False (nothing
   * done) when the text is too long for the kernels.
   */
  prepare(text: string): boolean {
    const t = this.tagger;
    const n = text.length;
    if (n > KERNEL_TEXT_LIMIT) return false;
    this.count = 0;
    // (growing the token arrays moves the text region: the text is loaded after)
    if (t.capacity < n && t.capacity < (n >> 2) + 64) this.grow((n >> 2) + 64);
    for (;;) {
      if (t.loaded !== text) this.loadText(text);
      const count = t.prepare(n);
      if (count === -2) {
        this.grow(Math.min(n, t.capacity * 2));
        continue;
      }
      this.count = count;
      return true;
    }
  }

  /** `countChars` for `findStructured`: from the kernel when it holds `text` (`loadText`), else char-stats.ts. */
  readonly countChars = (text: string): void => {
    if (this.tagger.loaded === text) this.tagger.countChars(text.length);
    else countChars(text);
  };

  /**
   * Tokenizes `text` with the kernel; false (tokens unspecified) when tokens.ts must do it. The
   * token arrays start at a quarter of the text's length (prose has about one token per five
   * units) and double when the kernel fills them.
   */
  tokenizeKernel(text: string): boolean {
    const t = this.tagger;
    const n = text.length;
    this.count = 0;
    // (growing the token arrays moves the text region: the text is loaded after)
    if (t.capacity < n && t.capacity < (n >> 2) + 64) this.grow((n >> 2) + 64);
    for (;;) {
      if (t.loaded !== text && !this.loadText(text)) return false;
      const count = t.tokenize(n);
      if (count === -2) {
        this.grow(Math.min(n, t.capacity * 2));
        continue;
      }
      if (count < 0) return false;
      this.count = count;
      return true;
    }
  }
}
