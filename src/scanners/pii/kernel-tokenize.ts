/**
 * `tokenize` of tokens.ts as a WebAssembly listing (for `wasm-asm.ts`): the same tokens, hashes,
 * shapes, suffixes and flags, written into the kernel's token arrays from the text copied into its
 * memory as UTF-16. Units below U+0250 are classed from a table; those from U+0250 up (classed by
 * a Unicode regex in tokens.ts) by the imported `unitClass` (function 0). Full token arrays make it
 * return -2.
 */
import { F_ALLCAP, F_ALLDIGIT, F_CAP, F_HASDIGIT, F_LINESTART, F_LOWER, F_MIXED, K_DIGIT, K_PUNCT, K_WORD } from './tokens.ts';
import { ARRAY_NAMES, HEADER_TEXT, MODEL_FIELDS, PAD, TABLE_LIMIT, TOKEN_ARRAYS } from './kernel-tag.ts';
import { I32, op, type WasmFunction } from './wasm-asm.ts';

const FNV = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const SPACE = 4;

let next = 0;
const local = (): number => next++;
const N = local(), MODEL = local(), CAP = local();
const BASE: Record<string, number> = {};
for (const name of TOKEN_ARRAYS) BASE[name] = local();
const TEXT = local(), CHARS = local(), INFO = local();
const I = local(), COUNT = local(), LINE = local(), C = local(), CLS = local(), S = local(), FIRST = local(), H = local(), SH = local();
const LAST = local(), RUN = local(), UP = local(), LO = local(), DG = local(), LEN = local(), SUF = local(), SC = local(), X = local();
const LOCALS = next;

