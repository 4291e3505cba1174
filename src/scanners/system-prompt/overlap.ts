/**
 * Overlap between an answer and a system prompt: both are reduced to words (letters and digits,
 * NFKC, lower case; whitespace and punctuation only separate), the prompt's k-word shingles go
 * into a set, and each answer shingle found in it is a hit. Hits whose gaps stay under `maxGap`
 * shingles chain into a passage; its containment is the share of the passage's shingles found in
 * the prompt (1 = verbatim, a few changed words keep it above 0.5). Linear in both texts.
 */
import { canonicalize } from '../../text/canonicalize.ts';
import { shingleHashes, wordsOf, type Words } from '../documents/fingerprint.ts';

export interface PromptIndex {
  /** Words in all prompts together. */
  words: number;
  /** Shingle length per indexed prompt group (a prompt shorter than k uses its own length). */
  groups: { k: number; shingles: Set<number>; words: number; prefixes: Set<number>[] }[];
}

export interface Leak {
  /** Span in the scanned (canonical) text. */
  start: number;
  end: number;
  /** Words the passage covers. */
  words: number;
  /** Share of the passage's shingles that occur in the prompt. */
  containment: number;
  /** Share of the prompt's words the passage covers (of its prompt group). */
  promptFraction: number;
  /** Whether the passage reaches the end of the text (a stream may still extend it). */
  open: boolean;
}

export interface IndexOptions {
  shingleWords: number;
  minPromptWords: number;
}

/** Indexes the prompts: k-word shingles, and for stream hold-back every run of 1..k-1 words. */
export function indexPrompts(prompts: readonly string[], options: IndexOptions): PromptIndex {
  const byK = new Map<number, PromptIndex['groups'][number]>();
  let total = 0;
  for (const prompt of prompts) {
    const words = wordsOf(canonicalize(prompt).text).words;
    if (words.length < options.minPromptWords) continue;
    total += words.length;
    const k = Math.min(options.shingleWords, words.length);
    let group = byK.get(k);
    if (!group) byK.set(k, (group = { k, shingles: new Set(), words: 0, prefixes: Array.from({ length: k }, () => new Set<number>()) }));
    group.words += words.length;
    for (const hash of shingleHashes(words, k)) group.shingles.add(hash);
    for (let m = 1; m < k; m++) for (const hash of shingleHashes(words, m)) group.prefixes[m]!.add(hash);
  }
  return { words: total, groups: [...byK.values()] };
}

/** Passages of `words` that overlap the prompts. */
export function findLeaks(index: PromptIndex, words: Words, maxGap: number): Leak[] {
  const leaks: Leak[] = [];
  const n = words.words.length;
  for (const group of index.groups) {
    const hashes = shingleHashes(words.words, group.k);
    let first = -1;
    let last = -1;
    let hits = 0;
    const flush = (): void => {
      if (first < 0) return;
      const span = last - first + 1;
      const covered = last + group.k - first;
      leaks.push({
        start: words.starts[first]!,
        end: words.ends[last + group.k - 1]!,
        words: covered,
        containment: hits / span,
        promptFraction: Math.min(1, covered / group.words),
        open: last + group.k - 1 >= n - 1 - maxGap,
      });
      first = -1;
      hits = 0;
    };
    for (let i = 0; i < hashes.length; i++) {
      if (!group.shingles.has(hashes[i]!)) continue;
      if (first >= 0 && i - last > maxGap) flush();
      if (first < 0) first = i;
      last = i;
      hits++;
    }
    flush();
  }
  return leaks.sort((a, b) => a.start - b.start);
}

/**
 * Index (into `words`) of the earliest trailing word from which the rest of the text is the start
 * of a prompt shingle, so more text could complete a hit; `words.words.length` when none is.
 */
export function partialFrom(index: PromptIndex, words: Words): number {
  const n = words.words.length;
  let from = n;
  for (const group of index.groups) {
    for (let m = Math.min(group.k - 1, n); m >= 1; m--) {
      if (n - m >= from) continue;
      const [hash] = shingleHashes(words.words.slice(n - m), m);
      if (hash !== undefined && group.prefixes[m]!.has(hash)) {
        from = n - m;
        break;
      }
    }
  }
  return from;
}
