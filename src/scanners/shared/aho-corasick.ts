/**
 * A dense Aho-Corasick automaton over a folded alphabet: one table lookup per code unit finds
 * every occurrence of every atom in one pass. Used by literal-prefilter.ts.
 *
 * The alphabet is the atoms' own characters; every code unit maps to the class of its fold (or 0,
 * "in no atom"). Runs of the space class read as one space (the stream of regex-literals.ts): the
 * table does that itself, a state entered by a space staying put on the next one, so the walk has
 * no branch for it.
 *
 * Laid out for the walk: states are numbered breadth-first (the shallow states nearly every text
 * keeps returning to share cache lines), each transition holds the target's row offset
 * (`state * width`, no multiply per unit), and a target with outputs is stored as `-row - 1`, so the
 * walk looks at the output lists only on the rare units that end an atom.
 */

export interface Automaton {
  /** Alphabet class of every (unfolded) code unit. */
  classOf: Uint16Array;
  width: number;
  /** Class of the space (0 when no atom holds one). */
  space: number;
  /** Transitions: `delta[row + class]` is the next row (`state * width`), or `-row - 1` when that state has outputs. */
  delta: Int32Array;
  /** Ids ending at each state (own and through failure links): `outputs[outStart[s] .. outStart[s + 1])`. */
  outStart: Int32Array;
  outputs: Int32Array;
}

/**
 * Builds the automaton for `atoms` (already folded strings), reporting the ids `ids[i]` for
 * `atoms[i]` (a number or a list; each state reports the union of its atoms' ids, once each).
 */
export function buildAutomaton(atoms: readonly string[], ids: readonly (number | readonly number[])[], fold: Uint16Array): Automaton {
  const classOfFolded = new Map<number, number>();
  for (const atom of atoms) for (let i = 0; i < atom.length; i++) if (!classOfFolded.has(atom.charCodeAt(i))) classOfFolded.set(atom.charCodeAt(i), classOfFolded.size + 1);
  const classOf = new Uint16Array(65536);
  for (let unit = 0; unit < 65536; unit++) classOf[unit] = classOfFolded.get(fold[unit]!) ?? 0;
  const width = classOfFolded.size + 1;
  const space = classOf[0x20]!;

  // The trie.
  const next: Map<number, number>[] = [new Map()];
  const ending: Set<number>[] = [new Set()];
  atoms.forEach((atom, k) => {
    let state = 0;
    for (let i = 0; i < atom.length; i++) {
      const cls = classOfFolded.get(atom.charCodeAt(i))!;
      let to = next[state]!.get(cls);
      if (to === undefined) {
        to = next.length;
        next.push(new Map());
        ending.push(new Set());
        next[state]!.set(cls, to);
      }
      state = to;
    }
    const own = ids[k]!;
    for (const id of typeof own === 'number' ? [own] : own) ending[state]!.add(id);
  });

  // Breadth-first order: renumber so that state n is the n-th visited (root first).
  const states = next.length;
  const bfs: number[] = [0];
  for (let k = 0; k < bfs.length; k++) for (const to of [...next[bfs[k]!]!.entries()].sort((a, b) => a[0] - b[0]).map(([, to]) => to)) bfs.push(to);
  const number = new Int32Array(states);
  bfs.forEach((state, n) => (number[state] = n));

  // Failure links turn the trie into a complete transition table (plain state numbers first).
  const table = new Int32Array(states * width);
  const fail = new Int32Array(states);
  const outputsOf: Set<number>[] = bfs.map((state) => ending[state]!);
  for (let cls = 0; cls < width; cls++) {
    const to = next[0]!.get(cls);
    table[cls] = to === undefined ? 0 : number[to]!;
  }
  for (let n = 1; n < states; n++) {
    const state = bfs[n]!;
    for (const id of outputsOf[fail[n]!]!) outputsOf[n]!.add(id);
    for (let cls = 0; cls < width; cls++) {
      const to = next[state]!.get(cls);
      const viaFail = table[fail[n]! * width + cls]!;
      if (to === undefined) table[n * width + cls] = viaFail;
      else {
        fail[number[to]!] = viaFail;
        table[n * width + cls] = number[to]!;
      }
    }
  }
  // A state entered by a space is the root or a state whose string ends in a space: a second space leaves it where it is.
  if (space !== 0) for (let n = 0; n < states; n++) {
    const to = table[n * width + space]!;
    table[to * width + space] = to;
  }

  const outStart = new Int32Array(states + 1);
  for (let n = 0; n < states; n++) outStart[n + 1] = outStart[n]! + outputsOf[n]!.size;
  const outputs = new Int32Array(outStart[states]!);
  for (let n = 0; n < states; n++) outputs.set([...outputsOf[n]!].sort((a, b) => a - b), outStart[n]!);
  const delta = new Int32Array(states * width);
  for (let k = 0; k < delta.length; k++) {
    const to = table[k]!;
    delta[k] = outStart[to + 1]! > outStart[to]! ? -(to * width) - 1 : to * width;
  }
  return { classOf, width, space, delta, outStart, outputs };
}

/** Ids found in one text: `found[id] === stamp` for each, and the ids in `list[0 .. count)`. */
export interface Found {
  found: Int32Array;
  stamp: number;
  list: Int32Array;
  count: number;
  /** Whether the text holds a code unit above ASCII (a second, non-ASCII automaton runs only then). */
  high: boolean;
}

/** Runs `automaton` over `text`, adding every id found to `into`. */
export function scanAtoms(automaton: Automaton, text: string, into: Found): void {
  const { classOf, delta, width, outStart, outputs } = automaton;
  const { found, stamp, list } = into;
  let count = into.count;
  let row = 0;
  let high = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    high |= unit;
    const entry = delta[row + classOf[unit]!]!;
    if (entry >= 0) {
      row = entry;
      continue;
    }
    row = -entry - 1;
    const state = row / width;
    const end = outStart[state + 1]!;
    for (let k = outStart[state]!; k < end; k++) {
      const id = outputs[k]!;
      if (found[id] === stamp) continue;
      found[id] = stamp;
      list[count++] = id;
    }
  }
  into.count = count;
  into.high = high > 127;
}
