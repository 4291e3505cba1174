/**
 * One pass over a text counting what the structured recognisers' patterns need (digits, digit
 * runs of each pattern's alphabet, separators, capitals, the words patterns start with, the
 * letters right before digit runs), so that a pattern whose match cannot occur is never run
 * (running a pattern costs far more than its share of the pass). Results go to the module-level
 * `stats` (no allocation per call), valid until the next `countChars`.
 */

/**
 * Counts of the characters the patterns need, from `countChars` (module state: no allocation per
 * call). A "run" is a maximal stretch of the characters a pattern's match is made of; every match
 * lies inside one, so a pattern needs a run holding at least as many digits as its shortest match.
 * A "word" is a maximal stretch of ASCII letters.
 */
export const stats = {
  digits: 0,
  longestRun: 0,
  dots: 0,
  colons: 0,
  dashes: 0,
  /**
   * Words starting with a month's first three letters (case-insensitive) with a digit and a space
   * right before them or a space and a digit right after them.
   */
  months: 0,
  spaced: 0,
  phoneLike: 0,
  dateLike: 0,
  dotted: 0,
  /** Date runs with at least two separators and four digits (a numeric date needs one). */
  dates: 0,
  /** Words starting like a postcode keyword: zip, pos(tal, tcode), plz (case-insensitive). */
  zipWords: 0,
  /** Words starting like an identifier context keyword (`ID_PREFIXES`, case-insensitive, four letters). */
  idWords: 0,
  /** Words starting with an EU VAT country code (DE IT BE PL NL FR, upper case). */
  vatWords: 0,
  /** Runs of >= 2 digits right after a two-letter word (IBAN), or after one and a space (NINO). */
  ibanLike: 0,
  ninoLike: 0,
  /** Runs of >= 4 digits right after a five-capital word (PAN). */
  panLike: 0,
  /** Runs of 2, 4 or 6 digits, then (after one space at most) A-D or a-d and no letter or digit: a NINO's end. */
  ninoTail: 0,
  /**
   * Digit groups (runs joined by single spaces or hyphens) shaped like a 9-digit number (routing
   * number: one run of 9), an SSN (9, or 3-2-4), a 10-digit number (10, 3-7, 6-4, 3-3-4) and a
   * 12-digit one (12, 4-8, 8-4, 4-4-4).
   */
  nineLike: 0,
  ssnLike: 0,
  tenLike: 0,
  twelveLike: 0,
  /**
   * Digit runs that can hold the core of a phone match (RE.phone): a run of >= 2 digits right
   * after one space, dot or hyphen that follows >= 2 digits, or a run of 10-13 digits.
   */
  phoneCore: 0,
  /** Where the first and last ASCII digits are (-1 when none). */
  firstDigit: -1,
  lastDigit: -1,
  /**
   * Where the first word counted in `idWords` and in `months` starts (-1 when none): the patterns
   * those words gate start no earlier, so they are run from there.
   */
  firstIdWord: -1,
  firstMonth: -1,
};

const MONTH = 1;
const ZIP = 2;
const ID = 4;
/**
 * What an identifier prefix needs of the word's fourth unit (THIRD's bits 3-7): nothing, letter
 * 1-26 (a-z, either case), or no letter (the keyword is a whole three-letter word).
 */
const FOURTH_ANY = 0;
const FOURTH_NOT_LETTER = 27;
/** Letters a..z as 0..25; 26 stands for "not a letter" (the end of a two-letter word). */
const NOT_LETTER = 26;
/**
 * The prefixes as two small tables (they stay in cache): per first two letters a * 26 + b, 0 or
 * the number of that pair's row in THIRD; per row and third letter c, the prefix bits.
 */
