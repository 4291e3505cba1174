/**
 * A small phrase matcher over the featurizer's words (lowercased, leetspeak folded): phrases of
 * 1-4 words, a trailing `*` on a word matches any word starting with it. Linear in the number of
 * words and allocation-light: each word is walked once through a character trie of the listed
 * words and prefixes (no strings are built), giving the token ids it can stand for; phrases are
 * then followed through a trie of token ids, only while they are a prefix of some listed phrase.
 */
import { words } from '../injection/features.ts';

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

  /** The token ids `codes` can stand for (itself as a listed word, and each listed prefix it starts with), appended to `out`. */
  #alternatives(codes: readonly number[], out: number[]): void {
    const length = Math.min(codes.length, MAX_WORD);
    let node = 0;
    for (let i = 0; i < length; i++) {
      const next = this.#chars[node]!.get(codes[i]!);
      if (next === undefined) return;
      node = next;
      if (this.#prefixToken[node]! >= 0) out.push(this.#prefixToken[node]!);
    }
    if (this.#wordToken[node]! >= 0) out.push(this.#wordToken[node]!);
  }

  /** Hit counts per label over `text`. */
  count(text: string, labels: number): number[] {
    const counts = new Array<number>(labels).fill(0);
    const list = words(text);
    // Alternatives of word w: flat[starts[w] .. starts[w + 1]).
    const flat: number[] = [];
    const starts = new Array<number>(list.length + 1);
    for (let w = 0; w < list.length; w++) {
      starts[w] = flat.length;
      this.#alternatives(list[w]!, flat);
    }
    starts[list.length] = flat.length;
    let frontier: number[] = [];
    let next: number[] = [];
    for (let start = 0; start < list.length; start++) {
      // Most words are no listed token: no phrase starts there.
      if (starts[start] === starts[start + 1]) continue;
      frontier.length = 0;
      frontier.push(0);
      for (let n = 0; n < MAX_WORDS && start + n < list.length && frontier.length > 0; n++) {
        next.length = 0;
        for (const node of frontier) {
          for (let k = starts[start + n]!; k < starts[start + n + 1]!; k++) {
            const child = this.#phrases[node]!.get(flat[k]!);
            if (child === undefined) continue;
            for (const label of this.#labels[child]!) counts[label]!++;
            if (this.#phrases[child]!.size > 0) next.push(child);
          }
        }
        [frontier, next] = [next, frontier];
      }
    }
    return counts;
  }
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
