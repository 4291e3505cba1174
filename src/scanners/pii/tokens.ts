/**
 * A single-pass tokenizer for the tagger: runs of letters/digits are words, any other visible
 * character is a one-character token, whitespace separates. Token data lives in typed arrays
 * (no per-token objects), with a lowercase FNV hash, a shape hash and affix hashes per token.
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
  prefix = new Int32Array(1024);
  suffix = new Int32Array(1024);

  private grow(): void {
    const size = this.start.length * 2;
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
    this.prefix = g32(this.prefix);
    this.suffix = g32(this.suffix);
    this.kind = g8(this.kind);
    this.flags = g8(this.flags);
  }

  push(start: number, end: number, kind: number, flags: number, hash: number, shape: number, prefix: number, suffix: number): void {
    if (this.count === this.start.length) this.grow();
    const i = this.count++;
    this.start[i] = start;
    this.end[i] = end;
    this.kind[i] = kind;
    this.flags[i] = flags;
    this.hash[i] = hash;
    this.shape[i] = shape;
    this.prefix[i] = prefix;
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

/** Tokenizes `text` into `out` (reused). */
export function tokenize(text: string, out: Tokens): void {
  out.count = 0;
  const n = text.length;
  let i = 0;
  let lineStart = true;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      if (c === 10) lineStart = true;
      i++;
      continue;
    }
    let cls = charClass(c);
    if (cls === 0) {
      out.push(i, i + 1, K_PUNCT, lineStart ? F_LINESTART : 0, mixc(FNV, c), mixc(FNV ^ 0x55, c), 0, 0);
      lineStart = false;
      i++;
      continue;
    }
    const s = i;
    let h = FNV;
    let shape = FNV;
    let lastShape = -1;
    let shapeRun = 0;
    let uppers = 0;
    let lowers = 0;
    let digits = 0;
    let prefix = FNV;
    while (i < n) {
      const d = text.charCodeAt(i);
      cls = charClass(d);
      if (cls === 0) break;
      const lc = lowerCode(d);
      h = mixc(h, lc);
      if (i - s === 2) prefix = h;
      if (cls === 1) uppers++;
      else if (cls === 2) lowers++;
      else digits++;
      const sc = cls === 1 ? 88 : cls === 2 ? 120 : 100; // X x d
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
    }
    const len = i - s;
    if (len <= 2) prefix = h;
    // suffix: hash of the last 3 lowercase chars
    let suffix = FNV ^ 0x3;
    for (let k = Math.max(s, i - 3); k < i; k++) suffix = mixc(suffix, lowerCode(text.charCodeAt(k)));
    let flags = lineStart ? F_LINESTART : 0;
    const first = charClass(text.charCodeAt(s));
    if (first === 1) flags |= F_CAP;
    if (uppers > 1 && lowers === 0) flags |= F_ALLCAP;
    if (lowers > 0 && uppers === 0 && digits === 0) flags |= F_LOWER;
    if (digits > 0) flags |= F_HASDIGIT;
    if (digits === len) flags |= F_ALLDIGIT;
    if (digits > 0 && digits < len) flags |= F_MIXED;
    out.push(s, i, digits === len ? K_DIGIT : K_WORD, flags, h, mixc(shape, Math.min(len, 8)), prefix, suffix);
    lineStart = false;
  }
}

/** The lowercase FNV hash of a string, equal to the token hash of the same word. */
export function wordHash(word: string): number {
  let h = FNV;
  for (let i = 0; i < word.length; i++) h = mixc(h, lowerCode(word.charCodeAt(i)));
  return h;
}
