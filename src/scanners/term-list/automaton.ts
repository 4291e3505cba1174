/**
 * An Aho-Corasick automaton over UTF-16 code units.
 *
 * Why not modern-ahocorasick: it walks text by grapheme cluster through Intl.Segmenter,
 * which on Node 20 is quadratic on long non-ASCII input (16 K chars of 'é': ~50 ms; 1 MB:
 * minutes), a denial-of-service on the hot path. Code units keep every scan linear.
 */

/** Calls back for each occurrence; `end` is exclusive. */
export type MatchCallback = (pattern: number, start: number, end: number) => void;

export interface AutomatonOptions {
  /** Fold ASCII A-Z onto a-z inside the automaton, so ASCII text needs no lower-casing copy. */
  asciiCaseInsensitive?: boolean;
  /** Treat ASCII whitespace as ' ' and a run of it as one space, so 'a  b' and 'a\nb' match 'a b'. */
  collapseWhitespace?: boolean;
  /** Largest dense ASCII table (states x 128 entries) to build; above it, transitions walk failure links. */
  denseLimit?: number;
}

const ASCII = 128;
/** 2 M entries (8 MB): dictionaries up to ~16 K trie states get the fast table. */
const DEFAULT_DENSE_LIMIT = 2 * 1024 * 1024;

/** A compiled dictionary; immutable, reusable across scans, safe to share. */
export class Automaton {
  /** Trie edges per state (all code units). */
  readonly #edges: Map<number, number>[];
  readonly #fail: Int32Array;
  /** Nearest state on the failure chain that ends a pattern, or -1. */
  readonly #outputLink: Int32Array;
  /** First state on the output chain of each state (itself when it ends a pattern), or -1. */
  readonly #firstOut: Int32Array;
  /** Patterns ending exactly at each state. */
  readonly #own: (readonly number[] | undefined)[];
  readonly #lengths: Int32Array;
  /** Trie depth of each state: how many pattern units lead to it. */
  readonly #depth: Int32Array;
  /** Full ASCII transition table (a DFA) when small enough, else null. */
  readonly #dense: Int32Array | null;
  readonly #foldCase: boolean;
  readonly #collapse: boolean;

