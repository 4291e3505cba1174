/**
 * Splits a RegExp into its top-level branches, so a caller can run only the branches whose
 * required strings are present (literal-prefilter.ts) and still get exactly the RegExp's match.
 *
 * `A|B|C` finds the leftmost position where any branch matches and, at that position, the first
 * branch in order that matches there. Running each branch alone and keeping the match with the
 * smallest index (the earlier branch on a tie) is therefore the same match, span included. A
 * branch that opens with a non-capturing group (not quantified), possibly after zero-width
 * assertions (`\b`, lookarounds), is split further: `P(?:x|y)S` matches exactly as `PxS|PyS`
 * does, since at each position the group tries x (with all of S) before y. Each piece then has
 * its own required strings: `(?:user|[\p{Lu}]\p{Ll}+)'s\s+(?:email|city)` runs its costly
 * second piece only on texts holding "'s email" or "'s city", not on every text with "'s".
 *
 * Patterns with backreferences are not split (branch numbering would change what `\1` means).
 */

/** End (exclusive) of the group or class opening at `start`, honouring escapes and classes. */
function closing(source: string, start: number): number {
  if (source[start] === '[') {
    let i = start + 1;
    while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
    return i + 1;
  }
  let depth = 0;
  for (let i = start; i < source.length; ) {
    const c = source[i]!;
    if (c === '\\') i += 2;
    else if (c === '[') i = closing(source, i);
    else {
      if (c === '(') depth++;
      else if (c === ')' && --depth === 0) return i + 1;
      i++;
    }
  }
  return source.length;
}

/** The source split at its depth-0 `|`. */
function topLevel(source: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (let i = 0; i < source.length; ) {
    const c = source[i]!;
    if (c === '\\') i += 2;
    else if (c === '[' || c === '(') i = closing(source, i);
    else if (c === '|') {
      out.push(source.slice(from, i));
      from = ++i;
    } else i++;
  }
  out.push(source.slice(from));
  return out;
}

const LOOKAROUND = /^\(\?(?:<?[=!])/;

/**
 * `P(?:inner)S` with P only zero-width assertions and the group not quantified: [P, inner, S];
 * otherwise null.
 */
function prefixedGroup(branch: string): [string, string, string] | null {
  let i = 0;
  while (i < branch.length) {
    if (branch.startsWith('\\b', i)) i += 2;
    else if (LOOKAROUND.test(branch.slice(i, i + 4))) i = closing(branch, i);
    else break;
  }
  if (!branch.startsWith('(?:', i)) return null;
  const end = closing(branch, i);
  if (end > branch.length || /^[*+?{]/.test(branch.slice(end))) return null;
  return [branch.slice(0, i), branch.slice(i + 3, end - 1), branch.slice(end)];
}

/**
 * Whether a group's text stands for more than a few strings (a class escape, `.`, a negated class or
 * an unbounded repeat, except of `\s`, whose run reads as one space): the required strings of such
 * a group cannot be joined with what follows it.
 */
const OPEN_ENDED = /\\[pPwWdDS]|(?<!\\)\.|\[\^|(?<!\\s)[*+]|\{\d+,\}/;

function split(source: string, into: string[]): string[] {
  for (const branch of topLevel(source)) {
    const group = prefixedGroup(branch);
    const inner = group ? topLevel(group[1]) : [];
    // A group closing the branch is always split; one followed by more only when it is open-ended
    // (a group of plain words already joins with what follows in the required strings).
    const splits = group !== null && inner.length > 1 && (group[2] === '' || OPEN_ENDED.test(group[1]));
    if (splits) for (const part of inner) split(group[0] + part + group[2], into);
    else into.push(branch);
  }
  return into;
}

/** The branches of `pattern` as RegExps with its flags (the pattern itself when it has one branch or a backreference). */
export function regexBranches(pattern: RegExp): RegExp[] {
  if (/\\[1-9]|\\k</.test(pattern.source)) return [pattern];
  let sources: string[];
  try {
    sources = split(pattern.source, []);
    if (sources.length < 2) return [pattern];
    return sources.map((source) => new RegExp(source, pattern.flags));
  } catch {
    return [pattern];
  }
}

/**
 * The RegExp's first match, from its branches: `exec` of each branch `b` with `candidates[offset + b]`
 * set, keeping the smallest index and, on a tie, the earlier branch.
 */
export function firstBranchMatch(branches: readonly RegExp[], text: string, candidates: Uint8Array, offset: number): RegExpExecArray | null {
  let best: RegExpExecArray | null = null;
  for (let b = 0; b < branches.length; b++) {
    if (candidates[offset + b] !== 1) continue;
    const match = branches[b]!.exec(text);
    if (match && (best === null || match.index < best.index)) best = match;
  }
  return best;
}
