/**
 * Token-soup level of a text's tail: the share of machine-made-looking tokens among its last 20
 * whitespace-separated tokens. Optimised adversarial suffixes (GCG and kin) are runs of tokens with
 * symbols glued into words (`oppositeley.](`), case flips inside words (`similarlyNow`) and
 * unpronounceable letter strings; ordinary prose has almost none. The injection classifier reads the
 * level as three cumulative indicator features, so it learns how much soup weighs against code and
 * JSON (which also score high) instead of a fixed rule deciding. Linear; no regexes.
 */

/** How many tokens from the end are judged. */
export const GIBBERISH_WINDOW = 20;
/** Fewer tokens than this: no level (short texts have too little tail to judge). */
const MIN_TOKENS = 10;
/** Share thresholds of levels 1, 2 and 3. */
export const GIBBERISH_LEVELS = [0.25, 0.4, 0.55] as const;

/** Per ASCII code: the kinds soupToken tells apart (digits, spaces and DEL are none of them). */
const LOWER = 1;
const UPPER = 2;
const VOWEL = 4;
const SYMBOL = 8;
/** Sentence punctuation a token may end with without counting as a symbol: . , ! ? ; : " ' ) */
const TRAILING = 16;
const KIND = new Uint8Array(128);
{
  for (let c = 33; c < 127; c++) KIND[c] = SYMBOL;
  for (let c = 48; c <= 57; c++) KIND[c] = 0;
  for (let c = 97; c <= 122; c++) KIND[c] = LOWER;
  for (let c = 65; c <= 90; c++) KIND[c] = UPPER;
  for (const vowel of 'aeiouyAEIOUY') KIND[vowel.charCodeAt(0)] = KIND[vowel.charCodeAt(0)]! | VOWEL;
  for (const trailing of '.,!?;:"\')') KIND[trailing.charCodeAt(0)] = KIND[trailing.charCodeAt(0)]! | TRAILING;
}

/** True when text[start, end) looks machine-made (trailing sentence punctuation does not count). */
export function soupToken(text: string, start: number, end: number): boolean {
  while (end > start) {
    const code = text.charCodeAt(end - 1);
    if (code >= 128 || (KIND[code]! & TRAILING) === 0) break;
    end--;
  }
  let letters = 0;
  let symbols = 0;
  let caseFlip = false;
  let consonantRun = 0;
  let longestConsonants = 0;
  let vowels = 0;
  let previousLower = false;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    const kind = code < 128 ? KIND[code]! : 0;
    if ((kind & (LOWER | UPPER)) !== 0) {
      letters++;
      if ((kind & UPPER) !== 0 && previousLower) caseFlip = true;
      if ((kind & VOWEL) !== 0) {
        vowels++;
        consonantRun = 0;
      } else if (++consonantRun > longestConsonants) longestConsonants = consonantRun;
    } else if ((kind & SYMBOL) !== 0) symbols++;
    previousLower = (kind & LOWER) !== 0;
  }
  if (letters < 2) return false;
  return symbols >= 1 || caseFlip || longestConsonants >= 5 || (letters >= 5 && vowels === 0);
}

/** 0-3: how many of GIBBERISH_LEVELS the soup share of the last tokens reaches. */
export function gibberishLevel(text: string): number {
  tailSoup(text, 0, text.length, GIBBERISH_WINDOW);
  return levelOf(tail.soup, tail.tokens);
}

/** tailSoup's result: how many tokens it read and how many of them were soup. */
export const tail = { tokens: 0, soup: 0 };

/**
 * Reads the last tokens (runs of units above 32) of text[start, end), at most `most`, into `tail`: the
 * same verdicts as soupToken on each, in one backward pass (trailing punctuation is skipped first, and
 * consonant runs and case flips read the same backwards). piece-features.test.ts checks it against soupToken.
 */
export function tailSoup(text: string, start: number, end: number, most: number): void {
  let tokens = 0;
  let soup = 0;
  let i = end;
  while (i > start && tokens < most) {
    while (i > start && text.charCodeAt(i - 1) <= 32) i--;
    if (i === start) break;
    // One token, read backwards from its last unit.
    while (i > start) {
      const code = text.charCodeAt(i - 1);
      if (code <= 32 || code >= 128 || (KIND[code]! & TRAILING) === 0) break;
      i--;
    }
    let letters = 0;
    let symbols = 0;
    let caseFlip = false;
    let consonantRun = 0;
    let longestConsonants = 0;
    let vowels = 0;
    let nextUpper = false;
    for (; i > start; i--) {
      const code = text.charCodeAt(i - 1);
      if (code <= 32) break;
      const kind = code < 128 ? KIND[code]! : 0;
      if ((kind & (LOWER | UPPER)) !== 0) {
        letters++;
        if (nextUpper && (kind & LOWER) !== 0) caseFlip = true;
        if ((kind & VOWEL) !== 0) {
          vowels++;
          consonantRun = 0;
        } else if (++consonantRun > longestConsonants) longestConsonants = consonantRun;
      } else if ((kind & SYMBOL) !== 0) symbols++;
      nextUpper = (kind & UPPER) !== 0;
    }
    tokens++;
    if (letters >= 2 && (symbols >= 1 || caseFlip || longestConsonants >= 5 || (letters >= 5 && vowels === 0))) soup++;
  }
  tail.tokens = tokens;
  tail.soup = soup;
}

/** The level of `soup` machine-made tokens among the last `tokens` (at most GIBBERISH_WINDOW) of a text. */
export function levelOf(soup: number, tokens: number): number {
  if (tokens < MIN_TOKENS) return 0;
  const share = soup / tokens;
  let level = 0;
  for (const threshold of GIBBERISH_LEVELS) if (share >= threshold) level++;
  return level;
}
