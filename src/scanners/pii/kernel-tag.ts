/**
 * The tagger's inference loop (`tagTokensFast` in infer.ts) as a WebAssembly listing for
 * `wasm-asm.ts`, and the memory layout it shares with `kernel-tokenize.ts` and `wasm-tagger.ts`.
 * Two passes: the word table lookup and sentence position of every token (and the count of
 * capitalised given names, HEADER_GIVENS, for detect.ts), then the greedy
 * left-to-right scoring with the skip rule, each scored token summing its 16 weight rows with
 * SIMD adds (16 int16 lanes per row, 11 used: one 32-byte load pair per row; row 0 is zero, so an
 * empty bucket adds nothing without a branch). Every per-token array has two sentinel entries on
 * each side, so neighbour features need no bounds tests. Same labels and margins as the
 * JavaScript loop (infer.test.ts checks both against `tagTokens`).
 */
import { I32, op, V128, type WasmFunction } from './wasm-asm.ts';

const MIX_A = 0x27d4eb2d;
const MIX_B = 0x9e3779b1;
const BUCKET_MUL = 0x85ebca6b;
/** Bytes per weight row (16 int16 lanes). */
export const ROW = 32;
/** Sentinel entries before and after each per-token array. */
export const PAD = 2;

/** Per-token arrays: the Tokens fields (int32, then uint8), then the kernel's own. */
const I32_ARRAYS = ['start', 'end', 'hash', 'shape', 'suffix', 'word', 'gaz', 'value', 'sent', 'label', 'margin'] as const;
export const U8_ARRAYS = ['kind', 'flags'] as const;
export type ArrayName = (typeof I32_ARRAYS)[number] | (typeof U8_ARRAYS)[number];
/** Memory from address 0: the address of each per-token array's first sentinel, then the text's (UTF-16), then the character counts'. */
export const ARRAY_NAMES: readonly ArrayName[] = [...I32_ARRAYS, ...U8_ARRAYS];
export const HEADER_TEXT = ARRAY_NAMES.length;
export const HEADER_STATS = HEADER_TEXT + 1;
/** The tokenizer's `FACT_*` bits of the text (char-stats.ts). */
export const HEADER_FACTS = HEADER_STATS + 1;
/** How many tokens `tag` saw that are capitalised and in the `given` gazetteer bits (detect.ts's given-name rule needs one). */
export const HEADER_GIVENS = HEADER_FACTS + 1;
export const IS_U8: ReadonlySet<string> = new Set<string>(U8_ARRAYS);
/** The Tokens fields among them (kept when the arrays grow). */
export const TOKEN_ARRAYS = ['start', 'end', 'hash', 'shape', 'suffix', 'kind', 'flags'] as const;
/** The model header's fields (int32 each), at the address passed to the kernels: addresses first, then numbers. */
export const MODEL_FIELDS = ['rowOf', 'rows', 'bias', 'table', 'chars', 'pairs', 'third', 'vat', 'runs', 'tableShift', 'tableMask', 'shift'] as const;
export const MODEL_ADDRESSES = 9;
/** Units from here up are classed by a Unicode regex in tokens.ts: the kernel tokenizer gives up on them. */
export const TABLE_LIMIT = 0x250;

/** Constants of the model and tokenizer the kernel needs (passed in, so this file imports no model code). */
export interface KernelConstants {
  none: number;
  known: number;
  function: number;
  speech: number;
  gazMask: number;
  kPunct: number;
  fCap: number;
  fLower: number;
  fLinestart: number;
  shapeFlags: number;
  nameNeighbour: number;
  cueBits: number;
  lowerCueBits: number;
  sentenceLimit: number;
  /** Gazetteer bit of the given-name list (counted for HEADER_GIVENS). */
  given: number;
  fullStop: number;
  colon: number;
  exclamation: number;
  question: number;
}

