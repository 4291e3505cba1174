/**
 * What text a RegExp needs before it can match: a formula of literal strings ("atoms") joined by
 * AND (a sequence needs every part) and OR (an alternation needs one branch). A text that does not
 * satisfy the formula cannot match, so the RegExp need not run (literal-prefilter.ts).
 *
 * The prefilter reads the text as a *stream*: every code unit folded (`buildFoldTable`: case
 * folded, every JavaScript whitespace unit made a space) and each run of spaces cut to one. Atoms
 * are written in the same alphabet, so `from\s+now\s+on` needs the one atom "from now on", and a
 * small finite piece (`instructions?`, `(?:dan|developer)\s+mode`, `[ée]`) is expanded into its
 * strings (at most LIMIT per atom set).
 *
 * The formula may only ever be WIDER than the RegExp (a skipped signature fails open), so anything
 * this parser does not understand becomes `true` ("no requirement"):
 * - negated or large classes, `.`, `\d \w \S \p{..}`, backreferences: unknown text, no atom;
 * - lookarounds, `^ $ \b \B`: zero-width, so the pieces on either side stay adjacent;
 * - an unbounded repeat (`+`, `*`, `{n,}`) is required once when its minimum is at least one;
 * - a surrogate half is never an atom character (astral letters have case pairs a per-unit fold cannot see);
 * - the `v` flag (nested classes, set operations) is not parsed: the whole pattern is `true`.
 */

export type Formula = true | { atom: string } | { and: Formula[] } | { or: Formula[] };

/** Most strings an expanded piece may stand for before it is cut into separate requirements. */
const LIMIT = 128;

const SPACE = 0x20;
const IS_SPACE = /\s/u;

/** Parsed pattern pieces. `units` is a class or literal as the code units it may match (unfolded). */
export type Node =
  | { kind: 'units'; units: number[] }
  | { kind: 'any' }
  | { kind: 'assert' }
  | { kind: 'group'; alternatives: Node[][]; zeroWidth: boolean }
  | { kind: 'repeat'; node: Node; min: number; max: number };

/**
 * The fold the prefilter applies to text and atoms alike: JavaScript whitespace becomes a space,
 * anything else the lower case of its upper case (when both stay one code unit), which is equal for
 * any two units a case-insensitive RegExp treats as equal (regex-literals.test.ts checks every unit
 * against the signatures' atom characters).
 */
export function buildFoldTable(): Uint16Array {
  const table = new Uint16Array(65536);
  for (let unit = 0; unit < 65536; unit++) {
    const char = String.fromCharCode(unit);
    if (IS_SPACE.test(char)) {
      table[unit] = SPACE;
      continue;
    }
    const upper = char.toUpperCase();
    const folded = upper.length === 1 ? upper.toLowerCase() : '';
    table[unit] = folded.length === 1 ? folded.charCodeAt(0) : unit;
  }
  return table;
}

const CONTROL: Record<string, number> = { n: 10, r: 13, t: 9, f: 12, v: 11 };
/** A class member that stands for JavaScript's whitespace (`\s`): any unit that folds to a space. */
const WHITESPACE = -1;

class Parser {
  private i = 0;
  constructor(private readonly source: string) {}

  parse(): Node[][] {
    const alternatives = this.alternatives();
    if (this.i < this.source.length) throw new Error(`unbalanced ")" at ${this.i}`);
    return alternatives;
  }

  private alternatives(): Node[][] {
    const out: Node[][] = [[]];
    while (this.i < this.source.length && this.source[this.i] !== ')') {
      if (this.source[this.i] === '|') {
        this.i++;
        out.push([]);
        continue;
      }
      out[out.length - 1]!.push(this.quantified(this.atom()));
    }
    return out;
  }

  private atom(): Node {
    const c = this.source[this.i]!;
    if (c === '(') return this.group();
    if (c === '[') return this.charClass();
    if (c === '\\') {
      const unit = this.escape();
      return unit === null ? { kind: 'any' } : unit === 'assert' ? { kind: 'assert' } : { kind: 'units', units: [unit] };
    }
    this.i++;
    if (c === '.') return { kind: 'any' };
    if (c === '^' || c === '$') return { kind: 'assert' };
    return { kind: 'units', units: [c.charCodeAt(0)] };
  }