const PAIRS = new Uint8Array(26 * 26);
const THIRD = new Uint8Array(64 * 27);
let pairRows = 0;
function addPrefix(prefix: string, bit: number): void {
  const at = (k: number): number => (k < prefix.length ? prefix.charCodeAt(k) - 97 : NOT_LETTER);
  const pair = at(0) * 26 + at(1);
  if (PAIRS[pair] === 0) PAIRS[pair] = ++pairRows;
  // An identifier keyword's fourth unit as FOURTH_* in the bits above the prefix bits.
  const fourth = bit !== ID ? FOURTH_ANY : prefix.length >= 4 ? at(3) + 1 : prefix.length === 3 ? FOURTH_NOT_LETTER : FOURTH_ANY;
  const entry = (PAIRS[pair]! - 1) * 27 + at(2);
  if (fourth !== FOURTH_ANY && THIRD[entry]! >> 3 !== 0) throw new Error(`pii char stats: two fourth letters for ${prefix}`);
  THIRD[entry]! |= bit | (fourth << 3);
}
for (const m of ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']) addPrefix(m, MONTH);
for (const word of ['zip', 'pos', 'plz']) addPrefix(word, ZIP);
/**
 * First letters of the keywords of `RE.idContext` in structured.ts (each of its alternatives starts a
 * word): passport, driver's/driving licence, licence no, dl, medical record, mrn, patient id, health
 * plan, member id, insurance id, policy no, beneficiary. Four letters where the keyword has them
 * (the fourth is checked after the table's three, `fourthOk`); "dl" and "mrn" are whole words
 * (`\bdl\b`, `\bmrn\b`: no letter after them). Keep in step with that pattern.
 */
const ID_PREFIXES = ['pass', 'driv', 'lice', 'dl', 'medi', 'mrn', 'pati', 'heal', 'memb', 'insu', 'poli', 'bene'];
for (const word of ID_PREFIXES) addPrefix(word, ID);
if (pairRows > 64) throw new Error('pii char stats: too many prefixes for THIRD');
/** Upper-case VAT country codes, at a * 26 + b. */
const VAT_CODES = new Uint8Array(26 * 26);
for (const code of ['DE', 'IT', 'BE', 'PL', 'NL', 'FR']) VAT_CODES[(code.charCodeAt(0) - 65) * 26 + code.charCodeAt(1) - 65] = 1;

/** The prefix bits of the word starting at `i` with the letter `first` (0..25). */
function prefixAt(text: string, i: number, first: number): number {
  // past the end charCodeAt is NaN, and (NaN | 0x20) - 97 is no letter
  const b = ((text.charCodeAt(i + 1) | 0x20) - 97) >>> 0;
  if (b >= 26) return 0;
  const row = PAIRS[first * 26 + b]!;
  if (row === 0) return 0;
  const c = ((text.charCodeAt(i + 2) | 0x20) - 97) >>> 0;
  return THIRD[(row - 1) * 27 + (c < 26 ? c : NOT_LETTER)]!;
}

function isLetter(c: number): boolean {
  return ((c | 0x20) - 97) >>> 0 < 26;
}

/** True when the unit at `at` is what FOURTH code `code` asks for (past the end: no letter). */
function fourthOk(text: string, at: number, code: number): boolean {
  if (code === FOURTH_ANY) return true;
  const c = text.charCodeAt(at);
  return code === FOURTH_NOT_LETTER ? !isLetter(c) : (c | 0x20) - 96 === code;
}

/** One of A-D or a-d at `at` with no ASCII letter or digit after it (a NINO's last unit). */
function ninoLetterAt(text: string, at: number): boolean {
  const c = (text.charCodeAt(at) | 0x20) - 97;
  const next = text.charCodeAt(at + 1);
  return c >>> 0 < 4 && !isLetter(next) && !(next >= 48 && next <= 57);
}

/** An ASCII digit (false past either end of the text, where charCodeAt is NaN). */
function digitAt(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  return c >= 48 && c <= 57;
}

function isUpper(c: number): boolean {
  return c - 65 >>> 0 < 26;
}

function isDigit(c: number): boolean {
  return c - 48 >>> 0 < 10;
}

/** True when no letter or digit is at `i` (or `i` is before the text). */
function wordEdge(text: string, i: number): boolean {
  if (i < 0) return true;
  const c = text.charCodeAt(i);
  return !isLetter(c) && !isDigit(c);
}

/** True when the `count` characters before `end` are letters that start a word (`upper`: capitals). */
function wordBefore(text: string, end: number, count: number, upper: boolean): boolean {
  if (end < count) return false;
  for (let k = end - count; k < end; k++) {
    const c = text.charCodeAt(k);
    if (upper ? !isUpper(c) : !isLetter(c)) return false;
  }
  return wordEdge(text, end - count - 1);
}

// Run kinds: digits with spaces and hyphens (cards, SSN, NHS, Aadhaar, NINO), with the phone
// punctuation + ( ) . space hyphen, with date separators . / -, with dots (IPv4).
const R_SPACED = 1;
const R_PHONE = 2;
const R_DATE = 4;
const R_DOTTED = 8;
const R_ALL = R_SPACED | R_PHONE | R_DATE | R_DOTTED;
/** For ASCII: the runs a character continues (digits continue all; anything else ends them all). */
const RUNS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) RUNS[c] = R_ALL;
RUNS[32] = R_SPACED | R_PHONE;
RUNS[45] = R_SPACED | R_PHONE | R_DATE;
RUNS[46] = R_PHONE | R_DATE | R_DOTTED;
RUNS[47] = R_DATE;
RUNS[40] = R_PHONE;
RUNS[41] = R_PHONE;
RUNS[43] = R_PHONE;

