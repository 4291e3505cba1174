/**
 * `tokenize` of tokens.ts as a WebAssembly listing (for `wasm-asm.ts`): the same tokens, hashes,
 * shapes, suffixes and flags, written into the kernel's token arrays from the text copied into its
 * memory as UTF-16. Units below U+0250 are classed from a table; those from U+0250 up (classed by
 * a Unicode regex in tokens.ts) by the imported `unitClass` (function 0). No branch inside a word
 * (a word ends at the zero unit after the text). It also stores the text's `textFacts` bits (@,
 * ://, www., an ASCII digit) at HEADER_FACTS. Full token arrays make it return -2.
 */
import { F_ALLCAP, F_ALLDIGIT, F_CAP, F_HASDIGIT, F_LINESTART, F_LOWER, F_MIXED, K_DIGIT, K_PUNCT, K_WORD } from './tokens.ts';
import { FACT_AT, FACT_DIGIT, FACT_SCHEME, FACT_WWW } from './char-stats.ts';
import { ARRAY_NAMES, HEADER_FACTS, HEADER_TEXT, MODEL_FIELDS, PAD, TABLE_LIMIT, TOKEN_ARRAYS } from './kernel-tag.ts';
import { I32, op, type WasmFunction } from './wasm-asm.ts';

const FNV = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const SPACE = 4;
/** Bit 19 + class of a `chars` word of a letter or digit: a word's units OR them together (which classes it holds). */
export const CLASS_BIT = 19;
const UPPER_BIT = 1 << (CLASS_BIT + 1), LOWER_BIT = 1 << (CLASS_BIT + 2), DIGIT_BIT = 1 << (CLASS_BIT + 3);
/** Bit of a `chars` word of an ASCII digit (for `FACT_DIGIT`). */
export const ASCII_DIGIT_BIT = 1 << 23;

let next = 0;
const local = (): number => next++;
const N = local(), MODEL = local(), CAP = local();
const BASE: Record<string, number> = {};
for (const name of TOKEN_ARRAYS) BASE[name] = local();
const TEXT = local(), CHARS = local(), INFO = local();
const I = local(), COUNT = local(), LINE = local(), C = local(), CLS = local(), S = local(), FIRST = local(), H = local(), SH = local();
const LAST = local(), RUN = local(), UP = local(), ANY = local(), NE = local(), LEN = local(), SUF = local(), SC = local(), SEEN = local(), FACTS = local(), F1 = local(), F2 = local(), F3 = local();
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
/**
 * The `chars` word of a unit below U+0250: its case fold (bits 0-15), class (16-18), the class of a
 * letter or digit as one bit (bit 19 + class: `CLASS_BIT`), `ASCII_DIGIT_BIT`, and the shape letter
 * X, x or d (24-31).
 */
