/**
 * A dense Aho-Corasick automaton over a folded alphabet: one table lookup per code unit finds
 * every occurrence of every atom in one pass. Used by literal-prefilter.ts.
 *
 * The alphabet is the atoms' own characters; every code unit maps to the class of its fold (or 0,
 * "in no atom"). Runs of the space class read as one space (the stream of regex-literals.ts): the
 * table does that itself, a state entered by a space staying put on the next one, so the walk has
 * no branch for it.
 *
 * Laid out for the walk, and small: the walk reads one entry per unit of a text, and a big table
 * read once per text pushes the detector's other tables (the classifier's weights) out of the cache.
 * States are numbered breadth-first (the shallow states nearly every text keeps returning to come
 * first), the table is stored class by class (`delta[column + state]`: for one class, the shallow
 * states share a few cache lines), and entries are 16-bit state numbers (half the bytes of a row
 * offset, which would not fit in 16 bits). Each unit's column offset (`class * states`) is looked
 * up directly, so the walk has no multiply. A target with outputs is stored as `-state - 1`, so the
 * walk looks at the output lists only on the rare units that end an atom.
 *
 * Besides ids (reported once per text), an atom may carry *marks*: every place such an atom ends is
 * logged (the code unit and the mark), so a caller can find where in the text it occurs. A
 * *sentinel* reports an id when the text holds any of a set of characters (in no atom), at no cost
 * per unit: those units have their own class, which leads to a state (like the root) reporting it.
 */

export interface Automaton {
  /** Column offset of every (unfolded) code unit: its alphabet class times `states`. */
  columnOf: Int32Array;
  /** Classes (columns) and states (rows, the sentinel's root copies included). */
  width: number;
  states: number;
  /** Class of the space (0 when no atom holds one). */
  space: number;
  /**
   * Transitions: `delta[class * states + state]` is the next state, or `-state - 1` when that state
   * has outputs. 16-bit while the states fit (always so far), else 32-bit.
   */
  delta: Int16Array | Int32Array;
  /** Ids ending at each state (own and through failure links): `outputs[outStart[s] .. outStart[s + 1])`. */
  outStart: Int32Array;
  outputs: Int32Array;
  /** Marks ending at each state, likewise: `marks[markStart[s] .. markStart[s + 1])`. */
  markStart: Int32Array;
  marks: Int32Array;
}

/**
 * Builds the automaton for `atoms` (already folded strings), reporting the ids `ids[i]` for
 * `atoms[i]` (a number or a list; each state reports the union of its atoms' ids, once each) and
 * logging the marks `marks[i]` (a list, none when left out) wherever `atoms[i]` ends.
 */
