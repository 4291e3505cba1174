/**
 * A small phrase matcher over the featurizer's words (lowercased, leetspeak folded): phrases of
 * 1-4 words, a trailing `*` on a word matches any word starting with it. Linear in the number of
 * words and allocation-light: each word is walked once through a character trie of the listed
 * words and prefixes (no strings are built), giving the token ids it can stand for; phrases are
 * then followed through a trie of token ids, only while they are a prefix of some listed phrase.
 */
import { scanLoweredWords, words, type WordScan } from '../injection/features.ts';

const MAX_WORDS = 4;
const MIN_PREFIX = 3;
const MAX_PREFIX = 16;
/** Words are compared on their first 64 characters. */
const MAX_WORD = 64;

export class PhraseMatcher {
  /** Character trie of the listed tokens: children per node, and the token a node ends as a whole word or as a `prefix*`. */
  readonly #chars: Map<number, number>[] = [new Map()];
  readonly #wordToken: number[] = [-1];
  readonly #prefixToken: number[] = [-1];
  /** Trie of phrases over token ids, with the labels of the phrase each node ends. */
  readonly #phrases: Map<number, number>[] = [new Map()];
  readonly #labels: number[][] = [[]];
  readonly #tokenIds = new Map<string, number>();

  /** `groups[i]` lists the phrases of label `i`. */
  constructor(groups: readonly (readonly string[])[]) {
    groups.forEach((phrases, label) => {
      for (const phrase of phrases) {
        const tokens = tokenize(phrase);
        if (tokens.length === 0 || tokens.length > MAX_WORDS) throw new Error(`phrase ${JSON.stringify(phrase)}: expected 1-${MAX_WORDS} words`);
        let node = 0;
        for (const token of tokens) {
          const star = token.endsWith('*');
          if (star && (token.length - 1 < MIN_PREFIX || token.length - 1 > MAX_PREFIX)) throw new Error(`phrase ${JSON.stringify(phrase)}: a prefix needs ${MIN_PREFIX}-${MAX_PREFIX} letters`);
          const id = this.#token(token, star);
          let next = this.#phrases[node]!.get(id);
          if (next === undefined) {
            next = this.#phrases.length;
            this.#phrases.push(new Map());
            this.#labels.push([]);
            this.#phrases[node]!.set(id, next);
          }
          node = next;
        }
        if (!this.#labels[node]!.includes(label)) this.#labels[node]!.push(label);
      }
    });
  }

  /** Id of a listed token, entered in the character trie on first sight. */
  #token(token: string, star: boolean): number {
    let id = this.#tokenIds.get(token);
    if (id !== undefined) return id;
    id = this.#tokenIds.size;
    this.#tokenIds.set(token, id);
    const text = star ? token.slice(0, -1) : token;
    let node = 0;
    for (let i = 0; i < Math.min(text.length, MAX_WORD); i++) {
      let next = this.#chars[node]!.get(text.charCodeAt(i));
      if (next === undefined) {
        next = this.#chars.length;
        this.#chars.push(new Map());
        this.#wordToken.push(-1);
        this.#prefixToken.push(-1);
        this.#chars[node]!.set(text.charCodeAt(i), next);
      }
      node = next;
    }
    // A word longer than MAX_WORD characters never equals a text word (those are cut to MAX_WORD).
    if (star) this.#prefixToken[node] = id;
    else if (text.length <= MAX_WORD) this.#wordToken[node] = id;
    return id;
  }

  /** Appends to `out` (from `at`) the token ids the word `codes[from .. to)` can stand for: itself as a listed word, and each listed prefix it starts with. Returns the new end. */
  #alternatives(codes: Uint16Array, from: number, to: number, at: number): number {
    const end = Math.min(to, from + MAX_WORD);
    let node = 0;
    for (let i = from; i < end; i++) {
      const next = this.#chars[node]!.get(codes[i]!);
      if (next === undefined) return at;
      node = next;
      if (this.#prefixToken[node]! >= 0) at = push(this.#prefixToken[node]!, at);
    }
    if (this.#wordToken[node]! >= 0) at = push(this.#wordToken[node]!, at);
    return at;
  }

  /** Hit counts per label over `text`. */
  count(text: string, labels: number): number[] {
    return this.countWords(scanLoweredWords(text.toLowerCase()), labels);
  }

  /** `count` over a text already split by `scanLoweredWords` (its buffers, still current). */
  countWords({ count: wordCount, codes, starts: wordStarts }: WordScan, labels: number): number[] {
    const counts = new Array<number>(labels).fill(0);
    // Alternatives of word w: alternatives[altStart[w] .. altStart[w + 1]).
    if (altStart.length < wordCount + 1) altStart = new Int32Array(Math.max(wordCount + 1, altStart.length * 2));
    let at = 0;
    for (let w = 0; w < wordCount; w++) {
      altStart[w] = at;
      at = this.#alternatives(codes, wordStarts[w]!, wordStarts[w + 1]! - 1, at);
    }
    altStart[wordCount] = at;
    const flat = alternatives;
    // Trie nodes being followed, and the ones reached by the next word (at most one child per node and
    // alternative; grown when a word could exceed the scratch).
    let frontier = frontierA;
    let next = frontierB;
    for (let start = 0; start < wordCount; start++) {
      // Most words are no listed token: no phrase starts there.
      if (altStart[start] === altStart[start + 1]) continue;
      frontier[0] = 0;
      let size = 1;
      for (let n = 0; n < MAX_WORDS && start + n < wordCount && size > 0; n++) {
        let nextSize = 0;
        const needed = size * (altStart[start + n + 1]! - altStart[start + n]!);
        if (next.length < needed) next = new Int32Array(needed * 2);
        for (let f = 0; f < size; f++) {
          const children = this.#phrases[frontier[f]!]!;
          for (let k = altStart[start + n]!; k < altStart[start + n + 1]!; k++) {
            const child = children.get(flat[k]!);
            if (child === undefined) continue;
            const labelsHere = this.#labels[child]!;
            for (let l = 0; l < labelsHere.length; l++) counts[labelsHere[l]!]!++;
            if (this.#phrases[child]!.size > 0) next[nextSize++] = child;
          }
        }
        const swap = frontier;
        frontier = next;
        next = swap;
        size = nextSize;
      }
    }
    return counts;
  }
}

/** Per-call scratch, reused (count allocates only its result). */
let alternatives = new Int32Array(256);
let altStart = new Int32Array(256);
const frontierA = new Int32Array(64);
const frontierB = new Int32Array(64);

function push(id: number, at: number): number {
  if (at === alternatives.length) {
    const grown = new Int32Array(alternatives.length * 2);
    grown.set(alternatives);
    alternatives = grown;
  }
  alternatives[at] = id;
  return at + 1;
}

/** Splits a listed phrase the way `words` splits text, keeping a trailing `*` on a word. */
function tokenize(phrase: string): string[] {
  return phrase
    .split(/\s+/)
    .filter((part) => part !== '')
    .flatMap((part) => {
      const star = part.endsWith('*');
      const pieces = words(star ? part.slice(0, -1) : part).map((codes) => String.fromCharCode(...codes));
      if (star && pieces.length > 0) pieces[pieces.length - 1] += '*';
      return pieces;
    });
}
