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

/** Per ASCII code: the kinds soupToken tells apart (digits, spaces and DEL are none of them); piece-scan.ts reads them too. */
export const LOWER = 1;
export const UPPER = 2;
export const VOWEL = 4;
export const SYMBOL = 8;
/** Sentence punctuation a token may end with without counting as a symbol: . , ! ? ; : " ' ) */
export const TRAILING = 16;
export const KIND = new Uint8Array(128);
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
  let soup = 0;
  let tokens = 0;
  let i = text.length;
  while (i > 0 && tokens < GIBBERISH_WINDOW) {
    while (i > 0 && text.charCodeAt(i - 1) <= 32) i--;
    const end = i;
    while (i > 0 && text.charCodeAt(i - 1) > 32) i--;
    if (end > i) {
      tokens++;
      if (soupToken(text, i, end)) soup++;
    }
  }
  return levelOf(soup, tokens);
}

/** The level of `soup` machine-made tokens among the last `tokens` (at most GIBBERISH_WINDOW) of a text. */
export function levelOf(soup: number, tokens: number): number {
  if (tokens < MIN_TOKENS) return 0;
  const share = soup / tokens;
  let level = 0;
  for (let i = 0; i < GIBBERISH_LEVELS.length; i++) if (share >= GIBBERISH_LEVELS[i]!) level++;
  return level;
}

/*
 * soupToken as a table-driven automaton, for scans that read a token one unit at a time in text order
 * (piece-scan.ts): states are multiples of 8 (so a step is one OR and one load), state 0 is "no token
 * open"; `SOUP_STEP[state | class]` is the state after one more unit of SOUP_CLASS `class` (classes below;
 * units >= 128 are OTHER), and `SOUP_VERDICT[state >> 3]` is soupToken's verdict on the token read so far. A state keeps what the verdict can still depend on:
 * letters (up to 5), whether a vowel came, the consonant run (up to 5), trailing punctuation pending at
 * the end, whether the last unit was lowercase, and whether a symbol, case flip or five consonants in a
 * row were seen. piece-features.test.ts checks it against soupToken.
 */
/** Unit classes of the automaton. */
const OTHER = 0;
const LOWER_CONSONANT = 1;
const LOWER_VOWEL = 2;
const UPPER_CONSONANT = 3;
const UPPER_VOWEL = 4;
const INNER_SYMBOL = 5;
const TRAILING_SYMBOL = 6;
/** SOUP_CLASS per ASCII code unit. */
export const SOUP_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const kind = KIND[c]!;
  const vowel = (kind & VOWEL) !== 0;
  if ((kind & LOWER) !== 0) SOUP_CLASS[c] = vowel ? LOWER_VOWEL : LOWER_CONSONANT;
  else if ((kind & UPPER) !== 0) SOUP_CLASS[c] = vowel ? UPPER_VOWEL : UPPER_CONSONANT;
  else if ((kind & SYMBOL) !== 0) SOUP_CLASS[c] = (kind & TRAILING) !== 0 ? TRAILING_SYMBOL : INNER_SYMBOL;
  else SOUP_CLASS[c] = OTHER;
}

/** One automaton state spelled out (see above). */
interface SoupState {
  letters: number;
  vowel: boolean;
  run: number;
  pending: boolean;
  lowerBefore: boolean;
  seen: boolean;
}

function soupStep(state: SoupState, unit: number): SoupState {
  const trailing = unit === TRAILING_SYMBOL;
  let seen = state.seen || (!trailing && (state.pending || unit === INNER_SYMBOL));
  let { letters, vowel, run } = state;
  if (unit >= LOWER_CONSONANT && unit <= UPPER_VOWEL) {
    letters = Math.min(letters + 1, 5);
    if (unit === LOWER_VOWEL || unit === UPPER_VOWEL) {
      vowel = true;
      run = 0;
    } else run = Math.min(run + 1, 5);
    if (run >= 5) seen = true;
    if ((unit === UPPER_CONSONANT || unit === UPPER_VOWEL) && state.lowerBefore) seen = true;
  }
  const lowerBefore = unit === LOWER_CONSONANT || unit === LOWER_VOWEL;
  // Once seen, only the letter count (up to 2) matters.
  if (seen) return { letters: Math.min(letters, 2), vowel: false, run: 0, pending: false, lowerBefore: false, seen };
  return { letters, vowel, run, pending: trailing, lowerBefore, seen };
}

function soupVerdict(state: SoupState): boolean {
  return state.letters >= 2 && (state.seen || (state.letters >= 5 && !state.vowel));
}

/** The automaton's tables, states numbered as met breadth first from the empty token. */
export const { SOUP_STEP, SOUP_VERDICT } = (() => {
  const key = (s: SoupState): string => `${s.letters},${s.vowel},${s.run},${s.pending},${s.lowerBefore},${s.seen}`;
  const empty: SoupState = { letters: 0, vowel: false, run: 0, pending: false, lowerBefore: false, seen: false };
  const states: SoupState[] = [empty, empty];
  const ids = new Map<string, number>([[key(empty), 1]]);
  const steps: number[] = [];
  for (let id = 0; id < states.length; id++) {
    for (let unit = 0; unit < 8; unit++) {
      if (unit > TRAILING_SYMBOL) {
        steps[id * 8 + unit] = 0;
        continue;
      }
      const next = soupStep(states[id]!, unit);
      let nextId = ids.get(key(next));
      if (nextId === undefined) {
        nextId = states.push(next) - 1;
        ids.set(key(next), nextId);
      }
      steps[id * 8 + unit] = nextId * 8;
    }
  }
  // State 0 (no token open) steps as the empty token does; its verdict is never read.
  return { SOUP_STEP: Uint16Array.from(steps), SOUP_VERDICT: Uint8Array.from(states, (s) => (soupVerdict(s) ? 1 : 0)) };
})();
