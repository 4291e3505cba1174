/**
 * A single-pass tokenizer for the tagger: runs of letters/digits are words, any other visible
 * character is a one-character token, whitespace separates. Token data lives in typed arrays
 * (no per-token objects), with a lowercase FNV hash, a shape hash and a suffix hash per token.
 */

/** Token kind bits. */
export const K_WORD = 1;
export const K_DIGIT = 2;
export const K_PUNCT = 4;

/** Shape classes packed in `flags`. */
export const F_CAP = 1; // first char upper
export const F_ALLCAP = 2; // all letters upper, length > 1
export const F_LOWER = 4; // all lower
export const F_HASDIGIT = 8;
export const F_ALLDIGIT = 16;
export const F_LINESTART = 32; // first token on its line
export const F_MIXED = 64; // letters and digits

export class Tokens {
  count = 0;
  start = new Int32Array(1024);
  end = new Int32Array(1024);
  kind = new Uint8Array(1024);
  flags = new Uint8Array(1024);
  /** FNV-1a of the lowercase token. */
  hash = new Int32Array(1024);
  shape = new Int32Array(1024);
  suffix = new Int32Array(1024);

  /** Grows the arrays (keeping the first `count` tokens) to hold at least `size` tokens. */
  reserve(size: number): void {
    if (size <= this.start.length) return;
    this.grow(Math.max(size, this.start.length * 2));
  }

  protected grow(size = this.start.length * 2): void {
    const g32 = (a: Int32Array): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    const g8 = (a: Uint8Array): Uint8Array<ArrayBuffer> => {
      const b = new Uint8Array(size);
      b.set(a);
      return b;
    };
    this.start = g32(this.start);
    this.end = g32(this.end);
    this.hash = g32(this.hash);
    this.shape = g32(this.shape);
    this.suffix = g32(this.suffix);
    this.kind = g8(this.kind);
    this.flags = g8(this.flags);
  }

  push(start: number, end: number, kind: number, flags: number, hash: number, shape: number, suffix: number): void {
    if (this.count === this.start.length) this.grow();
    const i = this.count++;
    this.start[i] = start;
    this.end[i] = end;
    this.kind[i] = kind;
    this.flags[i] = flags;
    this.hash[i] = hash;
    this.shape[i] = shape;
    this.suffix[i] = suffix;
  }
}

const LETTER_RE = /[\p{L}\p{M}]/u;

/** 0 other, 1 upper letter, 2 lower letter, 3 digit. */
export function charClass(c: number): number {
  if (c < 128) {
    if (c >= 97 && c <= 122) return 2;
    if (c >= 65 && c <= 90) return 1;
    if (c >= 48 && c <= 57) return 3;
    return 0;
  }
  if (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) {
    if (c <= 0xde) return 1;
    if (c <= 0xff) return 2;
    return c % 2 === 0 ? 1 : 2; // Latin Extended-A/B alternate upper/lower for the most part
  }
  if (c >= 0xd800 && c <= 0xdfff) return 0;
  const ch = String.fromCharCode(c);
  if (!LETTER_RE.test(ch)) return 0;
  return ch.toLowerCase() !== ch ? 1 : 2;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 0x200b || c === 12 || c === 11 || (c >= 0x2000 && c <= 0x200a) || c === 0x3000;
}

/** Folds ASCII and Latin-1 upper case to lower for hashing. */
function lowerCode(c: number): number {
  if (c >= 65 && c <= 90) return c + 32;
  if (c >= 0xc0 && c <= 0xde && c !== 0xd7) return c + 32;
  return c;
}

const FNV = 0x811c9dc5;
function mixc(h: number, c: number): number {
  return Math.imul(h ^ c, 0x01000193);
}

/** Per code unit below 0x250: charClass, or SPACE for the whitespace isSpace accepts. */
const SPACE = 4;
const CLASS = new Uint8Array(0x250);
/** lowerCode below 0x100. */
const LOWER = new Uint16Array(0x100);
for (let c = 0; c < 0x250; c++) CLASS[c] = isSpace(c) ? SPACE : charClass(c);
for (let c = 0; c < 0x100; c++) LOWER[c] = lowerCode(c);

/** Classes of units from 0x250 up as they are met: class + 1 (0: not asked yet); `charClass` runs a regex. */
const HIGH_CLASS = new Uint8Array(0x10000);

/** isSpace ? SPACE : charClass, for a unit from 0x250 up (remembered per unit). */
function highClass(c: number): number {
  const known = HIGH_CLASS[c]!;
  if (known !== 0) return known - 1;
  const cls = isSpace(c) ? SPACE : charClass(c);
  HIGH_CLASS[c] = cls + 1;
  return cls;
}

/** lowerCode from the table below 0x100. */
function fold(c: number): number {
  return c < 0x100 ? LOWER[c]! : c;
}

