/**
 * One pass over a text that says which of many RegExps can match it, so only those run.
 *
 * Each RegExp is reduced to the literal strings it needs (regex-literals.ts: "ignore " AND
 * ("previous " OR "prior " ...) AND ...), written in a folded alphabet where case does not matter
 * and a run of whitespace is one space. Those strings go into Aho-Corasick automata
 * (aho-corasick.ts), one table lookup per code unit, which find every string present in one pass;
 * a RegExp is a candidate when its formula holds. Strings with characters above ASCII live in a
 * second automaton that only runs on texts holding such characters, so the common automaton stays
 * small enough for the cache.
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

function groupIds(formula: Compiled, into: Set<number>): Set<number> {
  if (typeof formula === 'number') into.add(formula);
  else if (formula !== true) for (const part of 'and' in formula ? formula.and : formula.or) groupIds(part, into);
  return into;
}

export class LiteralPrefilter {
  private readonly formulas: Compiled[];
  private readonly atoms: string[] = [];
  /** Groups each atom belongs to, and patterns each group appears in. */
  private readonly groupsOf: number[][] = [];
  private readonly patternsOf: number[][] = [];
  private readonly ascii: Automaton;
  private readonly wide: Automaton | null;
  /** Patterns with no requirement: always candidates. */
  private readonly unconditional: number[] = [];
  private readonly atomsFound: Found;
  /** `groupFound[group] === stamp` when one of its atoms occurs in the text being checked. */
  private readonly groupFound: Int32Array;
  /** `tried[pattern] === stamp` once its formula was evaluated for this text. */
  private readonly tried: Int32Array;
  /** Scratch: patterns whose formula is evaluated for this text, and the answer handed back. */
  private readonly touched: Int32Array;
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
    this.formulas = patterns.map((pattern) => compile(requiredLiterals(pattern, fold)));
    this.formulas.forEach((formula, index) => {
      if (formula === true) this.unconditional.push(index);
      for (const id of groupIds(formula, new Set())) this.patternsOf[id]!.push(index);
    });
    this.atomsFound = { found: new Int32Array(this.atoms.length), stamp: 0, list: new Int32Array(this.atoms.length), count: 0, high: false };
    this.groupFound = new Int32Array(this.patternsOf.length);
    this.tried = new Int32Array(patterns.length);
    this.touched = new Int32Array(patterns.length);
    this.out = new Uint8Array(patterns.length);

    const isAscii = (atom: string): boolean => [...atom].every((char) => char.charCodeAt(0) < 128);
    const split = (wanted: boolean): [string[], number[]] => {
      const kept = this.atoms.map((atom, id) => [atom, id] as const).filter(([atom]) => isAscii(atom) === wanted);
      return [kept.map(([atom]) => atom), kept.map(([, id]) => id)];
    };
    this.ascii = buildAutomaton(...split(true), fold);
    const [wideAtoms, wideIds] = split(false);
    this.wide = wideAtoms.length ? buildAutomaton(wideAtoms, wideIds, fold) : null;
  }

  /** Size of the automata, for the ADR and tests. */
  get stats(): { atoms: number; groups: number; asciiStates: number; wideStates: number; unconditional: number } {
    const states = (automaton: Automaton | null): number => (automaton ? automaton.outStart.length - 1 : 0);
    return { atoms: this.atoms.length, groups: this.patternsOf.length, asciiStates: states(this.ascii), wideStates: states(this.wide), unconditional: this.unconditional.length };
  }

  /**
   * `candidates[i]` is 1 when pattern `i` may match `text` (run it), 0 when it cannot. The array is
   * reused: it holds this text's answer until the next call.
   */
  candidates(text: string): Uint8Array {
    const found = this.atomsFound;
    // A fresh stamp marks this text's atoms, groups and tries without clearing the arrays.
    if (found.stamp === 0x7ffffffe) {
      found.found.fill(0);
      this.groupFound.fill(0);
      this.tried.fill(0);
      found.stamp = 0;
    }
    const stamp = ++found.stamp;
    found.count = 0;
    scanAtoms(this.ascii, text, found);
    if (found.high && this.wide) scanAtoms(this.wide, text, found);
    const { groupFound, tried, touched, out } = this;
    let touchedCount = 0;
    for (let k = 0; k < found.count; k++) {
      const groups = this.groupsOf[found.list[k]!]!;
      for (let g = 0; g < groups.length; g++) {
        const group = groups[g]!;
        if (groupFound[group] === stamp) continue;
        groupFound[group] = stamp;
        const patterns = this.patternsOf[group]!;
        for (let p = 0; p < patterns.length; p++) {
          const index = patterns[p]!;
          if (tried[index] === stamp) continue;
          tried[index] = stamp;
          touched[touchedCount++] = index;
        }
      }
    }
    out.fill(0);
    for (const index of this.unconditional) out[index] = 1;
    // Only patterns with at least one group present can hold.
    for (let t = 0; t < touchedCount; t++) if (holds(this.formulas[touched[t]!]!, groupFound, stamp)) out[touched[t]!] = 1;
    return out;
  }
}