/**
 * True when `text` has at least `least` capital letters A-Z. Counted only when a gate needs it
 * (PAN), not in `countChars`' pass.
 */
export function hasUppers(text: string, least: number): boolean {
  let count = 0;
  for (let i = 0; i < text.length; i++) if (isUpper(text.charCodeAt(i)) && ++count >= least) return true;
  return false;
}

export function countChars(text: string): void {
  let digits = 0;
  let longestRun = 0;
  let dots = 0;
  let colons = 0;
  let dashes = 0;
  let months = 0;
  let zipWords = 0;
  let idWords = 0;
  let vatWords = 0;
  let ibanLike = 0;
  let ninoLike = 0;
  let panLike = 0;
  let nineLike = 0;
  let ssnLike = 0;
  let tenLike = 0;
  let twelveLike = 0;
  let phoneCore = 0;
  let ninoTail = 0;
  // lengths of the last digit group and of the one before it when joined to it by one space or hyphen (else 0)
  let lastGroup = 0;
  let groupBefore = 0;
  // digits in the current run of each kind, and the most seen in one
  let spaced = 0;
  let phoneLike = 0;
  let dateLike = 0;
  let dotted = 0;
  let maxSpaced = 0;
  let maxPhone = 0;
  let maxDate = 0;
  let maxDotted = 0;
  let dateSeparators = 0;
  let dates = 0;
  let firstDigit = -1;
  let lastDigit = -1;
  let firstIdWord = -1;
  let firstMonth = -1;
  const n = text.length;
  let i = 0;
  while (i < n) {
    let c = text.charCodeAt(i);
    const letter = ((c | 0x20) - 97) >>> 0;
    if (letter < 26) {
      // a word, at once: it ends every run
      spaced = phoneLike = dateLike = dotted = dateSeparators = 0;
      const prefix = prefixAt(text, i, letter);
      const start = i;
      if (prefix & ZIP) zipWords++;
      if (prefix & ID && fourthOk(text, i + 3, prefix >> 3) && idWords++ === 0) firstIdWord = i;
      if (c <= 90 && isUpper(text.charCodeAt(i + 1)) && VAT_CODES[(c - 65) * 26 + text.charCodeAt(i + 1) - 65] === 1) vatWords++;
      do c = text.charCodeAt(++i);
      while (isLetter(c));
      // A month-name date has a digit and a space right before its month word, or a space and a
      // digit right after it ("5 March 2020", "March 5, 2020").
      if (prefix & MONTH && ((text.charCodeAt(start - 1) === 32 && digitAt(text, start - 2)) || (c === 32 && digitAt(text, i + 1))) && months++ === 0) firstMonth = start;
      continue;
    }
    const kinds = c < 128 ? RUNS[c]! : 0;
    if (kinds === R_ALL) {
      // a run of digits, at once
      const from = i;
      do c = text.charCodeAt(++i);
      while (c >= 48 && c <= 57);
      const run = i - from;
      if (digits === 0) firstDigit = from;
      lastDigit = i - 1;
      digits += run;
      if (run > longestRun) longestRun = run;
      if ((spaced += run) > maxSpaced) maxSpaced = spaced;
      if ((phoneLike += run) > maxPhone) maxPhone = phoneLike;
      if ((dateLike += run) > maxDate) maxDate = dateLike;
      if ((dotted += run) > maxDotted) maxDotted = dotted;
      if (dateSeparators >= 2 && dateLike >= 4) dates++;
      if (run >= 2 && from >= 2) {
        if (wordBefore(text, from, 2, false)) {
          ibanLike++;
          ninoLike++;
        } else if (text.charCodeAt(from - 1) === 32 && wordBefore(text, from - 1, 2, false)) ninoLike++;
        if (run >= 4 && wordBefore(text, from, 5, true)) panLike++;
      }
      // digit groups: this one's length with the previous two when they are joined
      const separator = from >= 2 ? text.charCodeAt(from - 1) : 0;
      const joined = (separator === 32 || separator === 45) && isDigit(text.charCodeAt(from - 2));
      const a = joined ? lastGroup : 0;
      const b = joined ? groupBefore : 0;
      if ((run >= 10 && run <= 13) || (run >= 2 && from >= 3 && (separator === 32 || separator === 46 || separator === 45) && isDigit(text.charCodeAt(from - 2)) && isDigit(text.charCodeAt(from - 3)))) phoneCore++;
      if ((run === 2 || run === 4 || run === 6) && ninoLetterAt(text, text.charCodeAt(i) === 32 ? i + 1 : i)) ninoTail++;
      if (run === 9) nineLike++;
      if (run === 9 || (run === 4 && a === 2 && b === 3)) ssnLike++;
      if (run === 10 || (run === 7 && a === 3) || (run === 4 && (a === 6 || (a === 3 && b === 3)))) tenLike++;
      if (run === 12 || (run === 8 && a === 4) || (run === 4 && (a === 8 || (a === 4 && b === 4)))) twelveLike++;
      groupBefore = a;
      lastGroup = run;
      continue;
    }
    i++;
    if (kinds === 0) {
      // most other characters end every run
      spaced = phoneLike = dateLike = dotted = dateSeparators = 0;
      if (c === 58) colons++;
      continue;
    }
    if (!(kinds & R_SPACED)) spaced = 0;
    if (!(kinds & R_PHONE)) phoneLike = 0;
    if (!(kinds & R_DATE)) dateLike = dateSeparators = 0;
    else dateSeparators++;
    if (!(kinds & R_DOTTED)) dotted = 0;
    if (c === 46) dots++;
    else if (c === 45) dashes++;
  }
  stats.digits = digits;
  stats.longestRun = longestRun;
  stats.dots = dots;
  stats.colons = colons;
  stats.dashes = dashes;
  stats.months = months;
  stats.spaced = maxSpaced;
  stats.phoneLike = maxPhone;
  stats.dateLike = maxDate;
  stats.dotted = maxDotted;
  stats.dates = dates;
  stats.zipWords = zipWords;
  stats.idWords = idWords;
  stats.vatWords = vatWords;
  stats.ibanLike = ibanLike;
  stats.ninoLike = ninoLike;
  stats.panLike = panLike;
  stats.nineLike = nineLike;
  stats.ssnLike = ssnLike;
  stats.tenLike = tenLike;
  stats.twelveLike = twelveLike;
  stats.phoneCore = phoneCore;
  stats.ninoTail = ninoTail;
  stats.firstDigit = firstDigit;
  stats.lastDigit = lastDigit;
  stats.firstIdWord = firstIdWord;
  stats.firstMonth = firstMonth;
}

