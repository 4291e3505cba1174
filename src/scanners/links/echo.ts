/**
 * "Text copied from the conversation" inside a URL: shingles (runs of `words` consecutive words of
 * 3+ letters) of every segment's text outside its URLs, checked against the words of each URL's
 * path and query. Hashes only: no conversation text is kept or reported.
 */
import { words } from '../injection/features.ts';

const MAX_WORDS_INDEXED = 50_000;

function wordKeys(text: string): string[] {
  const out: string[] = [];
  for (const codes of words(text)) {
    if (codes.length < 3) continue;
    out.push(String.fromCharCode(...codes.slice(0, 32)));
    if (out.length >= MAX_WORDS_INDEXED) break;
  }
  return out;
}

export class ConversationShingles {
  readonly #shingles = new Set<string>();
  readonly #size: number;

  constructor(size: number) {
    this.#size = size;
  }

  /** Indexes `text` (a segment with its URLs blanked out). */
  add(text: string): void {
    const list = wordKeys(text);
    for (let i = 0; i + this.#size <= list.length; i++) this.#shingles.add(list.slice(i, i + this.#size).join(' '));
  }

  /** True when `text` (a URL's decoded path and query) contains an indexed shingle. */
  echoes(text: string): boolean {
    if (this.#shingles.size === 0) return false;
    const list = wordKeys(text);
    for (let i = 0; i + this.#size <= list.length; i++) if (this.#shingles.has(list.slice(i, i + this.#size).join(' '))) return true;
    return false;
  }
}
