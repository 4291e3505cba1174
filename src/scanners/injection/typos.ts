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
const KEEP = new Set(
  `ignore ignores ignored ignorer ignoring ignite ignites ignited signore ignora ignoré ignorez ignorer
  disregard disregards disregarded disregarding
  forget forgets forgot forgetting forgotten forge forged forger forges forgery forest format formed forgo fought fidget target`.split(/\s+/),
);

/** Optimal string alignment distance, stopping early once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, prevPrev[j - 2]! + 1);
      row.push(value);
      if (value < best) best = value;
    }
    if (best > limit) return limit + 1;
    prevPrev = prev;
    prev = row;
  }
  return prev[b.length]!;
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

/** The text with misspelt override verbs corrected, or null when there are none. */
export function typoView(text: string): string | null {
  let changed = false;
  const out = text.replace(/(?<![A-Za-z])[dfiDFI][A-Za-z]{3,10}(?![A-Za-z])/g, (word) => {
    const verb = correctedVerb(word);
    if (verb === null) return word;
    changed = true;
    return verb;
  });
  return changed ? out : null;
}