/**
 * What `findStructured` asks of the whole text before any pattern (bits): an `@`, `://`, `www.`,
 * an ASCII digit. `textFacts` finds them; the WebAssembly tokenizer records the same bits.
 */
export const FACT_AT = 1;
export const FACT_SCHEME = 2;
export const FACT_WWW = 4;
export const FACT_DIGIT = 8;

export function textFacts(text: string): number {
  return (text.includes('@') ? FACT_AT : 0) | (text.includes('://') ? FACT_SCHEME : 0) | (text.includes('www.') ? FACT_WWW : 0) | (ASCII_DIGIT.test(text) ? FACT_DIGIT : 0);
}
const ASCII_DIGIT = /[0-9]/;

/** `stats` fields in the order the WebAssembly `countChars` (`kernel-chars.ts`) writes them, as int32. */
export const STAT_FIELDS = [
  'digits', 'longestRun', 'dots', 'colons', 'dashes', 'months', 'spaced', 'phoneLike', 'dateLike', 'dotted', 'dates', 'zipWords', 'idWords',
  'vatWords', 'ibanLike', 'ninoLike', 'panLike', 'nineLike', 'ssnLike', 'tenLike', 'twelveLike', 'phoneCore', 'ninoTail', 'firstDigit', 'lastDigit', 'firstIdWord', 'firstMonth',
] as const satisfies readonly (keyof typeof stats)[];

