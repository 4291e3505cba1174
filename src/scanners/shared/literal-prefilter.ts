/**
 * One pass over a text that says which of many RegExps can match it, so only those run.
 *
 * Each RegExp is reduced to the literal strings it needs (regex-literals.ts: "ignore " AND
 * ("previous " OR "prior " ...) AND ...), written in a folded alphabet where case does not matter
 * and a run of whitespace is one space. Those strings go into Aho-Corasick automata
 * (aho-corasick.ts), one table lookup per code unit, which find every string present in one pass;
 * a RegExp is a candidate when its formula holds. The automata report *groups* (sets of alternative
 * atoms) rather than atoms, so a formula costs a few lookups. Strings with characters above ASCII
 * live in a second automaton that only runs on texts holding a unit that one of those strings
 * contains (most non-ASCII text is punctuation or another script: it skips that scan), so the
 * common automaton stays small enough for the cache.
 *
 * Never narrower than the RegExps: a pattern the reduction does not understand has no requirement
 * and is always a candidate; the text and the strings are folded by the same table.
 *
 * With `anchors`, the same pass also says where a pattern's matches can start (anchors.ts): the
 * automata log every place one of its leading strings occurs, and `anchorStarts` turns those into
 * start positions, so the caller can try the RegExp there instead of scanning the whole text.
 */
import { buildAutomaton, scanAtoms, type Automaton, type Found } from './aho-corasick.ts';
import { atomStart, lineStarts, patternAnchor } from './anchors.ts';
import { buildFoldTable, requiredLiterals, type Formula } from './regex-literals.ts';

/**
 * A formula over *groups*: a group is one set of alternative atoms ("previous " | "prior " | ...),
 * found when any of its atoms is, so evaluating a pattern costs a handful of lookups however many
 * strings its alternations expand to.
 */
type Compiled = true | number | { and: Compiled[] } | { or: Compiled[] };

function holds(formula: Compiled, found: Int32Array, stamp: number): boolean {
  if (formula === true) return true;
  if (typeof formula === 'number') return found[formula] === stamp;
  if ('and' in formula) {
    for (const part of formula.and) if (!holds(part, found, stamp)) return false;
    return true;
  }
  for (const part of formula.or) if (holds(part, found, stamp)) return true;
  return false;
}

/**
 * Whether a requirement holds in nearly every text: a one-letter (or one-digit) atom (`a`, with
 * spaces or not), an ASCII word of at most three units (`is`, `to`, `add`, `nd`), or an alternation
 * with one.
 */
