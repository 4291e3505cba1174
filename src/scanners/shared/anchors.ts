/**
 * Where a RegExp's matches can start: the strings one of which every match begins with (its
 * *leading strings*), in the folded stream of regex-literals.ts (case folded, a run of whitespace
 * one space). A text's matches then start only where one of those strings starts, so instead of
 * `exec` scanning the whole text a caller can try the RegExp (sticky) at just those places, in
 * increasing order: the first that matches is the match `exec` finds (literal-prefilter.ts finds
 * the places with its automata, signatures.ts tries them).
 *
 * Like the required strings, the leading strings may only be too many, never too few: a piece this
 * reader does not understand ends the strings where they stand (each is still how every match
 * begins). A pattern whose matches may begin with unknown text, with whitespace or with nothing
 * (`(?:^|\n)`, `\s*x`, `[\p{Lu}]\w+`) has none, and its RegExp keeps scanning the whole text.
 */
import { parsePattern, product, Reducer, type Node } from './regex-literals.ts';

/** Leading strings and whether they are whole (the pieces read so far can match nothing else). */
interface Prefixes {
  strings: string[];
  whole: boolean;
}

/**
 * A string this light occurs in nearly every long text, and trying the RegExp at each of its places
 * would cost more than one scan: an ASCII unit weighs 1, any other (a syllable or word in many
 * scripts) 2, a space nothing.
 */
const LIGHTEST = 3;
/** Strings are cut to this many stream units: longer ones are rarer still, but each adds automaton states. */
const LONGEST = 16;

/** The leading strings of a sequence of pieces: the product of the pieces' strings until one is unknown. */
function sequencePrefixes(nodes: readonly Node[], reducer: Reducer): Prefixes {
  let strings = [''];
  for (const node of nodes) {
    const language = reducer.language(node);
    let piece: Prefixes;
    if (language) piece = { strings: language, whole: true };
    else if (node.kind === 'group' && !node.zeroWidth) piece = groupPrefixes(node.alternatives, reducer);
    // A repeat that runs at least once begins with what its first turn begins with.
    else if (node.kind === 'repeat' && node.min >= 1) piece = { strings: sequencePrefixes([node.node], reducer).strings, whole: false };
    else return { strings, whole: false };
    const joined = strings.length === 1 && strings[0] === '' ? piece.strings : product(strings, piece.strings);
    // Too many strings: those read so far are still how every match begins.
    if (!joined) return { strings, whole: false };
    strings = joined;
    if (!piece.whole) return { strings, whole: false };
  }
  return { strings, whole: true };
}

function groupPrefixes(alternatives: readonly Node[][], reducer: Reducer): Prefixes {
  const strings = new Set<string>();
  let whole = true;
  for (const alternative of alternatives) {
    const prefixes = sequencePrefixes(alternative, reducer);
    for (const string of prefixes.strings) strings.add(string);
    whole &&= prefixes.whole;
  }
  return { strings: [...strings], whole };
}

function weight(string: string): number {
  let sum = 0;
  for (let i = 0; i < string.length; i++) {
    const unit = string.charCodeAt(i);
    sum += unit === 0x20 ? 0 : unit < 128 ? 1 : 2;
  }
  return sum;
}

/**
 * Where a pattern's matches start: where one of `strings` (folded stream, none empty or opening with
 * a space, each at most LONGEST units) starts, or with `lineStart`, at the last line feed before
 * that place (at 0 when there is none).
 */
export interface Anchor {
  strings: string[];
  lineStart: boolean;
}

/** The pattern's anchor, or null when there is none worth using (its RegExp scans the whole text). */
export function patternAnchor(pattern: RegExp, fold: Uint16Array): Anchor | null {
  const alternatives = parsePattern(pattern);
  if (alternatives === null) return null;
  const reducer = new Reducer(fold);
  const strings = usable(groupPrefixes(alternatives, reducer).strings);
  if (strings) return { strings, lineStart: false };
  return lineAnchor(pattern, alternatives, reducer);
}

/**
 * `(?:^|\n)P S` where P cannot match a line feed and S has leading strings (`(?:^|\n)[ \t]*#*[ \t]*system`):
 * a match holds no line feed between its start and S, so it starts at the last one before S's
 * place (or at 0, where `^` matches without the `m` flag).
 */
function lineAnchor(pattern: RegExp, alternatives: Node[][], reducer: Reducer): Anchor | null {
  if (alternatives.length !== 1 || pattern.flags.includes('m') || !pattern.source.startsWith('(?:^|\\n)')) return null;
  const nodes = alternatives[0]!;
  for (let k = 1; k < nodes.length; k++) {
    const strings = usable(sequencePrefixes(nodes.slice(k), reducer).strings);
    if (strings) return { strings, lineStart: true };
    if (!lineFree(nodes[k]!)) return null;
  }
  return null;
}

/** Whether `node` never matches a line feed (its classes are known and hold none; `\s` holds one). */
function lineFree(node: Node): boolean {
  switch (node.kind) {
    case 'units':
      return node.units.every((unit) => unit >= 0 && unit !== 0x0a);
    case 'any':
      return false;
    case 'assert':
      return true;
    case 'group':
      return node.zeroWidth || node.alternatives.every((alternative) => alternative.every(lineFree));
    case 'repeat':
      return lineFree(node.node);
  }
}

/** The strings cut to LONGEST and without those holding a shorter one, or null when one is empty, opens with a space or is too light. */
function usable(strings: readonly string[]): string[] | null {
  const out = new Set<string>();
  for (const string of strings) {
    const cut = string.slice(0, LONGEST);
    if (cut.startsWith(' ') || weight(cut) < LIGHTEST) return null;
    out.add(cut);
  }
  // A string holding a shorter one adds only places the shorter one already gives.
  const kept = [...out].filter((string) => ![...out].some((other) => other !== string && string.startsWith(other)));
  return kept.length ? kept.sort() : null;
}

/**
 * Replaces the increasing places `starts[0 .. count)` by the line feeds before them (0 where there
 * is none), once each; returns the new count. Each stretch of text between two places is read once.
 */
export function lineStarts(text: string, starts: Int32Array, count: number): number {
  let kept = 0;
  let line = -1;
  let previous = 0;
  for (let k = 0; k < count; k++) {
    const start = starts[k]!;
    // The last line feed before `start` that lies after the previous place, else the previous one's.
    for (let at = start - 1; at >= previous; at--)
      if (text.charCodeAt(at) === 0x0a) {
        line = at;
        break;
      }
    previous = start;
    const place = Math.max(0, line);
    if (kept === 0 || place !== starts[kept - 1]) starts[kept++] = place;
  }
  return kept;
}

/**
 * Where `atom` (a leading string) starts in `text` when the automaton found it ending at code unit
 * `end`: each stream unit of the atom is one code unit, and its space a whole run of units that fold
 * to a space (the automaton read the run as one space; a trailing space may end anywhere in its run).
 */
export function atomStart(text: string, end: number, atom: string, fold: Uint16Array): number {
  let at = end;
  for (let k = atom.length - 1; k >= 0; k--) {
    if (atom.charCodeAt(k) === 0x20) while (at >= 0 && fold[text.charCodeAt(at)] === 0x20) at--;
    else at--;
  }
  return at + 1;
}