  private group(): Node {
    const s = this.source;
    this.i++;
    let zeroWidth = false;
    if (s[this.i] === '?') {
      const next = s[this.i + 1];
      if (next === ':') this.i += 2;
      else if (next === '=' || next === '!') {
        zeroWidth = true;
        this.i += 2;
      } else if (next === '<' && (s[this.i + 2] === '=' || s[this.i + 2] === '!')) {
        zeroWidth = true;
        this.i += 3;
      } else if (next === '<') {
        const end = s.indexOf('>', this.i);
        if (end < 0) throw new Error('unterminated group name');
        this.i = end + 1;
      } else throw new Error(`unsupported group syntax at ${this.i}`);
    }
    const alternatives = this.alternatives();
    if (s[this.i] !== ')') throw new Error('unterminated group');
    this.i++;
    return { kind: 'group', alternatives, zeroWidth };
  }

  /** A class of a few literal members (`[ée]`, `[ \t]`, `[\s,]`) keeps them; anything else is unknown text. */
  private charClass(): Node {
    const s = this.source;
    this.i++;
    let known = s[this.i] !== '^';
    if (!known) this.i++;
    const units: number[] = [];
    while (this.i < s.length && s[this.i] !== ']') {
      let unit: number | 'assert' | null;
      if (s[this.i] === '\\') {
        if (s[this.i + 1] === 's') {
          this.i += 2;
          unit = WHITESPACE;
        } else if (s[this.i + 1] === 'b') {
          this.i += 2;
          unit = 8; // backspace inside a class
        } else unit = this.escape();
      } else unit = s.charCodeAt(this.i++);
      if (s[this.i] === '-' && s[this.i + 1] !== ']' && this.i + 1 < s.length) known = false; // a range
      if (unit === null || unit === 'assert') known = false;
      else units.push(unit);
    }
    if (this.i >= s.length) throw new Error('unterminated character class');
    this.i++;
    if (!known || units.length === 0 || units.length > 8) return { kind: 'any' };
    return { kind: 'units', units };
  }

  /** Reads an escape at `\`: the code unit it stands for, 'assert' for `\b \B`, null for anything wider (`\d \w \S \p{..}`, backreferences). */
  private escape(): number | 'assert' | null {
    const s = this.source;
    const c = s[this.i + 1];
    if (c === undefined) throw new Error('trailing backslash');
    this.i += 2;
    if (c === 'b' || c === 'B') return 'assert';
    if (c === 's') return WHITESPACE;
    if (c === 'p' || c === 'P' || c === 'k' || (c === 'u' && s[this.i] === '{')) {
      const close = c === 'k' ? '>' : '}';
      if (s[this.i] === '{' || s[this.i] === '<') this.i = s.indexOf(close, this.i) + 1 || s.length;
      return null;
    }
    if (CONTROL[c] !== undefined) return CONTROL[c]!;
    const hex = c === 'x' ? 2 : c === 'u' ? 4 : 0;
    if (hex && new RegExp(`^[0-9a-fA-F]{${hex}}`).test(s.slice(this.i, this.i + hex))) {
      this.i += hex;
      return parseInt(s.slice(this.i - hex, this.i), 16);
    }
    // `\cX` is one control character; `\12` a backreference or (without `u`) an octal escape: one unknown piece each.
    if (c === 'c' && /[A-Za-z]/.test(s[this.i] ?? '')) this.i++;
    if (/[0-9]/.test(c)) while (/[0-9]/.test(s[this.i] ?? '')) this.i++;
    // Any other letter or digit escape (\d \w \S \1 \0 ...) stands for something not read here.
    if (/[0-9A-Za-z]/.test(c)) return null;
    return c.charCodeAt(0);
  }

  private quantified(node: Node): Node {
    const s = this.source;
    const c = s[this.i];
    let min = -1;
    let max = Infinity;
    if (c === '*' || c === '+' || c === '?') {
      min = c === '+' ? 1 : 0;
      if (c === '?') max = 1;
      this.i++;
    } else if (c === '{') {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.i));
      if (match) {
        min = Number(match[1]);
        max = match[2] === undefined ? min : match[3] ? Number(match[3]) : Infinity;
        this.i += match[0].length;
      }
    }
    if (min < 0) return node;
    if (s[this.i] === '?') this.i++;
    return { kind: 'repeat', node, min, max };
  }
}

/** Joins two stream pieces: a space meeting a space is one space. */
function join(a: string, b: string): string {
  return a.endsWith(' ') && b.startsWith(' ') ? a + b.slice(1) : a + b;
}

