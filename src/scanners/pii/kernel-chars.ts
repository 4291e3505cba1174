/**
 * `countChars` of char-stats.ts as a WebAssembly listing (for `wasm-asm.ts`): the same counts,
 * from the text the tagger kernel already holds (so one copy serves the recognisers' gates, the
 * tokenizer and the tagger). The text region has eight zero units before the text and four after
 * it (written by `wasm-tagger.ts`): reads just outside the text see no letter and no digit, as
 * `charCodeAt` past either end does.
 */
import { CHAR_STATS_BITS as B, STAT_FIELDS } from './char-stats.ts';
import { HEADER_STATS, HEADER_TEXT, MODEL_FIELDS } from './kernel-tag.ts';
import { I32, op, type WasmFunction } from './wasm-asm.ts';

let next = 0;
const local = (): number => next++;
const N = local(), MODEL = local();
const TEXT = local(), PAIRS = local(), THIRD = local(), VAT = local(), RUNS = local(), OUT = local();
const I = local(), C = local(), L = local(), K = local(), FROM = local(), RUN = local(), PRE = local(), ROW = local(), X = local(), SEP = local(), JOIN = local(), A = local(), BB = local();
/** Counters, one per STAT_FIELDS entry (in that order), then the run state. */
const STAT = STAT_FIELDS.map(() => local());
const S = Object.fromEntries(STAT_FIELDS.map((name, k) => [name, STAT[k]!])) as Record<(typeof STAT_FIELDS)[number], number>;
const SP = local(), PH = local(), DT = local(), DO = local(), DSEP = local(), LASTG = local(), GBEFORE = local();
const LOCALS = next;

const c = (value: number): number[] => op.i32(value);
const get = (l: number): number[] => op.get(l);
const set = (l: number, value: number[]): number[] => [...value, ...op.set(l)];
const inc = (l: number, by: number[] = c(1)): number[] => set(l, [...get(l), ...by, ...op.add]);
const eq = (a: number[], b: number[]): number[] => [...a, ...b, ...op.eq];
const and = (...parts: number[][]): number[] => parts.reduce((acc, p, k) => (k === 0 ? p : [...acc, ...p, ...op.and]));
const or = (...parts: number[][]): number[] => parts.reduce((acc, p, k) => (k === 0 ? p : [...acc, ...p, ...op.or]));
const pick = (a: number[], b: number[], cond: number[]): number[] => [...a, ...b, ...cond, ...op.select];
const ge = (a: number[], b: number[]): number[] => [...a, ...b, ...op.geS];
const max = (l: number, v: number): number[] => set(l, pick(get(v), get(l), [...get(v), ...get(l), ...op.gtS]));
/** The UTF-16 unit at index `at` (may be up to 8 before the text or 4 after it). */
const unit = (at: number[]): number[] => [...at, ...c(1), ...op.shl, ...get(TEXT), ...op.add, ...op.load16u(0)];
const plus = (l: number, k: number): number[] => [...get(l), ...c(k), ...op.add];
/** (x - base) < span, unsigned. */
const within = (x: number[], base: number, span: number): number[] => [...x, ...c(base), ...op.sub, ...c(span), ...op.ltU];
const isLetter = (x: number[]): number[] => within([...x, ...c(0x20), ...op.or], 97, 26);
const isUpper = (x: number[]): number[] => within(x, 65, 26);
const isDigit = (x: number[]): number[] => within(x, 48, 10);
const resetRuns = [set(SP, c(0)), set(PH, c(0)), set(DT, c(0)), set(DO, c(0)), set(DSEP, c(0))];

/** wordBefore of char-stats.ts: the `count` units before `end` are letters (capitals) that start a word. */
function wordBefore(end: number[], count: number, upper: boolean): number[] {
  const from = [...end, ...c(count), ...op.sub];
  const parts = [ge(end, c(count))];
  for (let k = 0; k < count; k++) parts.push((upper ? isUpper : isLetter)(unit([...from, ...c(k), ...op.add])));
  const edge = unit([...from, ...c(1), ...op.sub]);
  parts.push([...isLetter(edge), ...isDigit(edge), ...op.or, ...op.eqz]);
  return and(...parts);
}