// Locals: parameters, then one per array base and model field, then scratch.
let next = 0;
const local = (): number => next++;
const N = local(), MODEL = local();
const BASE: Record<string, number> = {};
for (const name of ARRAY_NAMES) BASE[name] = local();
const M: Record<string, number> = {};
for (const name of MODEL_FIELDS) M[name] = local();
const I = local(), O = local(), PREV = local(), PREV2 = local(), W0 = local(), WM1 = local(), WP1 = local(), S0 = local(), G0 = local(), F0 = local();
const V = local(), X = local(), BEST = local(), TOP = local(), ZERO = local(), H = local(), SLOT = local(), VALUE = local(), AT = local(), BRK = local(), P = local(), SKIP = local(), GIVENS = local();
const I32_LOCALS = next;
const A0 = local(), A1 = local(), A2 = local(), TMP = local();

/** Element `delta` tokens from the current one of array `name` (i32 or u8). */
function read(name: ArrayName, delta = 0): number[] {
  const u8 = IS_U8.has(name);
  return [...op.get(BASE[name]!), ...op.get(u8 ? I : O), ...op.add, ...(u8 ? op.load8u(PAD + delta) : op.load((PAD + delta) * 4))];
}
/** Stores the i32 pushed by `value` into array `name` at the current token. */
function write(name: ArrayName, value: number[], f32 = false, delta = 0): number[] {
  if (IS_U8.has(name)) return [...op.get(BASE[name]!), ...op.get(I), ...op.add, ...value, ...op.store8(PAD + delta)];
  return [...op.get(BASE[name]!), ...op.get(O), ...op.add, ...value, ...(f32 ? op.storef32((PAD + delta) * 4) : op.store((PAD + delta) * 4))];
}
const c = (value: number): number[] => op.i32(value);
const get = (l: number): number[] => op.get(l);

/** mix(a, b) of tagger.ts: imul(b ^ imul(a + 1, MIX_A), MIX_B) ^ (b >>> 16). */
function mix(a: number[], b: number[]): number[] {
  return [...b, ...a, ...c(1), ...op.add, ...c(MIX_A), ...op.mul, ...op.xor, ...c(MIX_B), ...op.mul, ...b, ...c(16), ...op.shrU, ...op.xor];
}

/** Adds the row of feature `template` with value `value` to the accumulators. */
function feature(template: number, value: number[]): number[] {
  return [
    ...value, ...op.set(V),
    // rowOf[imul(imul(v ^ t, MIX_B) ^ (v >>> 16), BUCKET_MUL) >>> shift] * ROW + rows
    ...get(V), ...c(Math.imul(template + 1, MIX_A)), ...op.xor, ...c(MIX_B), ...op.mul, ...get(V), ...c(16), ...op.shrU, ...op.xor,
    ...c(BUCKET_MUL), ...op.mul, ...get(M.shift!), ...op.shrU, ...c(1), ...op.shl, ...get(M.rowOf!), ...op.add, ...op.load16u(0),
    ...c(Math.log2(ROW)), ...op.shl, ...get(M.rows!), ...op.add, ...op.set(X),
    ...accumulate(X, false),
  ];
}

/** Accumulators (+)= the int16 row at the address in local `addr` (lanes 0-3, 4-7, 8-11). */
function accumulate(addr: number, first: boolean): number[] {
  const sum = (acc: number): number[] => (first ? op.set(acc) : [...get(acc), ...op.i32x4Add, ...op.set(acc)]);
  return [
    ...get(addr), ...op.v128load(0), ...op.tee(TMP), ...op.i32x4ExtendLowI16s, ...sum(A0),
    ...get(TMP), ...op.i32x4ExtendHighI16s, ...sum(A1),
    ...get(addr), ...op.v128load(16), ...op.i32x4ExtendLowI16s, ...sum(A2),
  ];
}