function weak(formula: Formula): boolean {
  if (formula === true) return true;
  if ('atom' in formula) return /^ ?[\p{L}\p{N}]? ?$/u.test(formula.atom) || /^ ?[a-z0-9'.,:;-]{1,3} ?$/.test(formula.atom);
  return 'or' in formula ? formula.or.some(weak) : formula.and.every(weak);
}

/**
 * Drops the weak parts of a sequence that has strong ones: the formula gets (harmlessly) wider,
 * and the automaton sheds the states and the output on nearly every unit that they cost.
 */
function pruned(formula: Formula): Formula {
  if (formula === true || 'atom' in formula) return formula;
  if ('or' in formula) return { or: formula.or.map(pruned) };
  const parts = formula.and.map(pruned);
  const strong = parts.filter((part) => !weak(part));
  if (strong.length === 0) return { and: parts };
  return strong.length === 1 ? strong[0]! : { and: strong };
}

function groupIds(formula: Compiled, into: Set<number>): Set<number> {
  if (typeof formula === 'number') into.add(formula);
  else if (formula !== true) for (const part of 'and' in formula ? formula.and : formula.or) groupIds(part, into);
  return into;
}

/**
 * A text logs at most one place per 2^PLACE_SPACING units (or PLACES_AT_LEAST): with more, scanning
 * costs less than trying each place, and the placing work would grow with them (a text of "ignore
 * ignore ..." would cost several times its scan). Past that, `anchorStarts` says "any place".
 */
const PLACE_SPACING = 5;
const PLACES_AT_LEAST = 16;

/**
 * Required strings are cut to this many stream units (as leading strings are, anchors.ts): where the
 * whole string occurs its beginning does, so the requirement only widens, and the automaton sheds the
 * states of long phrases ("instrucciones anteriores ya no son válidas").
 */
const REQUIRED_LONGEST = 16;

/** Places are kept as `set * SET + start` (exact in a double: starts are string indices, below 2^32). */
const SET = 2 ** 32;

export class LiteralPrefilter {
  private readonly formulas: Compiled[];
  /** Per pattern: its formula as the groups that must all be present (the usual shape), or null (use `formulas`). */
  private readonly allOf: (Int32Array | null)[];
  private readonly atoms: string[] = [];
  /** Groups each atom belongs to, and patterns each group appears in. */
  private readonly groupsOf: number[][] = [];
  private readonly patternsOf: number[][] = [];
  private readonly ascii: Automaton;
  private readonly wide: Automaton | null;
  /**
   * The id the ASCII automaton's sentinel reports for a unit whose fold is a non-ASCII character of
   * some atom: only texts holding one run `wide`.
   */
  private readonly wideSeen: number;
  /** Patterns with no requirement: always candidates. */
  private readonly unconditional: number[] = [];
  /** Groups found in the text being checked (`found[group] === stamp`), as the automata report them. */
  private readonly groupsFound: Found;
  /** `tried[pattern] === stamp` once its formula was evaluated for this text. */
  private readonly tried: Int32Array;
  /** The last `candidateList` answer: `list[0 .. count)` (reused by the next call). */
  readonly list: Int32Array;
  private readonly out: Uint8Array;
  private readonly fold: Uint16Array;
  /**
   * Leading strings: per pattern its set (-1: none), and per mark (one string of one set, as the
   * automata log it) the set and the string.
   */
  private readonly anchorSet: Int32Array;
  private readonly markSet: number[] = [];
  private readonly markAtom: string[] = [];
  /** Per set: whether its matches start at the line feed before the place (anchors.ts). */
  private readonly lineStart: boolean[] = [];
  /** This text's logged places, `set * 2^32 + start` in increasing order: `placed[0 .. placedCount)`. */
  private placed = new Float64Array(32);
  private placedCount = 0;
  /** The `groupsFound.stamp` whose log `placed` holds. */
  private placedStamp = 0;
  /** The last `anchorStarts` answer: `starts[0 .. count)`, increasing. */
  starts = new Int32Array(64);

  constructor(patterns: readonly RegExp[], options: { anchors?: boolean } = {}) {
    const fold = buildFoldTable();
    this.fold = fold;
    const atomIds = new Map<string, number>();
    const groupIdsByKey = new Map<string, number>();
    const atomId = (atom: string): number => {
      let id = atomIds.get(atom);
      if (id === undefined) {
        id = this.atoms.length;
        atomIds.set(atom, id);
        this.atoms.push(atom);
        this.groupsOf.push([]);
      }
      return id;
    };
    const group = (atoms: readonly string[]): number => {
      const members = [...new Set(atoms.map((atom) => atomId(atom.slice(0, REQUIRED_LONGEST))))].sort((a, b) => a - b);
      const key = members.join(',');
      let id = groupIdsByKey.get(key);
      if (id === undefined) {
        id = this.patternsOf.length;
        groupIdsByKey.set(key, id);
        this.patternsOf.push([]);
        for (const member of members) this.groupsOf[member]!.push(id);
      }
      return id;
    };
    const compile = (formula: Formula): Compiled => {
      if (formula === true) return true;
      if ('atom' in formula) return group([formula.atom]);
      if ('and' in formula) return { and: formula.and.map(compile) };
      if (formula.or.every((part) => part !== true && 'atom' in part)) return group(formula.or.map((part) => (part as { atom: string }).atom));
      return { or: formula.or.map(compile) };
    };
    this.formulas = patterns.map((pattern) => compile(pruned(requiredLiterals(pattern, fold))));
    this.formulas.forEach((formula, index) => {
      if (formula === true) this.unconditional.push(index);
      for (const id of groupIds(formula, new Set())) this.patternsOf[id]!.push(index);
    });
    this.allOf = this.formulas.map((formula) => {
      if (typeof formula === 'number') return Int32Array.of(formula);
      if (formula !== true && 'and' in formula && formula.and.every((part) => typeof part === 'number')) return Int32Array.from(formula.and as number[]);
      return null;
    });
    // Leading strings join the atoms with no group (they need not be present), marked with their set.
    const marksOf: number[][] = this.atoms.map(() => []);
    this.anchorSet = new Int32Array(patterns.length).fill(-1);
    const setIds = new Map<string, number>();
    if (options.anchors) patterns.forEach((pattern, index) => {
      const anchor = patternAnchor(pattern, fold);
      if (anchor === null) return;
      const key = `${anchor.lineStart}\n${anchor.strings.join('\n')}`;
      let set = setIds.get(key);
      if (set === undefined) {
        set = setIds.size;
        setIds.set(key, set);
        this.lineStart.push(anchor.lineStart);
        for (const string of anchor.strings) {
          const id = atomId(string);
          if (id === marksOf.length) marksOf.push([]);
          marksOf[id]!.push(this.markSet.length);
          this.markSet.push(set);
          this.markAtom.push(string);
        }
      }
      this.anchorSet[index] = set;
    });
    const groups = this.patternsOf.length;
    // The sentinel's id follows the groups' (a group in no formula).
    this.wideSeen = groups;
    this.patternsOf.push([]);
    this.groupsFound = { found: new Int32Array(groups + 1), stamp: 0, list: new Int32Array(groups + 1), count: 0, log: new Int32Array(64), logged: 0, logLimit: 0 };
    this.tried = new Int32Array(patterns.length);
    this.list = new Int32Array(patterns.length);
    this.out = new Uint8Array(patterns.length);

    const isAscii = (atom: string): boolean => [...atom].every((char) => char.charCodeAt(0) < 128);
    const split = (wanted: boolean): [string[], number[][], number[][]] => {
      const kept = this.atoms.map((atom, id) => [atom, id] as const).filter(([atom]) => isAscii(atom) === wanted);
      return [kept.map(([atom]) => atom), kept.map(([, id]) => this.groupsOf[id]!), kept.map(([, id]) => marksOf[id]!)];
    };
    const [wideAtoms, wideGroups, wideMarks] = split(false);
    this.wide = wideAtoms.length ? buildAutomaton(wideAtoms, wideGroups, fold, wideMarks) : null;
    const wideChars = new Set<number>();
    for (const atom of wideAtoms) for (let i = 0; i < atom.length; i++) if (atom.charCodeAt(i) >= 128) wideChars.add(atom.charCodeAt(i));
    const [asciiAtoms, asciiGroups, asciiMarks] = split(true);
    this.ascii = buildAutomaton(asciiAtoms, asciiGroups, fold, asciiMarks, this.wide ? { chars: wideChars, id: this.wideSeen } : undefined);
  }

  /** Size of the automata, for the ADR and tests. */
  get stats(): { atoms: number; groups: number; asciiStates: number; wideStates: number; unconditional: number } {
    const states = (automaton: Automaton | null): number => (automaton ? automaton.outStart.length - 1 : 0);
    // The ASCII automaton's two sentinel states (root copies) are not counted.
    const sentinel = this.wide ? 2 : 0;
    return { atoms: this.atoms.length, groups: this.wideSeen, asciiStates: states(this.ascii) - sentinel, wideStates: states(this.wide), unconditional: this.unconditional.length };
  }

  private holdsNow(pattern: number, found: Int32Array, stamp: number): boolean {
    const all = this.allOf[pattern]!;
    if (all === null) return holds(this.formulas[pattern]!, found, stamp);
    for (let k = 0; k < all.length; k++) if (found[all[k]!] !== stamp) return false;
    return true;
  }

  /**
   * The patterns that may match `text` (run them), in increasing order: returns their count, and
   * they are `list[0 .. count)`, valid until the next call.
   */
  candidateList(text: string): number {
    const groups = this.groupsFound;
    // A fresh stamp marks this text's groups and tries without clearing the arrays.
    if (groups.stamp === 0x7ffffffe) {
      groups.found.fill(0);
      this.tried.fill(0);
      groups.stamp = 0;
      this.placedStamp = 0;
    }
    const stamp = ++groups.stamp;
    groups.count = 0;
    groups.logged = 0;
    groups.logLimit = 2 * Math.max(PLACES_AT_LEAST, text.length >> PLACE_SPACING);
    scanAtoms(this.ascii, text, groups);
    if (this.wide !== null && groups.found[this.wideSeen] === stamp) scanAtoms(this.wide, text, groups);
    const { tried, list } = this;
    const found = groups.found;
    let count = 0;
    for (const index of this.unconditional) list[count++] = index;
    for (let k = 0; k < groups.count; k++) {
      const patterns = this.patternsOf[groups.list[k]!]!;
      for (let p = 0; p < patterns.length; p++) {
        const index = patterns[p]!;
        if (tried[index] === stamp) continue;
        tried[index] = stamp;
        // Only patterns with at least one group present can hold.
        if (!this.holdsNow(index, found, stamp)) continue;
        // Insertion keeps the (short) list sorted.
        let at = count++;
        while (at > 0 && list[at - 1]! > index) {
          list[at] = list[at - 1]!;
          at--;
        }
        list[at] = index;
      }
    }
    return count;
  }

  /**
   * Where matches of pattern `index` can start in `text`, the text of the last `candidateList` call:
   * -1 when the pattern has no leading strings (any place), else their count, in `starts[0 .. count)`
   * in increasing order, valid until the next call. A match starts at one of them or nowhere.
   */
  anchorStarts(index: number, text: string): number {
    const set = this.anchorSet[index]!;
    if (set < 0 || this.groupsFound.logged >= this.groupsFound.logLimit) return -1;
    if (this.placedStamp !== this.groupsFound.stamp) this.place(text);
    const { placed, placedCount } = this;
    const base = set * SET;
    // The set's places are a run of `placed`: find its first (binary search), then copy them once each.
    let low = 0;
    let high = placedCount;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (placed[middle]! < base) low = middle + 1;
      else high = middle;
    }
    let end = low;
    while (end < placedCount && placed[end]! < base + SET) end++;
    if (this.starts.length < end - low) this.starts = new Int32Array(2 * (end - low));
    const starts = this.starts;
    let count = 0;
    for (let k = low; k < end; k++) {
      const start = placed[k]! - base;
      if (count === 0 || start !== starts[count - 1]) starts[count++] = start;
    }
    return this.lineStart[set] ? lineStarts(text, starts, count) : count;
  }

  /** Turns this text's log into its places by set and start (once per text, on the first `anchorStarts`). */
  private place(text: string): void {
    const { log, logged } = this.groupsFound;
    const { markSet, markAtom, fold } = this;
    const count = logged >> 1;
    if (this.placed.length < count) this.placed = new Float64Array(2 * count);
    const placed = this.placed;
    for (let k = 0; k < count; k++) {
      const mark = log[2 * k + 1]!;
      placed[k] = markSet[mark]! * SET + atomStart(text, log[2 * k]!, markAtom[mark]!, fold);
    }
    placed.subarray(0, count).sort();
    this.placedCount = count;
    this.placedStamp = this.groupsFound.stamp;
  }

  /**
   * `candidates[i]` is 1 when pattern `i` may match `text` (run it), 0 when it cannot. The array is
   * reused: it holds this text's answer until the next call.
   */
  candidates(text: string): Uint8Array {
    const count = this.candidateList(text);
    const { list, out } = this;
    out.fill(0);
    for (let k = 0; k < count; k++) out[list[k]!] = 1;
    return out;
  }
}