/** The `countChars(n, model)` export: the counts of the `n`-unit text, in STAT_FIELDS order at the header's stats address. */
export function countCharsKernel(): WasmFunction {
  const field = (name: (typeof MODEL_FIELDS)[number]): number[] => [...get(MODEL), ...op.load(MODEL_FIELDS.indexOf(name) * 4)];
  const body: number[][] = [
    set(TEXT, [...c(HEADER_TEXT * 4), ...op.load(0)]), set(OUT, [...c(HEADER_STATS * 4), ...op.load(0)]),
    set(PAIRS, field('pairs')), set(THIRD, field('third')), set(VAT, field('vat')), set(RUNS, field('runs')),
    set(S.firstDigit, c(-1)), set(S.lastDigit, c(-1)), set(S.firstIdWord, c(-1)), set(S.firstMonth, c(-1)),
    op.block, op.loop, ge(get(I), get(N)), op.brIf(1),
    set(C, unit(get(I))),
    set(L, [...get(C), ...c(0x20), ...op.or, ...c(97), ...op.sub]),
    // A word of ASCII letters, at once: it ends every run.
    get(L), c(26), op.ltU, op.if, ...resetRuns, set(PRE, c(0)), set(FROM, get(I)),
    set(X, [...unit(plus(I, 1)), ...c(0x20), ...op.or, ...c(97), ...op.sub]),
    get(X), c(26), op.ltU, op.if,
    set(ROW, [...get(L), ...c(26), ...op.mul, ...get(X), ...op.add, ...get(PAIRS), ...op.add, ...op.load8u(0)]),
    get(ROW), op.if,
    set(X, [...unit(plus(I, 2)), ...c(0x20), ...op.or, ...c(97), ...op.sub]),
    set(X, pick(get(X), c(B.notLetter), [...get(X), ...c(26), ...op.ltU])),
    set(PRE, [...get(ROW), ...c(1), ...op.sub, ...c(27), ...op.mul, ...get(X), ...op.add, ...get(THIRD), ...op.add, ...op.load8u(0)]),
    inc(S.zipWords, [...get(PRE), ...c(B.zip), ...op.and, ...op.eqz, ...op.eqz]),
    // An identifier prefix counts when the fourth unit is as its keyword needs (fourthOk).
    set(K, [...get(PRE), ...c(3), ...op.shrU]), set(X, unit(plus(I, 3))),
    set(K, and([...get(PRE), ...c(B.id), ...op.and, ...op.eqz, ...op.eqz], or([...get(K), ...op.eqz], pick([...isLetter(get(X)), ...op.eqz], eq([...get(X), ...c(0x20), ...op.or, ...c(96), ...op.sub], get(K)), eq(get(K), c(B.fourthNotLetter)))))),
    // (the first identifier word: where its pattern starts looking)
    set(S.firstIdWord, pick(get(I), get(S.firstIdWord), and(get(K), [...get(S.idWords), ...op.eqz]))),
    inc(S.idWords, get(K)),
    op.end, op.end,
    // An upper-case VAT country code.
    get(C), c(90), op.leS, op.if, set(X, unit(plus(I, 1))), isUpper(get(X)), op.if,
    inc(S.vatWords, [...get(C), ...c(65), ...op.sub, ...c(26), ...op.mul, ...get(X), ...c(65), ...op.sub, ...op.add, ...get(VAT), ...op.add, ...op.load8u(0)]),
    op.end, op.end,
    op.loop, inc(I), isLetter(unit(get(I))), op.brIf(0), op.end,
    // A month word with a digit and a space right before it or a space and a digit right after it.
    set(K, and([...get(PRE), ...c(B.month), ...op.and, ...op.eqz, ...op.eqz], or(
      and(eq(unit([...get(FROM), ...c(1), ...op.sub]), c(32)), isDigit(unit([...get(FROM), ...c(2), ...op.sub]))),
      and(eq(unit(get(I)), c(32)), isDigit(unit(plus(I, 1)))),
    ))),
    set(S.firstMonth, pick(get(FROM), get(S.firstMonth), and(get(K), [...get(S.months), ...op.eqz]))),
    inc(S.months, get(K)),
    op.br(1), op.end,
    set(K, [...c(0)]), get(C), c(128), op.ltU, op.if, set(K, [...get(C), ...get(RUNS), ...op.add, ...op.load8u(0)]), op.end,
    // A run of digits, at once.
    eq(get(K), c(B.all)), op.if,
    set(FROM, get(I)),
    op.loop, inc(I), isDigit(unit(get(I))), op.brIf(0), op.end,
    set(RUN, [...get(I), ...get(FROM), ...op.sub]),
    get(S.digits), op.eqz, op.if, set(S.firstDigit, get(FROM)), op.end,
    set(S.lastDigit, [...get(I), ...c(1), ...op.sub]),
    inc(S.digits, get(RUN)), max(S.longestRun, RUN),
    inc(SP, get(RUN)), max(S.spaced, SP), inc(PH, get(RUN)), max(S.phoneLike, PH), inc(DT, get(RUN)), max(S.dateLike, DT), inc(DO, get(RUN)), max(S.dotted, DO),
    inc(S.dates, and(ge(get(DSEP), c(2)), ge(get(DT), c(4)))),
    and(ge(get(RUN), c(2)), ge(get(FROM), c(2))), op.if,
    wordBefore(get(FROM), 2, false), op.if, inc(S.ibanLike), inc(S.ninoLike),
    op.else, inc(S.ninoLike, and(eq(unit([...get(FROM), ...c(1), ...op.sub]), c(32)), wordBefore([...get(FROM), ...c(1), ...op.sub], 2, false))), op.end,
    inc(S.panLike, and(ge(get(RUN), c(4)), wordBefore(get(FROM), 5, true))),
    op.end,
    // Digit groups joined by one space or hyphen.
    set(SEP, pick(unit([...get(FROM), ...c(1), ...op.sub]), c(0), ge(get(FROM), c(2)))),
    set(JOIN, and(or(eq(get(SEP), c(32)), eq(get(SEP), c(45))), isDigit(unit([...get(FROM), ...c(2), ...op.sub])))),
    set(A, pick(get(LASTG), c(0), get(JOIN))), set(BB, pick(get(GBEFORE), c(0), get(JOIN))),
    inc(S.phoneCore, or(
      and(ge(get(RUN), c(10)), [...get(RUN), ...c(14), ...op.ltS]),
      and(ge(get(RUN), c(2)), ge(get(FROM), c(3)), or(eq(get(SEP), c(32)), eq(get(SEP), c(46)), eq(get(SEP), c(45))), isDigit(unit([...get(FROM), ...c(2), ...op.sub])), isDigit(unit([...get(FROM), ...c(3), ...op.sub]))),
    )),
    // A NINO's last digits: 2, 4 or 6 of them, then (after one space at most) A-D and no letter or digit.
    set(X, pick(plus(I, 1), get(I), eq(unit(get(I)), c(32)))),
    inc(S.ninoTail, and(
      or(eq(get(RUN), c(2)), eq(get(RUN), c(4)), eq(get(RUN), c(6))),
      within([...unit(get(X)), ...c(0x20), ...op.or], 97, 4),
      [...isLetter(unit(plus(X, 1))), ...isDigit(unit(plus(X, 1))), ...op.or, ...op.eqz],
    )),
    inc(S.nineLike, eq(get(RUN), c(9))),
    inc(S.ssnLike, or(eq(get(RUN), c(9)), and(eq(get(RUN), c(4)), eq(get(A), c(2)), eq(get(BB), c(3))))),
    inc(S.tenLike, or(eq(get(RUN), c(10)), and(eq(get(RUN), c(7)), eq(get(A), c(3))), and(eq(get(RUN), c(4)), or(eq(get(A), c(6)), and(eq(get(A), c(3)), eq(get(BB), c(3))))))),
    inc(S.twelveLike, or(eq(get(RUN), c(12)), and(eq(get(RUN), c(8)), eq(get(A), c(4))), and(eq(get(RUN), c(4)), or(eq(get(A), c(8)), and(eq(get(A), c(4)), eq(get(BB), c(4))))))),
    set(GBEFORE, get(A)), set(LASTG, get(RUN)),
    op.br(1), op.end,
    inc(I),
    // Most other characters end every run.
    get(K), op.eqz, op.if, ...resetRuns, inc(S.colons, eq(get(C), c(58))), op.br(1), op.end,
    set(SP, pick(get(SP), c(0), [...get(K), ...c(B.spaced), ...op.and])),
    set(PH, pick(get(PH), c(0), [...get(K), ...c(B.phone), ...op.and])),
    get(K), c(B.date), op.and, op.if, inc(DSEP), op.else, set(DT, c(0)), set(DSEP, c(0)), op.end,
    set(DO, pick(get(DO), c(0), [...get(K), ...c(B.dotted), ...op.and])),
    inc(S.dots, eq(get(C), c(46))), inc(S.dashes, eq(get(C), c(45))),
    op.br(0), op.end, op.end,
  ];
  STAT.forEach((l, k) => body.push(get(OUT), get(l), op.store(k * 4)));
  return { name: 'countChars', params: 2, locals: [[LOCALS - 2, I32]], body };
}