const c = (value: number): number[] => op.i32(value);
const get = (l: number): number[] => op.get(l);
const set = (l: number, value: number[]): number[] => [...value, ...op.set(l)];
/** Math.imul(h ^ ch, FNV_PRIME). */
const mixc = (h: number[], ch: number[]): number[] => [...h, ...ch, ...op.xor, ...c(FNV_PRIME), ...op.mul];
/** `cond ? a : b` (both evaluated). */
const pick = (a: number[], b: number[], cond: number[]): number[] => [...a, ...b, ...cond, ...op.select];
const eq = (a: number[], b: number[]): number[] => [...a, ...b, ...op.eq];
/** The UTF-16 unit at index `at` (code pushing an i32). */
const unit = (at: number[]): number[] => [...at, ...c(1), ...op.shl, ...get(TEXT), ...op.add, ...op.load16u(0)];
/** The `chars` word of a unit below U+0250: its case fold (bits 0-15), class (16-18) and shape letter X, x or d (24-31). */
const info = (ch: number[]): number[] => [...ch, ...c(2), ...op.shl, ...get(CHARS), ...op.add, ...op.load(0)];
/** The case fold of the unit in local `l` (units from U+0250 up fold to themselves). */
const fold = (l: number): number[] => pick(get(l), [...info(pick(get(l), c(TABLE_LIMIT - 1), [...get(l), ...c(TABLE_LIMIT), ...op.ltU])), ...c(0xffff), ...op.and], [...get(l), ...c(TABLE_LIMIT), ...op.geU]);
/** Stores into token array `name` at entry COUNT. */
function put(name: (typeof TOKEN_ARRAYS)[number], value: number[]): number[] {
  const u8 = name === 'kind' || name === 'flags';
  return [...get(BASE[name]!), ...get(COUNT), ...(u8 ? [] : [...c(2), ...op.shl]), ...op.add, ...value, ...(u8 ? op.store8(PAD) : op.store(PAD * 4))];
}
/** The `tokenize(n, model, capacity)` export: the token count, or -2 when `capacity` tokens do not hold them. */
export function tokenizeKernel(): WasmFunction {
  const body: number[][] = [];
  for (const name of TOKEN_ARRAYS) body.push(c(ARRAY_NAMES.indexOf(name) * 4), op.load(0), op.set(BASE[name]!));
  body.push(c(HEADER_TEXT * 4), op.load(0), op.set(TEXT));
  body.push(get(MODEL), op.load(MODEL_FIELDS.indexOf('chars') * 4), op.set(CHARS));
  body.push(set(I, c(0)), set(COUNT, c(0)), set(LINE, c(1)));
  // INFO = the unit's table word, or for a unit from U+0250 up: itself, its class from unitClass, its shape letter.
  const shapeLetter = (cls: number): number[] => pick(c(88), pick(c(120), pick(c(100), c(0), eq(get(cls), c(3))), eq(get(cls), c(2))), eq(get(cls), c(1)));
  const readClass = [
    set(C, unit(get(I))), get(C), c(TABLE_LIMIT), op.geU, op.if,
    get(C), op.call(0), op.set(CLS), get(C), get(CLS), c(16), op.shl, op.or, shapeLetter(CLS), c(24), op.shl, op.or, op.set(INFO),
    op.else, info(get(C)), op.set(INFO), op.end,
    get(INFO), c(16), op.shrU, c(7), op.and, op.set(CLS),
  ];
  body.push(op.block, op.loop, get(I), get(N), op.geS, op.brIf(1), ...readClass);
  // Whitespace: a newline starts a line.
  body.push(eq(get(CLS), c(SPACE)), op.if, get(LINE), eq(get(C), c(10)), op.or, op.set(LINE), get(I), c(1), op.add, op.set(I), op.br(1), op.end);
  body.push(get(COUNT), get(CAP), op.geS, op.if, c(-2), op.return, op.end);
  // Punctuation: a one-character token.
  body.push(get(CLS), op.eqz, op.if);
  body.push(
    put('start', get(I)), put('end', [...get(I), ...c(1), ...op.add]), put('kind', c(K_PUNCT)), put('flags', pick(c(F_LINESTART), c(0), get(LINE))),
    put('hash', mixc(c(FNV), get(C))), put('shape', mixc(c(FNV ^ 0x55), get(C))), put('suffix', c(0)),
    set(COUNT, [...get(COUNT), ...c(1), ...op.add]), set(LINE, c(0)), set(I, [...get(I), ...c(1), ...op.add]), op.br(1),
  );
  body.push(op.end);
  // A word: letters and digits.
  body.push(set(S, get(I)), set(FIRST, get(CLS)), set(H, c(FNV)), set(SH, c(FNV)), set(LAST, c(-1)), set(RUN, c(0)), set(UP, c(0)), set(LO, c(0)), set(DG, c(0)));
  body.push(op.block, op.loop);
  body.push(set(H, mixc(get(H), [...get(INFO), ...c(0xffff), ...op.and])), set(SC, [...get(INFO), ...c(24), ...op.shrU]));
  body.push(set(UP, [...get(UP), ...eq(get(CLS), c(1)), ...op.add]), set(LO, [...get(LO), ...eq(get(CLS), c(2)), ...op.add]), set(DG, [...get(DG), ...eq(get(CLS), c(3)), ...op.add]));
  // Shape: runs longer than 4 collapse; the third and fourth of a run count only once a digit is seen.
  body.push(get(SC), get(LAST), op.ne, op.if, set(SH, mixc(get(SH), get(SC))), set(LAST, get(SC)), set(RUN, c(1)));
  body.push(op.else, get(RUN), c(4), op.ltS, op.if, set(RUN, [...get(RUN), ...c(1), ...op.add]));
  body.push(get(RUN), c(3), op.ltS, get(DG), op.eqz, op.eqz, op.or, op.if, set(SH, mixc(get(SH), get(SC))), op.end, op.end, op.end);
  body.push(set(I, [...get(I), ...c(1), ...op.add]), get(I), get(N), op.geS, op.brIf(1), ...readClass);
  body.push(get(CLS), op.eqz, eq(get(CLS), c(SPACE)), op.or, op.brIf(1), op.br(0), op.end, op.end);
  body.push(set(LEN, [...get(I), ...get(S), ...op.sub]));
  // Suffix: the last three folded units.
  const back = (k: number): number[] => [...set(X, unit([...get(I), ...c(k), ...op.sub])), ...fold(X)];
  body.push(set(SUF, c(FNV ^ 0x3)));
  body.push(get(LEN), c(3), op.geS, op.if, set(SUF, mixc(get(SUF), back(3))), op.end);
  body.push(get(LEN), c(2), op.geS, op.if, set(SUF, mixc(get(SUF), back(2))), op.end);
  body.push(set(SUF, mixc(get(SUF), back(1))));
  const flag = (bit: number, cond: number[]): number[] => pick(c(bit), c(0), cond);
  const zero = (l: number): number[] => [...get(l), ...op.eqz];
  const positive = (l: number): number[] => [...get(l), ...op.eqz, ...op.eqz];
  const flags = [
    ...flag(F_LINESTART, get(LINE)),
    ...flag(F_CAP, eq(get(FIRST), c(1))), ...op.or,
    ...flag(F_ALLCAP, [...get(UP), ...c(1), ...op.gtS, ...zero(LO), ...op.and]), ...op.or,
    ...flag(F_LOWER, [...positive(LO), ...zero(UP), ...op.and, ...zero(DG), ...op.and]), ...op.or,
    ...flag(F_HASDIGIT, positive(DG)), ...op.or,
    ...flag(F_ALLDIGIT, eq(get(DG), get(LEN))), ...op.or,
    ...flag(F_MIXED, [...positive(DG), ...get(DG), ...get(LEN), ...op.ltS, ...op.and]), ...op.or,
  ];
  body.push(
    put('start', get(S)), put('end', get(I)), put('kind', pick(c(K_DIGIT), c(K_WORD), eq(get(DG), get(LEN)))), put('flags', flags),
    put('hash', get(H)), put('shape', mixc(get(SH), pick(get(LEN), c(8), [...get(LEN), ...c(8), ...op.ltS]))), put('suffix', get(SUF)),
    set(COUNT, [...get(COUNT), ...c(1), ...op.add]), set(LINE, c(0)),
  );
  body.push(op.br(0), op.end, op.end, get(COUNT));
  return { name: 'tokenize', params: 3, results: [I32], locals: [[LOCALS - 3, I32]], body };
}