export function buildAutomaton(
  atoms: readonly string[],
  ids: readonly (number | readonly number[])[],
  fold: Uint16Array,
  marks: readonly (readonly number[])[] = [],
  sentinel?: { chars: ReadonlySet<number>; id: number },
): Automaton {
  const classOfFolded = new Map<number, number>();
  for (const atom of atoms) for (let i = 0; i < atom.length; i++) if (!classOfFolded.has(atom.charCodeAt(i))) classOfFolded.set(atom.charCodeAt(i), classOfFolded.size + 1);
  const classOf = new Uint16Array(65536);
  for (let unit = 0; unit < 65536; unit++) classOf[unit] = classOfFolded.get(fold[unit]!) ?? 0;
  // The sentinel class (last): units folding to a sentinel character that no atom holds.
  const sentinelClass = sentinel ? classOfFolded.size + 1 : 0;
  if (sentinel) for (let unit = 0; unit < 65536; unit++) if (classOf[unit] === 0 && sentinel.chars.has(fold[unit]!)) classOf[unit] = sentinelClass;
  const width = classOfFolded.size + (sentinel ? 2 : 1);
  const space = classOf[0x20]!;

  // The trie.
  const next: Map<number, number>[] = [new Map()];
  const ending: Set<number>[] = [new Set()];
  const marking: Set<number>[] = [new Set()];
  atoms.forEach((atom, k) => {
    let state = 0;
    for (let i = 0; i < atom.length; i++) {
      const cls = classOfFolded.get(atom.charCodeAt(i))!;
      let to = next[state]!.get(cls);
      if (to === undefined) {
        to = next.length;
        next.push(new Map());
        ending.push(new Set());
        marking.push(new Set());
        next[state]!.set(cls, to);
      }
      state = to;
    }
    const own = ids[k]!;
    for (const id of typeof own === 'number' ? [own] : own) ending[state]!.add(id);
    for (const mark of marks[k] ?? []) marking[state]!.add(mark);
  });

  // Breadth-first order: renumber so that state n is the n-th visited (root first).
  const states = next.length;
  const bfs: number[] = [0];
  for (let k = 0; k < bfs.length; k++) for (const to of [...next[bfs[k]!]!.entries()].sort((a, b) => a[0] - b[0]).map(([, to]) => to)) bfs.push(to);
  const number = new Int32Array(states);
  bfs.forEach((state, n) => (number[state] = n));

  // Failure links turn the trie into a complete transition table (plain state numbers first). The
  // sentinel class is in no atom: like a unit of class 0, it leads back to the root.
  const table = new Int32Array((states + (sentinel ? 2 : 0)) * width);
  const fail = new Int32Array(states);
  const outputsOf: Set<number>[] = bfs.map((state) => ending[state]!);
  const marksOf: Set<number>[] = bfs.map((state) => marking[state]!);
  for (let cls = 0; cls < width; cls++) {
    const to = next[0]!.get(cls);
    table[cls] = to === undefined ? 0 : number[to]!;
  }
  for (let n = 1; n < states; n++) {
    const state = bfs[n]!;
    for (const id of outputsOf[fail[n]!]!) outputsOf[n]!.add(id);
    for (const mark of marksOf[fail[n]!]!) marksOf[n]!.add(mark);
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

  // Two root copies: the sentinel class leads to the first (which reports the sentinel), and from
  // it to the second (which does not), so a run of such units reports once.
  if (sentinel) {
    const [reporting, quiet] = [states, states + 1];
    table.copyWithin(reporting * width, 0, width);
    table.copyWithin(quiet * width, 0, width);
    for (let n = 0; n < states + 2; n++) table[n * width + sentinelClass] = n === reporting || n === quiet ? quiet : reporting;
    outputsOf.push(new Set([sentinel.id]));
    outputsOf.push(new Set());
    marksOf.push(new Set(), new Set());
  }

  const [outStart, outputs] = flatten(outputsOf);
  const [markStart, markList] = flatten(marksOf);
  const total = table.length / width;
  const delta = total <= 0x8000 ? new Int16Array(table.length) : new Int32Array(table.length);
  for (let n = 0; n < total; n++) for (let cls = 0; cls < width; cls++) {
    const to = table[n * width + cls]!;
    delta[cls * total + n] = outStart[to + 1]! > outStart[to]! || markStart[to + 1]! > markStart[to]! ? -to - 1 : to;
  }
  // A second space of a run stays in the state the first entered, whose outputs were reported then:
  // same atoms, same places. Not reporting them again keeps a long run of spaces on the fast path.
  if (space !== 0) for (let n = 0; n < total; n++) {
    const to = table[n * width + space]!;
    delta[space * total + to] = to;
  }
  const columnOf = new Int32Array(65536);
  for (let unit = 0; unit < 65536; unit++) columnOf[unit] = classOf[unit]! * total;
  return { columnOf, width, states: total, space, delta, outStart, outputs, markStart, marks: markList };
}

/** Per-state sets as one sorted list and its offsets. */
function flatten(sets: readonly Set<number>[]): [Int32Array, Int32Array] {
  const start = new Int32Array(sets.length + 1);
  for (let n = 0; n < sets.length; n++) start[n + 1] = start[n]! + sets[n]!.size;
  const list = new Int32Array(start[sets.length]!);
  for (let n = 0; n < sets.length; n++) list.set([...sets[n]!].sort((a, b) => a - b), start[n]!);
  return [start, list];
}

/** Ids found in one text: `found[id] === stamp` for each, and the ids in `list[0 .. count)`. */
export interface Found {
  found: Int32Array;
  stamp: number;
  list: Int32Array;
  count: number;
  /**
   * Marked atoms found: pairs (code unit where the atom ends, mark) in `log[0 .. logged)`, in text
   * order per automaton. A run of spaces ending an atom is logged at its first unit only (the state
   * stays, unreported, on the next).
   */
  log: Int32Array;
  logged: number;
  /** Logging stops once `logged` reaches this (a text too full of marked atoms to be worth placing). */
  logLimit: number;
}

/** Runs `automaton` over `text`, adding every id found to `into` and logging the marks. */
export function scanAtoms(automaton: Automaton, text: string, into: Found): void {
  const { columnOf, delta } = automaton;
  const length = text.length;
  let state = 0;
  let i = 0;
  while (i < length) {
    // The inner loop only follows transitions; it leaves on a state with outputs (or at the end).
    let entry = 0;
    while (i < length) {
      entry = delta[columnOf[text.charCodeAt(i++)]! + state]!;
      if (entry < 0) break;
      state = entry;
    }
    if (entry >= 0) return;
    state = -entry - 1;
    report(automaton, i - 1, state, into);
  }
}

/** The outputs of `state`, entered at unit `i` (kept out of the walk: the loop stays small). */
function report(automaton: Automaton, i: number, state: number, into: Found): void {
  const { outStart, outputs, markStart } = automaton;
  const { found, stamp, list } = into;
  const end = outStart[state + 1]!;
  for (let k = outStart[state]!; k < end; k++) {
    const id = outputs[k]!;
    if (found[id] === stamp) continue;
    found[id] = stamp;
    list[into.count++] = id;
  }
  if (markStart[state + 1]! !== markStart[state]! && into.logged < into.logLimit) logMarks(automaton, i, state, into);
}

/** Logs the marks of `state`, entered at unit `i` (kept apart: most states carry none). */
function logMarks(automaton: Automaton, i: number, state: number, into: Found): void {
  const { markStart, marks } = automaton;
  const from = markStart[state]!;
  const to = markStart[state + 1]!;
  if (into.logged + 2 * (to - from) > into.log.length) {
    const grown = new Int32Array(Math.max(64, 2 * into.log.length + 2 * (to - from)));
    grown.set(into.log.subarray(0, into.logged));
    into.log = grown;
  }
  const log = into.log;
  let logged = into.logged;
  for (let k = from; k < to; k++) {
    log[logged++] = i;
    log[logged++] = marks[k]!;
  }
  into.logged = logged;
}