/**
 * Tokenizes `text` into `out` (reused). One pass, class and case folding from tables for the
 * Latin ranges, a fast path for lowercase ASCII letters; the suffix hash from the last three characters read back.
 */
export function tokenize(text: string, out: Tokens): void {
  const n = text.length;
  let count = 0;
  let cap = out.start.length;
  let { start: starts, end: ends, kind: kinds, flags: flagsOut, hash: hashes, shape: shapes, suffix: suffixes } = out;
  let i = 0;
  let lineStart = true;
  while (i < n) {
    const c = text.charCodeAt(i);
    let cls = c < 0x250 ? CLASS[c]! : highClass(c);
    if (cls === SPACE) {
      if (c === 10) lineStart = true;
      i++;
      continue;
    }
    if (count === cap) {
      out.count = count;
      out.reserve(count + 1);
      cap = out.start.length;
      ({ start: starts, end: ends, kind: kinds, flags: flagsOut, hash: hashes, shape: shapes, suffix: suffixes } = out);
    }
    if (cls === 0) {
      starts[count] = i;
      ends[count] = i + 1;
      kinds[count] = K_PUNCT;
      flagsOut[count] = lineStart ? F_LINESTART : 0;
      hashes[count] = mixc(FNV, c);
      shapes[count] = mixc(FNV ^ 0x55, c);
      suffixes[count] = 0;
      count++;
      lineStart = false;
      i++;
      continue;
    }
    const s = i;
    const first = cls;
    let h = FNV;
    let shape = FNV;
    let lastShape = -1;
    let shapeRun = 0;
    let uppers = 0;
    let lowers = 0;
    let digits = 0;
    let d = c;
    for (;;) {
      h = mixc(h, d < 0x100 ? LOWER[d]! : d);
      let sc: number;
      if (cls === 1) {
        uppers++;
        sc = 88; // X
      } else if (cls === 2) {
        lowers++;
        sc = 120; // x
      } else {
        digits++;
        sc = 100; // d
      }
      if (sc !== lastShape) {
        shape = mixc(shape, sc);
        lastShape = sc;
        shapeRun = 1;
      } else if (shapeRun < 4) {
        // runs longer than 4 collapse, so "Xxxxx" and "Xxxxxxxx" share a shape
        shapeRun++;
        if (shapeRun <= 2 || digits > 0) shape = mixc(shape, sc);
      }
      i++;
      if (i >= n) break;
      d = text.charCodeAt(i);
      cls = d < 0x250 ? CLASS[d]! : highClass(d);
      if (cls === 0 || cls === SPACE) break;
    }
    const len = i - s;
    // suffix: hash of the last 3 lowercase chars
    let suffix = FNV ^ 0x3;
    if (len >= 3) suffix = mixc(suffix, fold(text.charCodeAt(i - 3)));
    if (len >= 2) suffix = mixc(suffix, fold(text.charCodeAt(i - 2)));
    suffix = mixc(suffix, fold(text.charCodeAt(i - 1)));
    let flags = lineStart ? F_LINESTART : 0;
    if (first === 1) flags |= F_CAP;
    if (uppers > 1 && lowers === 0) flags |= F_ALLCAP;
    if (lowers > 0 && uppers === 0 && digits === 0) flags |= F_LOWER;
    if (digits > 0) flags |= F_HASDIGIT;
    if (digits === len) flags |= F_ALLDIGIT;
    if (digits > 0 && digits < len) flags |= F_MIXED;
    starts[count] = s;
    ends[count] = i;
    kinds[count] = digits === len ? K_DIGIT : K_WORD;
    flagsOut[count] = flags;
    hashes[count] = h;
    shapes[count] = mixc(shape, len < 8 ? len : 8);
    suffixes[count] = suffix;
    count++;
    lineStart = false;
  }
  out.count = count;
}

/** The lowercase FNV hash of a string, equal to the token hash of the same word. */
export function wordHash(word: string): number {
  let h = FNV;
  for (let i = 0; i < word.length; i++) h = mixc(h, lowerCode(word.charCodeAt(i)));
  return h;
}

/** The tokenizer's class of any UTF-16 unit: 0 other, 1 upper, 2 lower, 3 digit, 4 whitespace (for the WebAssembly tokenizer, from U+0250 up). */
export function unitClass(c: number): number {
  return c < 0x250 ? CLASS[c]! : highClass(c);
}

/**
 * The tokenizer's tables below U+0250 for the WebAssembly tokenizer (`kernel-tokenize.ts`): the
 * class of each unit (4 for whitespace) and its case fold.
 */
export function tokenizerTables(): { classes: Uint8Array; fold: Uint16Array } {
  const fold = new Uint16Array(0x250);
  for (let c = 0; c < 0x250; c++) fold[c] = fold0(c);
  return { classes: CLASS.slice(), fold };
}

function fold0(c: number): number {
  return c < 0x100 ? LOWER[c]! : c;
}
