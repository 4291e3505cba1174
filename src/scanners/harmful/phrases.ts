/**
 * A small phrase matcher over the featurizer's words (lowercased, leetspeak folded): phrases of
 * 1-4 words, a trailing `*` on a word matches any word starting with it. Linear in the number of
 * words: each word looks up itself and its prefixes (bounded length) in hash sets, and a phrase is
 * only followed while it is a prefix of some listed phrase.
 */
import { words } from '../injection/features.ts';

const MAX_WORDS = 4;
const MIN_PREFIX = 3;
const MAX_PREFIX = 16;

export class PhraseMatcher {
  readonly #phrases = new Map<string, number[]>();
  readonly #starts = new Set<string>();
  readonly #prefixes = new Set<string>();

  /** `groups[i]` lists the phrases of label `i`. */
  constructor(groups: readonly (readonly string[])[]) {
    groups.forEach((phrases, label) => {
      for (const phrase of phrases) {
        const tokens = tokenize(phrase);
        if (tokens.length === 0 || tokens.length > MAX_WORDS) throw new Error(`phrase ${JSON.stringify(phrase)}: expected 1-${MAX_WORDS} words`);
        for (const token of tokens) if (token.endsWith('*')) {
          if (token.length - 1 < MIN_PREFIX || token.length - 1 > MAX_PREFIX) throw new Error(`phrase ${JSON.stringify(phrase)}: a prefix needs ${MIN_PREFIX}-${MAX_PREFIX} letters`);
          this.#prefixes.add(token);
        }
        const key = tokens.join(' ');
        const labels = this.#phrases.get(key) ?? [];
        if (!labels.includes(label)) labels.push(label);
        this.#phrases.set(key, labels);
        for (let n = 1; n < tokens.length; n++) this.#starts.add(tokens.slice(0, n).join(' '));
      }
    });
  }

  /** The tokens a word can stand for: itself and each listed `prefix*` it starts with. */
  #alternatives(word: string): string[] {
    const out = [word];
    const limit = Math.min(word.length, MAX_PREFIX);
    for (let length = MIN_PREFIX; length <= limit; length++) {
      const token = `${word.slice(0, length)}*`;
      if (this.#prefixes.has(token)) out.push(token);
    }
    return out;
  }

  /** Hit counts per label over `text`. */
  count(text: string, labels: number): number[] {
    const counts = new Array<number>(labels).fill(0);
    const list = words(text).map((codes) => String.fromCharCode(...codes.slice(0, 64)));
    const alternatives = list.map((word) => this.#alternatives(word));
    for (let start = 0; start < list.length; start++) {
      let frontier = alternatives[start]!;
      for (let n = 1; n <= MAX_WORDS && frontier.length > 0; n++) {
        const next: string[] = [];
        for (const key of frontier) {
          for (const label of this.#phrases.get(key) ?? []) counts[label]!++;
          if (n < MAX_WORDS && start + n < list.length && this.#starts.has(key)) for (const alt of alternatives[start + n]!) next.push(`${key} ${alt}`);
        }
        frontier = next;
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
