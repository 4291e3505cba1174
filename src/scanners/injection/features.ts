/**
 * Hashed word and character n-gram features for the injection classifier. Training
 * (scripts/train-injection.ts) and inference share this one function, so the two can never drift.
 *
 * Everything here is a single linear pass over the text: no regexes on input, no substrings per
 * gram (hashes roll over char codes), so cost is O(length) with a small constant.
 */

import { gibberishLevel } from './gibberish.ts';

/** A sparse binary feature vector: sorted unique indices and one shared value (1/sqrt(nnz)). */
export interface SparseVector {
  indices: Uint32Array;
  value: number;
}

export interface FeatureOptions {
  /** log2 of the number of hashed buckets. */
  bits: number;
  /** Extra dense indices after the hashed buckets (signature hits), set by the caller. */
  extra: readonly number[];
  /** Char 3-5-grams inside words (default true; the harmful classifier reads word n-grams only). */
  charGrams?: boolean;
  /** Also word pairs 2..skipGrams words apart, any distance hashed alike (default 0: none; the harmful classifier). */
  skipGrams?: number;
  /**
   * Add a salted copy of every hashed feature (the harmful classifier sets it when the text is on
   * a hazard topic, so topical texts get their own weights beside the shared ones). Default false.
   */
  topicCopy?: boolean;
  /** Token-soup level of the tail as cumulative indicator features (gibberish.ts; the injection models). */
  gibberish?: boolean;
}

/** Smallest feature count used for normalisation (about a 12-word sentence). */
const MIN_NORM = 150;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Leetspeak digits and symbols read as the letters they imitate, only inside words that have letters. */
const LEET: Record<number, number> = { 48: 111, 49: 105, 51: 101, 52: 97, 53: 115, 55: 116, 64: 97, 36: 115 };

function isWordChar(code: number): boolean {
  // ASCII letters/digits, the leet symbols, and every non-ASCII code unit (other scripts are letters here;
  // punctuation outside ASCII is rare after NFKC and cheap to include).
  return (code >= 48 && code <= 57) || (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 64 || code === 36 || (code > 127 && code !== 0x3000 && !(code >= 0x2000 && code <= 0x206f));
}

/** Splits into lowercased words (as char-code arrays), folding leetspeak inside words that contain letters. */
export function words(text: string): number[][] {
  const out: number[][] = [];
  let current: number[] = [];
  let letters = false;
  const flush = (): void => {
    if (current.length === 0) return;
    if (letters) for (let i = 0; i < current.length; i++) current[i] = LEET[current[i]!] ?? current[i]!;
    out.push(current);
    current = [];
    letters = false;
  };
  // Lowercased once up front: per-character toLowerCase would allocate for every non-ASCII char.
  const lowered = text.toLowerCase();
  for (let i = 0; i < lowered.length; i++) {
    const c = lowered.charCodeAt(i);
    if (!isWordChar(c)) {
      flush();
      continue;
    }
    if ((c >= 97 && c <= 122) || c > 127) letters = true;
    current.push(c);
  }
  flush();
  return out;
}

function hashCodes(seed: number, codes: readonly number[]): number {
  let h = seed;
  for (const code of codes) h = Math.imul(h ^ code, FNV_PRIME);
  return h >>> 0;
}

/** Cues that carry intent and survive tokenisation poorly: role markers and delimiters. */
const PUNCT_CUES = ['###', '<|', '|>', '[inst]', '[/inst]', '```', '---', '==='];

/**
 * Features of one text: word unigrams and bigrams, optional skip-bigrams, char 3-5-grams inside
 * space-padded words, a few punctuation cues, and the caller's extra indices.
 */
export function featurize(text: string, options: FeatureOptions): SparseVector {
  const mask = (1 << options.bits) - 1;
  const set = new Set<number>();
  const list = words(text);
  const skip = options.skipGrams ?? 0;
  const recent: number[] = [];
  let previous = -1;
  for (const word of list) {
    const wordHash = hashCodes(FNV_OFFSET, word);
    set.add((wordHash ^ 0x9e3779b9) & mask);
    if (previous >= 0) set.add((Math.imul(previous, 31) ^ wordHash ^ 0x85ebca6b) & mask);
    previous = wordHash;
    if (skip >= 2) {
      // recent[k] is the word k+1 back: pairs with words 2..skip back.
      for (let back = 2; back <= skip && back <= recent.length; back++) set.add((Math.imul(recent[back - 1]!, 0x2c1b3c6d) ^ wordHash ^ 0x165667b1) & mask);
      recent.unshift(wordHash);
      if (recent.length > skip) recent.pop();
    }
    // Space-padded so prefixes and suffixes are their own grams; long words (CJK runs) still cost O(length).
    if (options.charGrams === false) continue;
    const padded = word.length > 64 ? word : [32, ...word, 32];
    for (let start = 0; start + 3 <= padded.length; start++) {
      let h = 0x2f1a3b4c;
      for (let n = 0; n < 5 && start + n < padded.length; n++) {
        h = Math.imul(h ^ padded[start + n]!, FNV_PRIME);
        if (n >= 2) set.add((h >>> 0) & mask);
      }
    }
  }
  const lowerText = text.length > 4096 ? text.slice(0, 4096).toLowerCase() : text.toLowerCase();
  for (let i = 0; i < PUNCT_CUES.length; i++) if (lowerText.includes(PUNCT_CUES[i]!)) set.add(hashCodes(0x51ed270b + i, [i]) & mask);
  if (options.gibberish) {
    const level = gibberishLevel(text);
    for (let l = 1; l <= level; l++) set.add(hashCodes(0x6a09e667, [l]) & mask);
  }
  if (options.topicCopy) for (const index of [...set]) set.add((Math.imul(index ^ 0x5bd1e995, FNV_PRIME) >>> 0) & mask);
  const size = 1 << options.bits;
  for (const extra of options.extra) set.add(size + extra);
  const indices = Uint32Array.from(set).sort();
  // Normalising by at least MIN_NORM features keeps a two-word greeting from getting a huge
  // per-feature weight: short texts lean on the bias (benign) unless a signature fires.
  return { indices, value: indices.length > 0 ? 1 / Math.sqrt(Math.max(indices.length, MIN_NORM)) : 0 };
}