const info = (ch: number[]): number[] => [...ch, ...c(2), ...op.shl, ...get(CHARS), ...op.add, ...op.load(0)];
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
  const readInfo = [
    set(C, unit(get(I))), get(C), c(TABLE_LIMIT), op.geU, op.if,
    get(C), op.call(0), op.set(CLS), get(C), get(CLS), c(16), op.shl, op.or, shapeLetter(CLS), c(24), op.shl, op.or,
    c(1), get(CLS), c(CLASS_BIT), op.add, op.shl, c(UPPER_BIT | LOWER_BIT | DIGIT_BIT), op.and, op.or, op.set(INFO),
    op.else, info(get(C)), op.set(INFO), op.end,
  ];
  const classOfInfo = [get(INFO), c(16), op.shrU, c(7), op.and, op.set(CLS)];
  const readClass = [...readInfo, ...classOfInfo];
  // C, INFO and CLS always describe unit I: read before the loop and after each step. The unit at
  // N is a zero unit (its class 0 ends a word), so the word loop needs no length test.
  body.push(...readClass, op.block, op.loop, get(I), get(N), op.geS, op.brIf(1));
  // Whitespace: a newline starts a line.
  body.push(eq(get(CLS), c(SPACE)), op.if, get(LINE), eq(get(C), c(10)), op.or, op.set(LINE), get(I), c(1), op.add, op.set(I), ...readClass, op.br(1), op.end);
  body.push(get(COUNT), get(CAP), op.geS, op.if, c(-2), op.return, op.end);
  // Punctuation: a one-character token (and the text's `FACT_*` bits: @, ://, www.).
  body.push(get(CLS), op.eqz, op.if);
  const at = (k: number): number[] => unit([...get(I), ...c(k), ...op.add]);
  body.push(
    set(FACTS, [...get(FACTS), ...pick(c(FACT_AT), c(0), eq(get(C), c(64))), ...op.or]),
    eq(get(C), c(58)), op.if, set(FACTS, [...get(FACTS), ...pick(c(FACT_SCHEME), c(0), [...eq(at(1), c(47)), ...eq(at(2), c(47)), ...op.and]), ...op.or]), op.end,
    eq(get(C), c(46)), op.if, set(FACTS, [...get(FACTS), ...pick(c(FACT_WWW), c(0), [...eq(at(-1), c(119)), ...eq(at(-2), c(119)), ...op.and, ...eq(at(-3), c(119)), ...op.and]), ...op.or]), op.end,
  );
  body.push(
    put('start', get(I)), put('end', [...get(I), ...c(1), ...op.add]), put('kind', c(K_PUNCT)), put('flags', pick(c(F_LINESTART), c(0), get(LINE))),
    put('hash', mixc(c(FNV), get(C))), put('shape', mixc(c(FNV ^ 0x55), get(C))), put('suffix', c(0)),
    set(COUNT, [...get(COUNT), ...c(1), ...op.add]), set(LINE, c(0)), set(I, [...get(I), ...c(1), ...op.add]), ...readClass, op.br(1),
  );
  body.push(op.end);
  // A word: letters and digits.
  // UP counts capitals; ANY has the CLASS_BIT of every class in the word (lower, digit).
  body.push(set(S, get(I)), set(FIRST, get(CLS)), set(H, c(FNV)), set(SH, c(FNV)), set(LAST, c(-1)), set(RUN, c(0)), set(UP, c(0)), set(ANY, c(0)));
  body.push(op.loop);
  // F1, F2, F3: the last three folded units (for the suffix).
  body.push(set(F3, get(F2)), set(F2, get(F1)), set(F1, [...get(INFO), ...c(0xffff), ...op.and]));
  body.push(set(H, mixc(get(H), get(F1))), set(SC, [...get(INFO), ...c(24), ...op.shrU]));
  body.push(set(UP, [...get(UP), ...get(INFO), ...c(CLASS_BIT + 1), ...op.shrU, ...c(1), ...op.and, ...op.add]), set(ANY, [...get(ANY), ...get(INFO), ...op.or]));
  // Shape, without branches: a new letter is mixed in and starts a run; runs longer than 4
  // collapse; the third and fourth of a run count only once a digit is seen.
  body.push(set(NE, [...get(SC), ...get(LAST), ...op.ne]));
  const mixShape = [...get(NE), ...get(RUN), ...c(4), ...op.ltS, ...get(RUN), ...c(2), ...op.ltS, ...get(ANY), ...c(DIGIT_BIT), ...op.and, ...op.eqz, ...op.eqz, ...op.or, ...op.and, ...op.or];
  body.push(set(SH, pick(mixc(get(SH), get(SC)), get(SH), mixShape)));
  body.push(set(RUN, pick(c(1), [...get(RUN), ...get(RUN), ...c(4), ...op.ltS, ...op.add], get(NE))), set(LAST, get(SC)));
  // The word goes on while the next unit is a letter or digit (its class bit is set).
  body.push(set(I, [...get(I), ...c(1), ...op.add]), ...readInfo);
  body.push(get(INFO), c(UPPER_BIT | LOWER_BIT | DIGIT_BIT), op.and, op.brIf(0), op.end, ...classOfInfo);
  body.push(set(LEN, [...get(I), ...get(S), ...op.sub]));
  // Suffix: the last three folded units (as many as the word has), without branches.
  body.push(set(SUF, c(FNV ^ 0x3)));
  body.push(set(SUF, pick(mixc(get(SUF), get(F3)), get(SUF), [...get(LEN), ...c(3), ...op.geS])));
  body.push(set(SUF, pick(mixc(get(SUF), get(F2)), get(SUF), [...get(LEN), ...c(2), ...op.geS])));
  body.push(set(SUF, mixc(get(SUF), get(F1))));
  const flag = (bit: number, cond: number[]): number[] => pick(c(bit), c(0), cond);
  const has = (bits: number): number[] => [...get(ANY), ...c(bits), ...op.and, ...op.eqz, ...op.eqz];
  const lacks = (bits: number): number[] => [...get(ANY), ...c(bits), ...op.and, ...op.eqz];
  // A word's units are capitals, lowercase letters and digits only: all digits = no letter.
  const flags = [
    ...flag(F_LINESTART, get(LINE)),
    ...flag(F_CAP, eq(get(FIRST), c(1))), ...op.or,
    ...flag(F_ALLCAP, [...get(UP), ...c(1), ...op.gtS, ...lacks(LOWER_BIT), ...op.and]), ...op.or,
    ...flag(F_LOWER, eq([...get(ANY), ...c(UPPER_BIT | LOWER_BIT | DIGIT_BIT), ...op.and], c(LOWER_BIT))), ...op.or,
    ...flag(F_HASDIGIT, has(DIGIT_BIT)), ...op.or,
    ...flag(F_ALLDIGIT, lacks(UPPER_BIT | LOWER_BIT)), ...op.or,
    ...flag(F_MIXED, [...has(DIGIT_BIT), ...has(UPPER_BIT | LOWER_BIT), ...op.and]), ...op.or,
  ];
  body.push(
    put('start', get(S)), put('end', get(I)), put('kind', pick(c(K_DIGIT), c(K_WORD), lacks(UPPER_BIT | LOWER_BIT))), put('flags', flags),
    put('hash', get(H)), put('shape', mixc(get(SH), pick(get(LEN), c(8), [...get(LEN), ...c(8), ...op.ltS]))), put('suffix', get(SUF)),
    set(COUNT, [...get(COUNT), ...c(1), ...op.add]), set(LINE, c(0)), set(SEEN, [...get(SEEN), ...get(ANY), ...op.or]),
  );
  body.push(op.br(0), op.end, op.end);
  body.push(c(HEADER_FACTS * 4), get(FACTS), pick(c(FACT_DIGIT), c(0), [...get(SEEN), ...c(ASCII_DIGIT_BIT), ...op.and]), op.or, op.store(0), get(COUNT));
  return { name: 'tokenize', params: 3, results: [I32], locals: [[LOCALS - 3, I32]], body };
}
