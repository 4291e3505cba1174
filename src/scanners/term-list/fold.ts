/**
 * The matching view of a canonical text: lower-cased, Unicode spaces as ' ' and, optionally,
 * with Latin/Greek/Cyrillic diacritics and stray combining marks removed, plus a map back
 * to the source.
 * ASCII is left as is: the automaton folds ASCII case itself, so ASCII text costs nothing.
 */

/** A view of `source` for matching; `starts`/`ends` give each view unit's source span (null: identity). */
export interface MatchView {
  text: string;
  starts: Int32Array | null;
  ends: Int32Array | null;
}

export interface FoldOptions {
  caseSensitive: boolean;
  foldDiacritics: boolean;
}

/** Combining marks that carry no script of their own ("Zalgo" material); dropped when folding diacritics. */
const GENERIC_MARKS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/gu;
const NON_ASCII = /[^\0-\x7f]/;
const UNICODE_SPACE = /^\s$/u;
const CACHE_LIMIT = 8192;

/** True when every code unit is ASCII. */
export function isAscii(text: string): boolean {
  return !NON_ASCII.test(text);
}

/** Builds match views; holds a per-instance cache of folded code points. */
export class Folder {
  readonly #options: FoldOptions;
  readonly #cache = new Map<number, string>();

  constructor(options: FoldOptions) {
    this.#options = options;
  }

  /** The matching view of `source`. */
  view(source: string): MatchView {
    if (isAscii(source)) return { text: source, starts: null, ends: null };
    // Most folds keep each code point's length (é -> e, П -> п): then offsets are unchanged and
    // no map is needed; only drops and expansions take the mapped path.
    let text = '';
    let copied = 0;
    for (let i = 0; i < source.length; ) {
      const unit = source.charCodeAt(i);
      if (unit < 0x80) {
        i++;
        continue;
      }
      const cp = source.codePointAt(i)!;
      const width = cp > 0xffff ? 2 : 1;
      const folded = this.#fold(cp);
      if (folded.length !== width) return this.#mappedView(source);
      if (folded.charCodeAt(0) !== unit || (width === 2 && folded.charCodeAt(1) !== source.charCodeAt(i + 1))) {
        text += source.slice(copied, i) + folded;
        copied = i + width;
      }
      i += width;
    }
    text = copied === 0 ? source : text + source.slice(copied);
    return { text, starts: null, ends: null };
  }

  /** The view with an offset map, for text where some fold drops or expands characters. */
  #mappedView(source: string): MatchView {
    let capacity = source.length + 16;
    let starts = new Int32Array(capacity);
    let ends = new Int32Array(capacity);
    let text = '';
    let length = 0;
    for (let i = 0; i < source.length; ) {
      const cp = source.codePointAt(i)!;
      const width = cp > 0xffff ? 2 : 1;
      const folded = cp < 0x80 ? String.fromCharCode(cp) : this.#fold(cp);
      if (folded.length === 0) {
        // A dropped mark widens the previous unit, so a redaction also removes it.
        if (length > 0) ends[length - 1] = i + width;
      } else {
        if (length + folded.length > capacity) {
          capacity = capacity * 2 + folded.length;
          const grownStarts = new Int32Array(capacity);
          const grownEnds = new Int32Array(capacity);
          grownStarts.set(starts);
          grownEnds.set(ends);
          starts = grownStarts;
          ends = grownEnds;
        }
        for (let k = 0; k < folded.length; k++) {
          starts[length] = i;
          ends[length] = i + width;
          length++;
        }
        text += folded;
      }
      i += width;
    }
    return { text, starts, ends };
  }

  /** Source span of the view span [start, end). */
  static toSource(view: MatchView, start: number, end: number): [number, number] {
    if (view.starts === null || view.ends === null) return [start, end];
    if (end <= start) {
      const at = start < view.text.length ? view.starts[start]! : view.text.length === 0 ? 0 : view.ends[view.text.length - 1]!;
      return [at, at];
    }
    return [view.starts[start]!, view.ends[end - 1]!];
  }

  #fold(cp: number): string {
    const cached = this.#cache.get(cp);
    if (cached !== undefined) return cached;
    let out = String.fromCodePoint(cp);
    // Unicode spaces and line separators match a space in a term, like ASCII whitespace does.
    if (UNICODE_SPACE.test(out)) out = ' ';
    // Lone surrogates stay as they are: case mapping and normalisation have nothing to say about them.
    if (cp < 0xd800 || cp > 0xdfff) {
      if (!this.#options.caseSensitive) out = out.toLowerCase();
      if (this.#options.foldDiacritics) {
        const decomposed = out.normalize('NFD');
        const stripped = decomposed.replace(GENERIC_MARKS, '');
        if (stripped.length !== decomposed.length) out = stripped.normalize('NFC');
      }
    }
    if (this.#cache.size >= CACHE_LIMIT) this.#cache.clear();
    this.#cache.set(cp, out);
    return out;
  }
}