/** Every join of a string of `left` with one of `right`, or null when more than LIMIT. */
export function product(left: readonly string[], right: readonly string[]): string[] | null {
  if (left.length * right.length > LIMIT) return null;
  const out = new Set<string>();
  for (const a of left) for (const b of right) out.add(join(a, b));
  return [...out];
}

export class Reducer {
  constructor(private readonly fold: Uint16Array) {}

  /** Every stream string `node` can match, or null when unknown or more than LIMIT. */
  language(node: Node): string[] | null {
    switch (node.kind) {
      case 'units': {
        const out = new Set<string>();
        for (const unit of node.units) {
          if (unit === WHITESPACE) out.add(' ');
          else if (unit >= 0xd800 && unit <= 0xdfff) return null;
          else out.add(String.fromCharCode(this.fold[unit]!));
        }
        return [...out];
      }
      case 'any':
        return null;
      case 'assert':
        return [''];
      case 'group': {
        if (node.zeroWidth) return [''];
        const out = new Set<string>();
        for (const alternative of node.alternatives) {
          const strings = this.sequenceLanguage(alternative);
          if (!strings) return null;
          for (const string of strings) out.add(string);
          if (out.size > LIMIT) return null;
        }
        return [...out];
      }
      case 'repeat': {
        const inner = this.language(node.node);
        if (!inner) return null;
        // A repeat of spaces reads as one space in the stream, however long.
        if (inner.every((string) => string === ' ')) return node.min > 0 ? [' '] : ['', ' '];
        if (node.max === Infinity || node.max > 8) return null;
        const out = new Set<string>();
        let power: string[] | null = [''];
        for (let k = 0; k <= node.max && power; k++) {
          if (k >= node.min) for (const string of power) out.add(string);
          if (out.size > LIMIT) return null;
          if (k < node.max) power = product(power, inner);
        }
        return power ? [...out] : null;
      }
    }
  }

  private sequenceLanguage(nodes: readonly Node[]): string[] | null {
    let strings: string[] | null = [''];
    for (const node of nodes) {
      const piece = this.language(node);
      if (!piece) return null;
      strings = product(strings, piece);
      if (!strings) return null;
    }
    return strings;
  }

  /** The requirement of a sequence: runs of expandable pieces become atom sets, the rest their own formulas. */
  sequence(nodes: readonly Node[]): Formula {
    const parts: Formula[] = [];
    let run: string[] = [''];
    const flush = (): void => {
      const requirement = atoms(run);
      if (requirement !== true) parts.push(requirement);
      run = [''];
    };
    for (const node of nodes) {
      const piece = this.language(node);
      if (piece) {
        const joined = product(run, piece);
        if (joined) run = joined;
        else {
          flush();
          run = piece;
        }
        continue;
      }
      flush();
      if (node.kind === 'group' && !node.zeroWidth) parts.push(or(node.alternatives.map((alternative) => this.sequence(alternative))));
      else if (node.kind === 'repeat' && node.min >= 1) parts.push(this.sequence([node.node]));
    }
    flush();
    return and(parts);
  }
}

/** One of these strings must occur; a set holding the empty string (or only a space) requires nothing. */
function atoms(strings: readonly string[]): Formula {
  if (strings.some((string) => string.trim() === '')) return true;
  return or(strings.map((atom) => ({ atom })));
}

function and(parts: Formula[]): Formula {
  const kept = parts.filter((part) => part !== true);
  if (kept.length === 0) return true;
  return kept.length === 1 ? kept[0]! : { and: kept };
}

function or(parts: Formula[]): Formula {
  if (parts.some((part) => part === true)) return true;
  return parts.length === 1 ? parts[0]! : { or: parts };
}

/** The pattern's top-level alternatives as parsed pieces, or null when this parser does not read it (`v` flag, odd syntax). */
export function parsePattern(pattern: RegExp): Node[][] | null {
  if (pattern.flags.includes('v')) return null;
  try {
    return new Parser(pattern.source).parse();
  } catch {
    return null;
  }
}

/** The literal formula a text's stream must satisfy for `pattern` to match the text. */
export function requiredLiterals(pattern: RegExp, fold: Uint16Array): Formula {
  const alternatives = parsePattern(pattern);
  if (alternatives === null) return true;
  try {
    const reducer = new Reducer(fold);
    return or(alternatives.map((alternative) => reducer.sequence(alternative)));
  } catch {
    return true;
  }
}