const eq = (a: number[], b: number[]): number[] => [...a, ...b, ...op.eq];
const nonZero = (a: number[], mask: number): number[] => [...a, ...c(mask), ...op.and, ...op.eqz, ...op.eqz];
const isZero = (a: number[], mask: number): number[] => [...a, ...c(mask), ...op.and, ...op.eqz];
const all = (...parts: number[][]): number[] => parts.reduce((acc, p, k) => (k === 0 ? p : [...acc, ...p, ...op.and]));
const any = (...parts: number[][]): number[] => parts.reduce((acc, p, k) => (k === 0 ? p : [...acc, ...p, ...op.or]));
/** `cond ? a : b` (both evaluated). */
const pick = (a: number[], b: number[], cond: number[]): number[] => [...a, ...b, ...cond, ...op.select];
/** Runs `body` for each token: I = index, O = 4 * index. */
function forTokens(body: number[][]): number[][] {
  return [c(0), op.set(I), c(0), op.set(O), op.block, op.loop, get(I), get(N), op.geS, op.brIf(1), ...body, get(I), c(1), op.add, op.set(I), get(O), c(4), op.add, op.set(O), op.br(0), op.end, op.end];
}

/** The `tag(n, model)` export: labels and margins of the `n` tokens in the arrays, as `tagTokensFast` computes them. */
export function tagKernel(k: KernelConstants): WasmFunction {
  const body: number[][] = [];
  ARRAY_NAMES.forEach((name, at) => body.push(c(at * 4), op.load(0), op.set(BASE[name]!)));
  MODEL_FIELDS.forEach((name, at) => body.push(get(MODEL), op.load(at * 4), op.set(M[name]!)));
  // Sentinels two before and two after the tokens: no word, no shape, no lists, no flags.
  for (const [afterLast, delta] of [[false, -2], [false, -1], [true, 0], [true, 1]] as const) {
    body.push(afterLast ? get(N) : c(0), op.set(I), get(I), c(2), op.shl, op.set(O));
    body.push(write('shape', c(k.none), false, delta), write('word', c(k.none), false, delta), write('gaz', c(0), false, delta), write('value', c(0), false, delta));
    body.push(write('kind', c(0), false, delta), write('flags', c(0), false, delta));
  }
  // Pass 1: word feature, gazetteer bits, table value and sentence position of every token.
  body.push(c(1), op.set(BRK), c(0), op.set(AT));
  body.push(...forTokens([
    read('hash'), op.tee(H), c(MIX_B), op.mul, get(M.tableShift!), op.shrU, op.set(SLOT), c(0), op.set(VALUE),
    op.block, op.loop,
    get(SLOT), c(3), op.shl, get(M.table!), op.add, op.load(4), op.tee(X), op.eqz, op.brIf(1),
    get(SLOT), c(3), op.shl, get(M.table!), op.add, op.load(0), get(H), op.eq, op.if, get(X), op.set(VALUE), op.br(2), op.end,
    get(SLOT), c(1), op.add, get(M.tableMask!), op.and, op.set(SLOT), op.br(0),
    op.end, op.end,
    write('word', pick(get(H), c(k.none), nonZero(get(VALUE), k.known))),
    write('gaz', [...get(VALUE), ...c(k.gazMask), ...op.and]),
    get(GIVENS), all(nonZero(read('flags'), k.fCap), nonZero(get(VALUE), k.given)), op.add, op.set(GIVENS),
    write('value', get(VALUE)),
    pick(c(0), get(AT), any(get(BRK), nonZero(read('flags'), k.fLinestart))), op.set(AT),
    pick(get(AT), c(k.sentenceLimit), [...get(AT), ...c(k.sentenceLimit), ...op.ltS]), op.set(P),
    write('sent', get(P)),
    get(AT), c(1), op.add, op.set(AT),
    all(eq(read('kind'), c(k.kPunct)), any(eq(get(H), c(k.fullStop)), eq(get(H), c(k.colon)), eq(get(H), c(k.exclamation)), eq(get(H), c(k.question)))), op.set(BRK),
  ]));
  body.push(c(HEADER_GIVENS * 4), get(GIVENS), op.store(0));
  // Pass 2: score, left to right.
  body.push(c(0), op.set(PREV), c(0), op.set(PREV2));
  const hm1 = read('hash', -1);
  const nextFlags = read('flags', 1);
  const afterBreak = all(eq(read('kind', -1), c(k.kPunct)), any(eq(hm1, c(k.colon)), eq(hm1, c(k.exclamation)), eq(hm1, c(k.question)), all(eq(hm1, c(k.fullStop)), nonZero(read('flags', -2), k.fLower))));
  const sentenceCapital = all(afterBreak, any(nonZero(nextFlags, k.fLower), all(isZero(nextFlags, k.nameNeighbour), eq(hm1, c(k.colon)), nonZero(read('value', -2), k.speech))));
  body.push(...forTokens([
    read('flags'), op.set(F0), read('gaz'), op.set(G0),
    // The skip rule (skippable() in tagger.ts), after an O token only.
    c(0), op.set(SKIP),
    get(PREV), op.eqz, op.if,
    eq(read('kind'), c(k.kPunct)), op.if, c(1), op.set(SKIP),
    op.else, nonZero(get(F0), k.fLower), op.if, isZero(get(G0), ~k.lowerCueBits), op.set(SKIP),
    op.else, all(isZero(get(G0), ~k.cueBits), eq([...get(F0), ...c(k.shapeFlags), ...op.and], c(k.fCap)), any(nonZero(read('value'), k.function), sentenceCapital)), op.set(SKIP),
    op.end, op.end, op.end,
    get(SKIP), op.if,
    write('label', c(0)), write('margin', op.f32zero, true), c(0), op.set(PREV2),
    op.else,
    read('word'), op.set(W0), read('word', -1), op.set(WM1), read('word', 1), op.set(WP1), read('shape'), op.set(S0),
    get(M.bias!), op.set(X), accumulate(X, true),
    // Features 1..15 of tokenFeatures (template ids 1, 2, 4-13, 15-17).
    feature(1, get(W0)),
    feature(2, get(S0)),
    feature(4, read('suffix')),
    feature(5, get(WM1)),
    feature(6, get(WP1)),
    feature(7, mix(read('word', -2), read('word', 2))),
    feature(8, [...read('shape', -1), ...read('gaz', -1), ...c(3), ...op.shl, ...op.xor]),
    feature(9, [...read('shape', 1), ...read('gaz', 1), ...c(3), ...op.shl, ...op.xor]),
    // flags * 8 + gap (3 first token, 2 line start, 1 space before, 0 none)
    feature(10, [...get(F0), ...c(3), ...op.shl, ...pick(c(3), pick(c(2), [...read('start'), ...read('end', -1), ...op.gtS], nonZero(get(F0), k.fLinestart)), [...get(I), ...op.eqz]), ...op.add]),
    feature(11, [...get(G0), ...c(2), ...op.shl, ...read('sent'), ...op.add]),
    feature(12, mix(get(PREV), get(S0))),
    feature(13, [...get(PREV), ...c(4), ...op.shl, ...get(PREV2), ...op.add]),
    feature(15, mix(get(WM1), get(S0))),
    feature(16, mix(get(S0), get(WP1))),
    feature(17, mix(get(PREV), [...get(G0), ...c(1), ...op.shl, ...nextFlags, ...c(k.fCap), ...op.and, ...op.add])),
    // First best wins ties: best = l when score(l) > top.
    get(A0), op.i32x4Lane(0), op.tee(ZERO), op.set(TOP), c(0), op.set(BEST),
    ...Array.from({ length: 10 }, (_, m) => {
      const l = m + 1;
      return [...get(A0 + (l >> 2)), ...op.i32x4Lane(l & 3), ...op.set(X), ...pick(c(l), get(BEST), [...get(X), ...get(TOP), ...op.gtS]), ...op.set(BEST), ...pick(get(X), get(TOP), [...get(X), ...get(TOP), ...op.gtS]), ...op.set(TOP)];
    }),
    write('label', get(BEST)),
    write('margin', [...get(TOP), ...get(ZERO), ...op.sub, ...op.f32FromI32], true),
    get(PREV), op.set(PREV2), get(BEST), op.set(PREV),
    op.end,
  ]));
  return { name: 'tag', params: 2, locals: [[I32_LOCALS - 2, I32], [4, V128]], body };
}

