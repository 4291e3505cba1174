/**
 * Typo-tolerant override verbs: a view of the text where a misspelt "ignore", "disregard" or
 * "forget" (`ignroe`, `igmre`, `disregrad`, `forgte`) is written correctly, so the override
 * signatures and the classifier read the intended word. A word is corrected when it is within
 * one edit (insert, delete, substitute, swap of neighbours) of a verb, or within two edits when it
 * also keeps the verb's first two letters and last letter and has five letters or more (not for
 * "forget", whose two-edit neighbours are real words: `fought`, `format`); real words
 * that near (`forge`, `forgot`, `ignite`, inflections) stay as they are. Linear in the text: only
 * words starting with i, d or f and of a nearby length are compared.
 */

const VERBS = ['ignore', 'disregard', 'forget'];

/** Real words near a verb: inflections (other signatures handle them) and unrelated words. */
export const KEEP: ReadonlySet<string> = new Set(
  `ignore ignores ignored ignorer ignoring ignite ignites ignited signore ignora ignoré ignorez ignorer
  disregard disregards disregarded disregarding
  forget forgets forgot forgetting forgotten forge forged forger forges forgery forest format formed forgo fought fidget target`.split(/\s+/),
);

/** Three rolling rows of editDistance (scratch, grown as needed). */
let distanceRows = new Int32Array(48);

/** Optimal string alignment distance over UTF-16 code units, stopping early once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const width = b.length + 1;
  if (distanceRows.length < 3 * width) distanceRows = new Int32Array(3 * width);
  const rows = distanceRows;
  // Offsets of the rows for i - 2, i - 1 and i.
  let prevPrev = 0;
  let prev = width;
  let row = 2 * width;
  for (let j = 0; j < width; j++) rows[prev + j] = j;
  for (let i = 1; i <= a.length; i++) {
    const ca = a.charCodeAt(i - 1);
    rows[row] = i;
    let best = i;
    for (let j = 1; j < width; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      let value = Math.min(rows[prev + j]! + 1, rows[row + j - 1]! + 1, rows[prev + j - 1]! + cost);
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) value = Math.min(value, rows[prevPrev + j - 2]! + 1);
      rows[row + j] = value;
      if (value < best) best = value;
    }
    if (best > limit) return limit + 1;
    const oldest = prevPrev;
    prevPrev = prev;
    prev = row;
    row = oldest;
  }
  return rows[prev + b.length]!;
}

/** The verb `word` misspells, or null. */
export function correctedVerb(word: string): string | null {
  const lower = word.toLowerCase();
  if (KEEP.has(lower)) return null;
  for (const verb of VERBS) {
    if (lower[0] !== verb[0] || Math.abs(lower.length - verb.length) > 2) continue;
    const distance = editDistance(lower, verb, 2);
    if (distance === 1) return verb;
    if (distance === 2 && verb !== 'forget' && lower.length >= 5 && lower[1] === verb[1] && lower[lower.length - 1] === verb[verb.length - 1]) return verb;
  }
  return null;
}

/** Each verb's letters as bits (a = bit 0), for the cheap bound below. */
const VERB_LETTERS = new Map<string, number>(VERBS.map((verb) => [verb, [...verb].reduce((bits, ch) => bits | (1 << (ch.charCodeAt(0) - 97)), 0)]));

/**
 * False when the ASCII-letter word `text[start, end)` cannot be a misspelt verb: correctedVerb needs
 * the verb with its first letter within one edit, or two edits with the length, second and last
 * letter conditions (not for "forget"). An edit changes the length by one at most, and every letter
 * of the word that the verb lacks costs an edit of its own (deleted or substituted), so those bound
 * the distance from below. Lets callers skip the slice, lower-casing and edit distance for nearly
 * every word ("from", "find", "first", "inside" all fail here).
 */
export function mayBeMisspeltVerb(text: string, start: number, end: number): boolean {
  const first = text.charCodeAt(start) | 0x20;
  const verb = first === 0x69 ? 'ignore' : first === 0x64 ? 'disregard' : first === 0x66 ? 'forget' : undefined;
  if (verb === undefined) return false;
  const length = end - start;
  const lengthGap = Math.abs(length - verb.length);
  const twoEdits =
    verb !== 'forget' &&
    length >= 5 &&
    lengthGap <= 2 &&
    (text.charCodeAt(start + 1) | 0x20) === verb.charCodeAt(1) &&
    (text.charCodeAt(end - 1) | 0x20) === verb.charCodeAt(verb.length - 1);
  if (lengthGap > 1 && !twoEdits) return false;
  const allowed = twoEdits ? 2 : 1;
  const letters = VERB_LETTERS.get(verb)!;
  let foreign = 0;
  for (let i = start + 1; i < end; i++) {
    if ((letters & (1 << ((text.charCodeAt(i) | 0x20) - 97))) === 0 && ++foreign > allowed) return false;
  }
  return true;
}

/** Words the replace below rewrites: whole ASCII-letter words of 4-11 letters starting with d, f or i. */
const CANDIDATE = /(?<![A-Za-z])[dfiDFI][A-Za-z]{3,10}(?![A-Za-z])/g;

function isAsciiLetter(c: number): boolean {
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x7a;
}

/** True when some candidate word of `text` is a misspelt verb (a scan without regex or allocation per word). */
export function hasMisspeltVerb(text: string): boolean {
  const len = text.length;
  let i = 0;
  while (i < len) {
    if (!isAsciiLetter(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    while (i < len && isAsciiLetter(text.charCodeAt(i))) i++;
    if (i - start >= 4 && i - start <= 11 && mayBeMisspeltVerb(text, start, i) && correctedVerb(text.slice(start, i)) !== null) return true;
  }
  return false;
}

/** The text with misspelt override verbs corrected, or null when there are none. */
export function typoView(text: string): string | null {
  if (!hasMisspeltVerb(text)) return null;
  let changed = false;
  const out = text.replace(CANDIDATE, (word) => {
    const verb = correctedVerb(word);
    if (verb === null) return word;
    changed = true;
    return verb;
  });
  return changed ? out : null;
}
