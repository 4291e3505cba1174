/**
 * A dense Aho-Corasick automaton over a folded alphabet: one table lookup per code unit finds
 * every occurrence of every atom in one pass. Used by literal-prefilter.ts.
 *
 * The alphabet is the atoms' own characters; every code unit maps to the class of its fold (or 0,
 * "in no atom"). Runs of the space class read as one space (the stream of regex-literals.ts).
 */

export interface Automaton {
  /** Alphabet class of every (unfolded) code unit. */
  classOf: Uint16Array;
  width: number;
  /** Class of the space (0 when no atom holds one). */
  space: number;
  /** Transitions: `delta[state * width + class]`. */
  delta: Uint16Array | Int32Array;
  /** Atom ids ending at each state (own and through failure links): `outputs[outStart[s] .. outStart[s + 1])`. */
  outStart: Int32Array;
  outputs: Int32Array;
}

/** Builds the automaton for `atoms` (already folded strings), reporting `ids[i]` for `atoms[i]`. */
export function buildAutomaton(atoms: readonly string[], ids: readonly number[], fold: Uint16Array): Automaton {
  const classOfFolded = new Map<number, number>();
  for (const atom of atoms) for (let i = 0; i < atom.length; i++) if (!classOfFolded.has(atom.charCodeAt(i))) classOfFolded.set(atom.charCodeAt(i), classOfFolded.size + 1);
  const classOf = new Uint16Array(65536);
  for (let unit = 0; unit < 65536; unit++) classOf[unit] = classOfFolded.get(fold[unit]!) ?? 0;
  const width = classOfFolded.size + 1;

  const next: Map<number, number>[] = [new Map()];
  const ending: number[][] = [[]];
  atoms.forEach((atom, k) => {
    let state = 0;
    for (let i = 0; i < atom.length; i++) {
      const cls = classOfFolded.get(atom.charCodeAt(i))!;
      let to = next[state]!.get(cls);
      if (to === undefined) {
        to = next.length;
        next.push(new Map());
        ending.push([]);
        next[state]!.set(cls, to);
      }
      state = to;
    }
    ending[state]!.push(ids[k]!);
  });

  // Breadth-first: failure links turn the trie into a complete transition table.
  const states = next.length;
  const delta = states < 65536 ? new Uint16Array(states * width) : new Int32Array(states * width);
  const fail = new Int32Array(states);
  const order: number[] = [];
  for (let cls = 0; cls < width; cls++) {
    const to = next[0]!.get(cls);
    if (to !== undefined) order.push(to);
    delta[cls] = to ?? 0;
  }
  for (let k = 0; k < order.length; k++) {
    const state = order[k]!;
    ending[state]!.push(...ending[fail[state]!]!);
    for (let cls = 0; cls < width; cls++) {
      const to = next[state]!.get(cls);
      const viaFail = delta[fail[state]! * width + cls]!;
      if (to === undefined) delta[state * width + cls] = viaFail;
      else {
        fail[to] = viaFail;
        delta[state * width + cls] = to;
        order.push(to);
      }
    }
  }
  const outStart = new Int32Array(states + 1);
  for (let state = 0; state < states; state++) outStart[state + 1] = outStart[state]! + ending[state]!.length;
  const outputs = new Int32Array(outStart[states]!);
  for (let state = 0; state < states; state++) outputs.set(ending[state]!, outStart[state]!);
  return { classOf, width, space: classOf[0x20]!, delta, outStart, outputs };
}

/** Atoms found in one text: `found[id] === stamp` for each, and their ids in `list[0 .. count)`. */
export interface Found {
  found: Int32Array;
  stamp: number;
  list: Int32Array;
  count: number;
  /** Whether the text holds a code unit above ASCII (a second, non-ASCII automaton runs only then). */
  high: boolean;
}

/** Runs `automaton` over `text`, adding every atom present to `into`. */
export function scanAtoms(automaton: Automaton, text: string, into: Found): void {
  const { classOf, delta, width, space, outStart, outputs } = automaton;
  const { found, stamp, list } = into;
  let count = into.count;
  let state = 0;
  let previous = -1;
  let high = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    high |= unit;
    const cls = classOf[unit]!;
    if (cls === space && previous === space) continue;
    previous = cls;
    state = delta[state * width + cls]!;
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
