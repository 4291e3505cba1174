/**
 * Prompt shape features, computed once per request in time linear in the prompt length:
 * a 64-bit SimHash over word shingles (near-duplicates), a masked word set (templates whose
 * slots vary), and a coarse topic id.
 */

/** A 64-bit SimHash as two unsigned 32-bit halves (plain numbers are faster than BigInt). */
export interface SimHash {
  hi: number;
  lo: number;
}

export interface PromptFeatures {
  simhash: SimHash;
  /** Sorted, de-duplicated 32-bit hashes of the masked words (numbers → `#`, capitalised names → `@`). */
  skeleton: Uint32Array;
  /** Hash of the prompt's most distinctive word (longest non-stopword), 0 when none. */
  topic: number;
}

const maxWords = 256;
const maxSkeleton = 48;
// Letters and digits in any script; the pattern has no nested quantifiers, so it cannot backtrack.
const wordPattern = /[\p{L}\p{N}]+/gu;
const stopwords = new Set('a an and are as at be but by can could do does for from has have how i if in into is it its me my of on or our please so that the their them then there these this to was we what when where which who why will with would you your about'.split(' '));

/** FNV-1a 32-bit with a seed, over a string's UTF-16 code units. */
function fnv1a(text: string, seed: number): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  // A final avalanche so similar short strings spread over all bits.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b) >>> 0;
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35) >>> 0;
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** Words of a prompt with whether each started with a capital letter (for masking names). */
export function words(text: string): { word: string; capital: boolean }[] {
  const out: { word: string; capital: boolean }[] = [];
  for (const match of text.matchAll(wordPattern)) {
    const raw = match[0];
    out.push({ word: raw.toLowerCase(), capital: raw[0] !== raw[0]!.toLowerCase() });
    if (out.length >= maxWords) break;
  }
  return out;
}

/** SimHash over word unigrams and bigrams. */
export function simhash(tokens: readonly string[]): SimHash {
  const votes = new Int32Array(64);
  const add = (feature: string): void => {
    const hi = fnv1a(feature, 0x9e3779b9);
    const lo = fnv1a(feature, 0x7f4a7c15);
    for (let bit = 0; bit < 32; bit += 1) {
      votes[bit]! += (hi >>> bit) & 1 ? 1 : -1;
      votes[32 + bit]! += (lo >>> bit) & 1 ? 1 : -1;
    }
  };
  for (let index = 0; index < tokens.length; index += 1) {
    add(tokens[index]!);
    if (index > 0) add(`${tokens[index - 1]!} ${tokens[index]!}`);
  }
  let hi = 0;
  let lo = 0;
  for (let bit = 0; bit < 32; bit += 1) {
    if (votes[bit]! > 0) hi |= 1 << bit;
    if (votes[32 + bit]! > 0) lo |= 1 << bit;
  }
  return { hi: hi >>> 0, lo: lo >>> 0 };
}

function popcount(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

export function hamming(a: SimHash, b: SimHash): number {
  return popcount((a.hi ^ b.hi) >>> 0) + popcount((a.lo ^ b.lo) >>> 0);
}

/** Jaccard similarity of two sorted, de-duplicated hash sets. */
export function jaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 && b.length === 0) return 0;
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      shared += 1;
      i += 1;
      j += 1;
    } else if (a[i]! < b[j]!) i += 1;
    else j += 1;
  }
  return shared / (a.length + b.length - shared);
}

/** Features of one prompt. */
export function promptFeatures(text: string): PromptFeatures {
  const list = words(text);
  const tokens = list.map((entry) => entry.word);
  const masked = new Set<number>();
  let topicWord = '';
  for (const [index, entry] of list.entries()) {
    // Slots that enumeration varies: numbers, and capitalised words after the first (names, places, languages).
    const slot = /^\p{N}+$/u.test(entry.word) ? '#' : entry.capital && index > 0 ? '@' : entry.word;
    if (masked.size < maxSkeleton) masked.add(fnv1a(slot, 0));
    if (!stopwords.has(entry.word) && entry.word.length > topicWord.length && !/\p{N}/u.test(entry.word)) topicWord = entry.word;
  }
  const skeleton = Uint32Array.from(masked).sort();
  return { simhash: simhash(tokens), skeleton, topic: topicWord === '' ? 0 : fnv1a(topicWord, 1) };
}
