/**
 * Token-soup level of a text's tail: the share of machine-made-looking tokens among its last 20
 * whitespace-separated tokens. Optimised adversarial suffixes (GCG and kin) are runs of tokens with
 * symbols glued into words (`oppositeley.](`), case flips inside words (`similarlyNow`) and
 * unpronounceable letter strings; ordinary prose has almost none. The injection classifier reads the
 * level as three cumulative indicator features, so it learns how much soup weighs against code and
 * JSON (which also score high) instead of a fixed rule deciding. Linear; no regexes.
 */

const WINDOW = 20;
/** Fewer tokens than this: no level (short texts have too little tail to judge). */
const MIN_TOKENS = 10;
/** Share thresholds of levels 1, 2 and 3. */
export const GIBBERISH_LEVELS = [0.25, 0.4, 0.55] as const;

function isLower(code: number): boolean {
  return code >= 97 && code <= 122;
}
function isUpper(code: number): boolean {
  return code >= 65 && code <= 90;
}
function isVowel(code: number): boolean {
  const lower = code | 0x20;
  return lower === 97 || lower === 101 || lower === 105 || lower === 111 || lower === 117 || lower === 121;
}

/** True when text[start, end) looks machine-made (trailing sentence punctuation does not count). */
export function soupToken(text: string, start: number, end: number): boolean {
  while (end > start && '.,!?;:"\')'.includes(text[end - 1]!)) end--;
  let letters = 0;
  let symbols = 0;
  let caseFlip = false;
  let consonantRun = 0;
  let longestConsonants = 0;
  let vowels = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (isLower(code) || isUpper(code)) {
      letters++;
      if (isUpper(code) && i > start && isLower(text.charCodeAt(i - 1))) caseFlip = true;
      if (isVowel(code)) {
        vowels++;
        consonantRun = 0;
      } else if (++consonantRun > longestConsonants) longestConsonants = consonantRun;
    } else if (code > 32 && code < 127 && !(code >= 48 && code <= 57)) symbols++;
  }
  if (letters < 2) return false;
  return symbols >= 1 || caseFlip || longestConsonants >= 5 || (letters >= 5 && vowels === 0);
}

/** 0-3: how many of GIBBERISH_LEVELS the soup share of the last tokens reaches. */
export function gibberishLevel(text: string): number {
  let soup = 0;
  let tokens = 0;
  let i = text.length;
  while (i > 0 && tokens < WINDOW) {
    while (i > 0 && text.charCodeAt(i - 1) <= 32) i--;
    const end = i;
    while (i > 0 && text.charCodeAt(i - 1) > 32) i--;
    if (end > i) {
      tokens++;
      if (soupToken(text, i, end)) soup++;
    }
  }
  if (tokens < MIN_TOKENS) return 0;
  const share = soup / tokens;
  let level = 0;
  for (const threshold of GIBBERISH_LEVELS) if (share >= threshold) level++;
  return level;
}
