/**
 * One linear pass that says which of many RegExps can match a text, so only those run.
 *
 * V8 tries every alternation of every pattern at every position: the injection signatures cost
 * ~0.6 ms on a 1 KB benign prompt that none of them matches. RE2 compiles many patterns into one
 * automaton (`RE2.Set`) and reads the text once (~11 µs for the same prompt). The Set only
 * answers "may match"; the RegExp still finds the span, so findings do not change.
 *
 * The Set must never say "no" where the RegExp says "yes" (a missed signature would fail open),
 * so each pattern is widened into RE2 syntax, never narrowed:
 * - lookarounds are dropped (they only ever restrict a match);
 * - `\s` becomes JavaScript's whitespace class written out (RE2's `\s` is ASCII only), `\S` stays
 *   (RE2's is larger, so still a superset); `.` in RE2 also matches \r, U+2028 and U+2029;
 * - a pattern RE2 cannot compile, and every pattern whenever a Set throws (its automaton ran out of
 *   memory on a huge input), is reported as a candidate: the caller runs the RegExp as before.
 * Patterns share one Set, or are halved into several until each compiles (RE2's memory budget).
 */
import RE2 from 're2';

/** JavaScript's `\s` (WhiteSpace and LineTerminator code points), as an RE2 class body. */
const JS_SPACE = String.raw`\t\n\x{0B}\f\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}`;

/** End index (exclusive) of the character class starting at `start` (which holds `[`). */
function classEnd(source: string, start: number): number {
  let i = start + 1;
  if (source[i] === '^') i++;
  if (source[i] === ']') i++;
  while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** End index (exclusive) of the group starting at `start` (which holds `(`). */
function groupEnd(source: string, start: number): number {
  let depth = 0;
  for (let i = start; i < source.length; ) {
    const c = source[i]!;
    if (c === '\\') i += 2;
    else if (c === '[') i = classEnd(source, i);
    else {
      if (c === '(') depth++;
      else if (c === ')' && --depth === 0) return i + 1;
      i++;
    }
  }
  return source.length;
}

const isLookaround = (source: string, i: number): boolean =>
  source[i] === '(' && source[i + 1] === '?' && (source[i + 2] === '=' || source[i + 2] === '!' || (source[i + 2] === '<' && (source[i + 3] === '=' || source[i + 3] === '!')));

/** A JavaScript pattern source rewritten into RE2 syntax that matches at least what it matches. */
export function widenForRe2(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; ) {
    const c = source[i]!;
    if (c === '\\') {
      out += source[i + 1] === 's' ? `[${JS_SPACE}]` : source.slice(i, i + 2);
      i += 2;
    } else if (c === '[') {
      const end = classEnd(source, i);
      out += source.slice(i, end).replace(/\\(.)/g, (escape, char: string) => (char === 's' ? JS_SPACE : escape));
      i = end;
    } else if (isLookaround(source, i)) {
      i = groupEnd(source, i);
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Patterns tried per Set (the injection signatures fit 16 to a Set; 32 exceed RE2's budget). */
const SET_SIZE = 16;

interface Group {
  set: InstanceType<typeof RE2.Set>;
  /** Pattern index of each Set entry. */
  members: number[];
}

export class RegexPrefilter {
  private readonly groups: Group[] = [];
  /** Patterns RE2 could not compile: always candidates. */
  private readonly always: number[] = [];
  private readonly count: number;

  constructor(patterns: readonly RegExp[]) {
    this.count = patterns.length;
    // Sets are per flag combination (RE2.Set takes one set of flags); `g`/`y` do not change what matches.
    const byFlags = new Map<string, number[]>();
    const sources: string[] = [];
    patterns.forEach((pattern, index) => {
      const flags = [...pattern.flags].filter((flag) => 'ims'.includes(flag)).join('') + 'u';
      try {
        sources[index] = widenForRe2(pattern.source);
      } catch {
        this.always.push(index);
        return;
      }
      byFlags.set(flags, [...(byFlags.get(flags) ?? []), index]);
    });
    // At most SET_SIZE patterns per Set: a Set over budget fails only after RE2 has spent its memory on it.
    for (const [flags, indices] of byFlags) for (let i = 0; i < indices.length; i += SET_SIZE) this.pack(flags, indices.slice(i, i + SET_SIZE), sources);
  }

  /** Packs `indices` into one Set, or halves them until each part compiles (RE2's memory budget). */
  private pack(flags: string, indices: readonly number[], sources: readonly string[]): void {
    try {
      this.groups.push({ set: new RE2.Set(indices.map((index) => sources[index]!), flags), members: [...indices] });
    } catch {
      if (indices.length === 1) {
        this.always.push(indices[0]!);
        return;
      }
      const half = Math.ceil(indices.length / 2);
      this.pack(flags, indices.slice(0, half), sources);
      this.pack(flags, indices.slice(half), sources);
    }
  }

  /**
   * `candidates[i]` is 1 when pattern `i` may match `text` (run it), 0 when it cannot. Every
   * pattern is a candidate when a Set fails on this input.
   */
  candidates(text: string): Uint8Array {
    const out = new Uint8Array(this.count);
    for (const index of this.always) out[index] = 1;
    const bytes = Buffer.from(text, 'utf8');
    for (const { set, members } of this.groups) {
      let hits: number[];
      try {
        hits = set.match(bytes);
      } catch {
        return out.fill(1);
      }
      for (const hit of hits) out[members[hit]!] = 1;
    }
    return out;
  }
}
