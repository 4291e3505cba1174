/**
 * One pass over a text counting what the structured recognisers' patterns need (digits, digit
 * runs of each pattern's alphabet, separators, capitals, month-name starts), so that a pattern
 * whose shortest match cannot occur is never run. Results go to the module-level `stats`
 * (no allocation per call), valid until the next `countChars`.
 */

/**
 * Counts of the characters the patterns need, from `countChars` (module state: no allocation per
 * call). A "run" is a maximal stretch of the characters a pattern's match is made of; every match
 * lies inside one, so a pattern needs a run holding at least as many digits as its shortest match.
 */
export const stats = { digits: 0, longestRun: 0, uppers: 0, dots: 0, colons: 0, dashes: 0, exes: 0, months: 0, spaced: 0, phoneLike: 0, dateLike: 0, dotted: 0 };

/** First three letters of the month names (as a << 16 | b << 8 | c), and their first letters as a bit set. */
const MONTHS = new Set(['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((m) => (m.charCodeAt(0) << 16) | (m.charCodeAt(1) << 8) | m.charCodeAt(2)));
const MONTH_FIRST = [...'jfmasond'].reduce((bits, ch) => bits | (1 << (ch.charCodeAt(0) - 97)), 0);

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

export function countChars(text: string): void {
  let digits = 0;
  let longestRun = 0;
  let run = 0;
  let uppers = 0;
  let dots = 0;
  let colons = 0;
  let dashes = 0;
  let exes = 0;
  let months = 0;
  let inWord = false;
  // digits in the current run of each kind, and the most seen in one
  let spaced = 0;
  let phoneLike = 0;
  let dateLike = 0;
  let dotted = 0;
  let maxSpaced = 0;
  let maxPhone = 0;
  let maxDate = 0;
  let maxDotted = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const kinds = c < 128 ? RUNS[c]! : 0;
    if (kinds === 0) {
      // letters and most other characters end every run
      run = spaced = phoneLike = dateLike = dotted = 0;
      const lower = c | 0x20;
      if (lower >= 97 && lower <= 122) {
        if (c <= 90) uppers++;
        else if (c === 120) exes++;
        // a word starting with a month's first three letters (month-name dates need one)
        if (!inWord && MONTH_FIRST & (1 << (lower - 97)) && MONTHS.has((lower << 16) | ((text.charCodeAt(i + 1) | 0x20) << 8) | (text.charCodeAt(i + 2) | 0x20))) months++;
        inWord = true;
        continue;
      }
      inWord = false;
      if (c === 58) colons++;
      continue;
    }
    inWord = false;
    if (kinds === R_ALL) {
      digits++;
      if (++run > longestRun) longestRun = run;
      if (++spaced > maxSpaced) maxSpaced = spaced;
      if (++phoneLike > maxPhone) maxPhone = phoneLike;
      if (++dateLike > maxDate) maxDate = dateLike;
      if (++dotted > maxDotted) maxDotted = dotted;
      continue;
    }
    run = 0;
    if (!(kinds & R_SPACED)) spaced = 0;
    if (!(kinds & R_PHONE)) phoneLike = 0;
    if (!(kinds & R_DATE)) dateLike = 0;
    if (!(kinds & R_DOTTED)) dotted = 0;
    if (c === 46) dots++;
    else if (c === 45) dashes++;
  }
  stats.digits = digits;
  stats.longestRun = longestRun;
  stats.uppers = uppers;
  stats.dots = dots;
  stats.colons = colons;
  stats.dashes = dashes;
  stats.exes = exes;
  stats.months = months;
  stats.spaced = maxSpaced;
  stats.phoneLike = maxPhone;
  stats.dateLike = maxDate;
  stats.dotted = maxDotted;
}