  constructor(patterns: readonly string[], options: AutomatonOptions = {}) {
    this.#foldCase = options.asciiCaseInsensitive ?? false;
    this.#collapse = options.collapseWhitespace ?? false;
    const edges: Map<number, number>[] = [new Map()];
    const depths: number[] = [0];
    const own: (number[] | undefined)[] = [undefined];
    /** States entered through a space edge; with collapsing, more whitespace keeps them where they are. */
    const spaceStates: number[] = [];
    this.#lengths = new Int32Array(patterns.length);
    patterns.forEach((pattern, index) => {
      if (pattern.length === 0) throw new RangeError(`pattern ${index} is empty`);
      if (this.#collapse && (isSpace(pattern.charCodeAt(0)) || isSpace(pattern.charCodeAt(pattern.length - 1)) || /[\t\n\v\f\r ]{2}/.test(pattern))) {
        throw new RangeError(`pattern ${index} starts or ends with whitespace or repeats it; collapse whitespace first`);
      }
      this.#lengths[index] = pattern.length;
      let state = 0;
      for (let i = 0; i < pattern.length; i++) {
        const unit = this.#fold(pattern.charCodeAt(i));
        let next = edges[state]!.get(unit);
        if (next === undefined) {
          next = edges.length;
          edges.push(new Map());
          depths.push(depths[state]! + 1);
          own.push(undefined);
          edges[state]!.set(unit, next);
          if (unit === 0x20) spaceStates.push(next);
        }
        state = next;
      }
      (own[state] ??= []).push(index);
    });
    const count = edges.length;
    this.#depth = Int32Array.from(depths);
    this.#edges = edges;
    this.#own = own;
    this.#fail = new Int32Array(count);
    this.#outputLink = new Int32Array(count).fill(-1);
    const dense = count * ASCII <= (options.denseLimit ?? DEFAULT_DENSE_LIMIT) ? new Int32Array(count * ASCII) : null;
    this.#dense = dense;
    // Breadth-first, so a state's failure target (always shallower) is complete before the state itself.
    const queue = new Int32Array(count);
    let head = 0;
    let tail = 0;
    queue[tail++] = 0;
    while (head < tail) {
      const state = queue[head++]!;
      const map = edges[state]!;
      if (dense) {
        const row = state * ASCII;
        const failRow = this.#fail[state]! * ASCII;
        for (let unit = 0; unit < ASCII; unit++) {
          const child = map.get(unit);
          dense[row + unit] = child ?? (state === 0 ? 0 : dense[failRow + unit]!);
        }
      }
      for (const [unit, child] of map) {
        const target = state === 0 ? 0 : this.#step(this.#fail[state]!, unit);
        this.#fail[child] = target;
        this.#outputLink[child] = own[target] ? target : this.#outputLink[target]!;
        queue[tail++] = child;
      }
    }
    this.#firstOut = new Int32Array(count);
    for (let state = 0; state < count; state++) this.#firstOut[state] = own[state] ? state : this.#outputLink[state]!;
    if (dense && (this.#foldCase || this.#collapse)) {
      for (let state = 0; state < count; state++) {
        const row = state * ASCII;
        for (let unit = 0; unit < ASCII; unit++) {
          const folded = this.#fold(unit);
          if (folded !== unit) dense[row + unit] = dense[row + folded]!;
        }
      }
    }
    if (dense && this.#collapse) {
      // After any whitespace the automaton sits in a space state or the root (no pattern starts
      // with a space); looping there on more whitespace is exactly "a run counts as one space".
      for (const state of spaceStates) {
        for (const unit of [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20]) dense[state * ASCII + unit] = state;
      }
    }
  }

  /** Number of patterns compiled in. */
  get size(): number {
    return this.#lengths.length;
  }

  /**
   * Reports every occurrence of every pattern in `text`, overlaps included, in order of end.
   * Returns where the longest suffix of `text` that is the beginning of a pattern starts
   * (`text.length` when none): text from there on could still become a match as more arrives.
   */
  scan(text: string, onMatch: MatchCallback): number {
    if (this.#lengths.length === 0) return text.length;
    const dense = this.#dense;
    const firstOut = this.#firstOut;
    const length = text.length;
    let state = 0;
    if (dense !== null) {
      // Hot loop: whitespace collapsing and ASCII case folding are compiled into the table.
      for (let i = 0; i < length; i++) {
        const unit = text.charCodeAt(i);
        state = unit < ASCII ? dense[state * ASCII + unit]! : this.#step(state, unit);
        if (firstOut[state] !== -1) this.#report(text, state, i, onMatch);
      }
      return this.#pendingStart(text, state);
    }
    const collapse = this.#collapse;
    let previousSpace = false;
    for (let i = 0; i < length; i++) {
      const unit = text.charCodeAt(i);
      if (collapse) {
        const space = isSpace(unit);
        // The rest of a whitespace run is invisible to the automaton.
        if (space && previousSpace) continue;
        previousSpace = space;
      }
      state = this.#step(state, this.#fold(unit));
      if (firstOut[state] !== -1) this.#report(text, state, i, onMatch);
    }
    return this.#pendingStart(text, state);
  }

  #pendingStart(text: string, state: number): number {
    const depth = this.#depth[state]!;
    if (depth === 0 || text.length === 0) return text.length;
    return this.#collapse ? startOf(text, text.length - 1, depth) : text.length - depth;
  }

  /** Reports the patterns ending at `i` in `state`; off the hot loop, which only tests for outputs. */
  #report(text: string, state: number, i: number, onMatch: MatchCallback): void {
    const own = this.#own;
    const link = this.#outputLink;
    for (let out = this.#firstOut[state]!; out !== -1; out = link[out]!) {
      for (const pattern of own[out]!) {
        const length = this.#lengths[pattern]!;
        onMatch(pattern, this.#collapse ? startOf(text, i, length) : i + 1 - length, i + 1);
      }
    }
  }

  #fold(unit: number): number {
    if (this.#foldCase && unit >= 0x41 && unit <= 0x5a) return unit + 0x20;
    if (this.#collapse && isSpace(unit)) return 0x20;
    return unit;
  }

  /** The goto function with failure links, for units outside the dense table. */
  #step(state: number, unit: number): number {
    for (;;) {
      const next = this.#edges[state]!.get(unit);
      if (next !== undefined) return next;
      if (state === 0) return 0;
      state = this.#fail[state]!;
    }
  }
}

function isSpace(unit: number): boolean {
  return unit === 0x20 || (unit >= 0x09 && unit <= 0x0d);
}

/** Start of a match of `length` pattern units ending at `last`, counting each whitespace run as one unit. */
function startOf(text: string, last: number, length: number): number {
  let i = last;
  for (let left = length; left > 1; left--) {
    i--;
    if (isSpace(text.charCodeAt(i))) while (i > 0 && isSpace(text.charCodeAt(i - 1))) i--;
  }
  return i;
}
