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
 */
import { buildAutomaton, scanAtoms, type Automaton, type Found } from './aho-corasick.ts';
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
 * spaces or not), or an alternation with one.
 */
function weak(formula: Formula): boolean {
  if (formula === true) return true;
  if ('atom' in formula) return /^ ?[\p{L}\p{N}]? ?$/u.test(formula.atom);
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
  /** The code units whose fold is a non-ASCII character of some atom, as a class: only texts holding one run `wide`. */
  private readonly wideUnit: RegExp;
  /** Patterns with no requirement: always candidates. */
  private readonly unconditional: number[] = [];
  /** Groups found in the text being checked (`found[group] === stamp`), as the automata report them. */
  private readonly groupsFound: Found;
  /** `tried[pattern] === stamp` once its formula was evaluated for this text. */
  private readonly tried: Int32Array;
  /** The last `candidateList` answer: `list[0 .. count)` (reused by the next call). */
  readonly list: Int32Array;
  private readonly out: Uint8Array;

  constructor(patterns: readonly RegExp[]) {
    const fold = buildFoldTable();
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
      const members = [...new Set(atoms.map(atomId))].sort((a, b) => a - b);
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
    const groups = this.patternsOf.length;
    this.groupsFound = { found: new Int32Array(groups), stamp: 0, list: new Int32Array(groups), count: 0, high: false };
    this.tried = new Int32Array(patterns.length);
    this.list = new Int32Array(patterns.length);
    this.out = new Uint8Array(patterns.length);

    const isAscii = (atom: string): boolean => [...atom].every((char) => char.charCodeAt(0) < 128);
    const split = (wanted: boolean): [string[], number[][]] => {
      const kept = this.atoms.map((atom, id) => [atom, id] as const).filter(([atom]) => isAscii(atom) === wanted);
      return [kept.map(([atom]) => atom), kept.map(([, id]) => this.groupsOf[id]!)];
    };
    this.ascii = buildAutomaton(...split(true), fold);
    const [wideAtoms, wideGroups] = split(false);
    this.wide = wideAtoms.length ? buildAutomaton(wideAtoms, wideGroups, fold) : null;
    const wideChars = new Set<number>();
    for (const atom of wideAtoms) for (let i = 0; i < atom.length; i++) if (atom.charCodeAt(i) >= 128) wideChars.add(atom.charCodeAt(i));
    const ranges: string[] = [];
    const hex = (unit: number): string => `\\u${unit.toString(16).padStart(4, '0')}`;
    for (let unit = 128; unit < 65536; unit++) {
      if (!wideChars.has(fold[unit]!)) continue;
      let last = unit;
      while (last + 1 < 65536 && wideChars.has(fold[last + 1]!)) last++;
      ranges.push(last === unit ? hex(unit) : `${hex(unit)}-${hex(last)}`);
      unit = last;
    }
    // No `u` flag: the class is read unit by unit, like the automata read the text.
    this.wideUnit = ranges.length ? new RegExp(`[${ranges.join('')}]`) : /$^/;
  }

  /** Size of the automata, for the ADR and tests. */
  get stats(): { atoms: number; groups: number; asciiStates: number; wideStates: number; unconditional: number } {
    const states = (automaton: Automaton | null): number => (automaton ? automaton.outStart.length - 1 : 0);
    return { atoms: this.atoms.length, groups: this.patternsOf.length, asciiStates: states(this.ascii), wideStates: states(this.wide), unconditional: this.unconditional.length };
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
    }
    const stamp = ++groups.stamp;
    groups.count = 0;
    scanAtoms(this.ascii, text, groups);
    if (groups.high && this.wide && this.wideUnit.test(text)) scanAtoms(this.wide, text, groups);
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