/** Sets `stats` from the int32 values the kernel wrote at `v[at...]` (STAT_FIELDS order). */
export function statsFrom(v: Int32Array, at: number): void {
  stats.digits = v[at]!;
  stats.longestRun = v[at + 1]!;
  stats.dots = v[at + 2]!;
  stats.colons = v[at + 3]!;
  stats.dashes = v[at + 4]!;
  stats.months = v[at + 5]!;
  stats.spaced = v[at + 6]!;
  stats.phoneLike = v[at + 7]!;
  stats.dateLike = v[at + 8]!;
  stats.dotted = v[at + 9]!;
  stats.dates = v[at + 10]!;
  stats.zipWords = v[at + 11]!;
  stats.idWords = v[at + 12]!;
  stats.vatWords = v[at + 13]!;
  stats.ibanLike = v[at + 14]!;
  stats.ninoLike = v[at + 15]!;
  stats.panLike = v[at + 16]!;
  stats.nineLike = v[at + 17]!;
  stats.ssnLike = v[at + 18]!;
  stats.tenLike = v[at + 19]!;
  stats.twelveLike = v[at + 20]!;
  stats.phoneCore = v[at + 21]!;
  stats.ninoTail = v[at + 22]!;
  stats.firstDigit = v[at + 23]!;
  stats.lastDigit = v[at + 24]!;
  stats.firstIdWord = v[at + 25]!;
  stats.firstMonth = v[at + 26]!;
}

/** The tables `countChars` reads, for the WebAssembly version: prefix pairs and third letters, VAT codes, run kinds. */
export function charStatsTables(): { pairs: Uint8Array; third: Uint8Array; vat: Uint8Array; runs: Uint8Array } {
  return { pairs: PAIRS.slice(), third: THIRD.slice(), vat: VAT_CODES.slice(), runs: RUNS.slice() };
}

/** Prefix bits and run kinds, for the WebAssembly version. */
export const CHAR_STATS_BITS = { month: MONTH, zip: ZIP, id: ID, notLetter: NOT_LETTER, fourthNotLetter: FOURTH_NOT_LETTER, spaced: R_SPACED, phone: R_PHONE, date: R_DATE, dotted: R_DOTTED, all: R_ALL } as const;
