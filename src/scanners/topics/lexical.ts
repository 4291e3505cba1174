/**
 * Lexical similarity for topics: texts become sparse hashed vectors of content-word unigrams,
 * content-word bigrams and character 4-5-grams of each word (so "diagnose" and "diagnosis"
 * share features), weighted by log term frequency and L2-normalised; similarity is the cosine.
 * Keywords match whole words after case folding (a trailing `*` matches any word ending).
 */

export interface Token {
  word: string;
  start: number;
  end: number;
}

export type SparseVector = Map<number, number>;

const WORD = /[\p{L}\p{N}]+/gu;
/** Words longer than this contribute no character n-grams (bounded cost on run-together junk). */
const MAX_GRAM_WORD = 40;
const BUCKETS = 1 << 20;

const STOPWORDS = new Set(
  ('a an the and or but if then of to in on at by for with from as is are am was were be been being has have had it its this that these those there here ' +
    'i me my mine we us our you your yours he him his she her they them their what which who whom whose when where why how ' +
    'do does did done can could would should will shall may might must not no yes so than too very just also about into over ' +
    'please tell give get got want need like some any all more most other such only own same s t don can\'t let me').split(' '),
);

/** Words of `text` (NFKC, lower case), with their spans. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  WORD.lastIndex = 0;
  for (let m = WORD.exec(text); m; m = WORD.exec(text)) tokens.push({ word: m[0].normalize('NFKC').toLowerCase(), start: m.index, end: m.index + m[0].length });
  return tokens;
}

function hash(text: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % BUCKETS;
}

/** A crude stem so "refunds", "refunded" and "refunding" share the unigram feature. */
function stem(word: string): string {
  if (word.length > 5) for (const suffix of ['ing', 'ed', 'es', 'ly']) if (word.endsWith(suffix)) return word.slice(0, -suffix.length);
  return word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

/** The hashed, log-weighted, L2-normalised feature vector of some words. */
export function vectorize(words: readonly string[]): SparseVector {
  const counts: SparseVector = new Map();
  const add = (key: number, weight: number): void => {
    counts.set(key, (counts.get(key) ?? 0) + weight);
  };
  const content = words.filter((word) => !STOPWORDS.has(word));
  for (let i = 0; i < content.length; i++) {
    const word = stem(content[i]!);
    add(hash(word, 1), 1);
    if (i + 1 < content.length) add(hash(`${word} ${stem(content[i + 1]!)}`, 2), 1);
    if (content[i]!.length <= MAX_GRAM_WORD) {
      const padded = `^${content[i]}$`;
      for (let n = 4; n <= 5; n++) for (let j = 0; j + n <= padded.length; j++) add(hash(padded.slice(j, j + n), 3 + n), 0.25);
    }
  }
  let norm = 0;
  for (const [key, count] of counts) {
    const weight = 1 + Math.log(count);
    counts.set(key, weight);
    norm += weight * weight;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [key, weight] of counts) counts.set(key, weight / norm);
  return counts;
}

/** Cosine of two normalised vectors. */
export function cosine(a: SparseVector, b: SparseVector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [key, weight] of small) {
    const other = large.get(key);
    if (other !== undefined) dot += weight * other;
  }
  return dot;
}

/** Keyword phrases compiled to word sequences, looked up by their first word. */
export class KeywordMatcher {
  readonly #byFirst = new Map<string, { words: string[]; prefix: boolean; id: number }[]>();
  readonly #prefixFirst: { stem: string; words: string[]; id: number }[] = [];
  readonly size: number;

  constructor(keywords: readonly string[]) {
    keywords.forEach((keyword, id) => {
      const prefix = keyword.trimEnd().endsWith('*');
      const words = tokenize(keyword).map((token) => token.word);
      if (words.length === 0) return;
      if (prefix && words.length === 1) {
        this.#prefixFirst.push({ stem: words[0]!, words, id });
        return;
      }
      const list = this.#byFirst.get(words[0]!) ?? [];
      list.push({ words, prefix, id });
      this.#byFirst.set(words[0]!, list);
    });
    this.size = keywords.length;
  }

  /** Distinct keywords found in `tokens[from, to)`. */
  hits(tokens: readonly Token[], from = 0, to = tokens.length): number {
    const found = new Set<number>();
    for (let i = from; i < to; i++) {
      const word = tokens[i]!.word;
      for (const candidate of this.#byFirst.get(word) ?? []) {
        if (i + candidate.words.length > to) continue;
        let ok = true;
        for (let j = 1; j < candidate.words.length && ok; j++) {
          const expected = candidate.words[j]!;
          const actual = tokens[i + j]!.word;
          ok = candidate.prefix && j === candidate.words.length - 1 ? actual.startsWith(expected) : actual === expected;
        }
        if (ok) found.add(candidate.id);
      }
      for (const candidate of this.#prefixFirst) if (word.startsWith(candidate.stem)) found.add(candidate.id);
    }
    return found.size;
  }
}
