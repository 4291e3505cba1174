import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../text/seeded-random.ts';
import { buildAutomaton, scanAtoms, type Found } from './aho-corasick.ts';
import { buildFoldTable } from './regex-literals.ts';

const fold = buildFoldTable();

/** The stream the automaton reads: every unit folded, each run of spaces one space. */
function stream(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const unit = String.fromCharCode(fold[text.charCodeAt(i)]!);
    if (unit === ' ' && out.endsWith(' ')) continue;
    out += unit;
  }
  return out;
}

function found(size: number): Found {
  return { found: new Int32Array(size), stamp: 1, list: new Int32Array(size), count: 0, log: new Int32Array(0), logged: 0, logLimit: 1 << 30 };
}

function scan(atoms: string[], ids: (number | number[])[], text: string, size: number): number[] {
  const into = found(size);
  scanAtoms(buildAutomaton(atoms, ids, fold), text, into);
  return [...into.list.slice(0, into.count)].sort((a, b) => a - b);
}

describe('aho-corasick', () => {
  it('reports each id once, as the union of the ids of the atoms present', () => {
    assert.deepEqual(scan(['ab', 'b', 'abc'], [0, [1, 2], 2], 'xxABCab', 3), [0, 1, 2]);
    assert.deepEqual(scan(['ab', 'b', 'abc'], [0, [1, 2], 2], 'xxa', 3), []);
  });

  it('reads a run of spaces (any JavaScript whitespace) as one space', () => {
    assert.deepEqual(scan(['ignore previous', ' x'], [0, 1], 'IGNORE \t\u00a0\n previous', 2), [0]);
    assert.deepEqual(scan(['a  b'], [0], 'a b', 1), [], 'an atom holds at most one space in a row');
    assert.deepEqual(scan([' x', 'y '], [0, 1], 'y    \n   x', 2), [0, 1]);
  });

  it('finds exactly the atoms a naive search of the folded stream finds (random texts)', () => {
    const random = seededRandom(7);
    const alphabet = ['a', 'b', 'A', 'B', ' ', ' ', '\t', '\n', '\u00a0', 'c', 'ſ', 'é', 'É'];
    const pick = (): string => alphabet[Math.floor(random() * alphabet.length)]!;
    for (let round = 0; round < 40; round++) {
      const atoms = [...new Set(Array.from({ length: 12 }, () => stream(Array.from({ length: 1 + Math.floor(random() * 5) }, pick).join(''))))].filter((atom) => atom !== '' && atom !== ' ');
      const automaton = buildAutomaton(atoms, atoms.map((_, id) => id), fold);
      for (let n = 0; n < 50; n++) {
        const text = Array.from({ length: Math.floor(random() * 40) }, pick).join('');
        const into = found(atoms.length);
        scanAtoms(automaton, text, into);
        const folded = stream(text);
        const expected = atoms.map((atom, id) => (folded.includes(atom) ? id : -1)).filter((id) => id >= 0);
        assert.deepEqual([...into.list.slice(0, into.count)].sort((a, b) => a - b), expected, `${JSON.stringify(atoms)} in ${JSON.stringify(text)}`);
      }
    }
  });

  it('logs every place a marked atom ends, a run of spaces once, the same places a naive search finds', () => {
    const automaton = buildAutomaton(['ab', 'b ', 'xb'], [0, 1, 2], fold, [[7], [8, 9]]);
    const into = found(3);
    scanAtoms(automaton, 'abAB \t\u00a0 ab b', into);
    // "ab" ends at 1, 3, 9; "b " (marks 8 and 9) at 4 (not again on 5, 6, 7) and 10; "xb" carries none.
    assert.deepEqual([...into.log.slice(0, into.logged)], [1, 7, 3, 7, 4, 8, 4, 9, 9, 7, 10, 8, 10, 9]);
    const random = seededRandom(11);
    const alphabet = ['a', 'b', 'A', ' ', ' ', '\t', '\u00a0', 'c'];
    const pick = (): string => alphabet[Math.floor(random() * alphabet.length)]!;
    for (let round = 0; round < 30; round++) {
      const atoms = [...new Set(Array.from({ length: 6 }, () => stream(Array.from({ length: 1 + Math.floor(random() * 4) }, pick).join(''))))].filter((atom) => atom.trim() !== '' && !atom.startsWith(' '));
      const marked = buildAutomaton(atoms, atoms.map(() => []), fold, atoms.map((_, id) => [id]));
      for (let n = 0; n < 40; n++) {
        const text = Array.from({ length: Math.floor(random() * 30) }, pick).join('');
        const log = found(1);
        scanAtoms(marked, text, log);
        const got = new Set<string>();
        for (let k = 0; k < log.logged; k += 2) got.add(`${log.log[k]}:${log.log[k + 1]}`);
        assert.equal(got.size, log.logged / 2, 'each place once');
        // Naive: the atom ends at unit i when the stream up to i (a space standing for its run's first unit) ends with it.
        const expected = new Set<string>();
        for (let i = 0; i < text.length; i++) {
          if (i > 0 && fold[text.charCodeAt(i)] === 0x20 && fold[text.charCodeAt(i - 1)] === 0x20) continue;
          const upTo = stream(text.slice(0, i + 1));
          atoms.forEach((atom, id) => upTo.endsWith(atom) && expected.add(`${i}:${id}`));
        }
        assert.deepEqual([...got].sort(), [...expected].sort(), `${JSON.stringify(atoms)} in ${JSON.stringify(text)}`);
      }
    }
  });

  it('stops logging at the limit', () => {
    const into = found(1);
    into.logLimit = 4;
    scanAtoms(buildAutomaton(['a'], [[]], fold, [[0]]), 'aaaaaa', into);
    assert.equal(into.logged, 4);
  });

  it('reports a sentinel id when the text holds a sentinel character, once per run of them', () => {
    const automaton = buildAutomaton(['ab'], [0], fold, [], { chars: new Set([0xe9, 0x4e2d]), id: 1 });
    for (const [text, ids] of [['ab', [0]], ['xÉx', [1]], ['aé中b ab', [0, 1]], ['aXb', []]] as const) {
      const into = found(2);
      scanAtoms(automaton, text, into);
      assert.deepEqual([...into.list.slice(0, into.count)].sort(), ids, text);
    }
    // The sentinel units break atoms like any unit outside them.
    const into = found(2);
    scanAtoms(automaton, 'aéb', into);
    assert.equal(into.count, 1);
  });

  it('keeps 16-bit entries while the states fit, and falls back to 32-bit past them with the same answers', () => {
    assert.ok(buildAutomaton(['ab', 'b c'], [0, 1], fold).delta instanceof Int16Array);
    // 12,000 random six-letter atoms: more than 32,768 trie states.
    const random = seededRandom(5);
    const letter = (): string => String.fromCharCode(97 + Math.floor(random() * 26));
    const atoms = [...new Set(Array.from({ length: 12000 }, () => Array.from({ length: 6 }, letter).join('')))];
    const automaton = buildAutomaton(atoms, atoms.map((_, id) => id), fold);
    assert.ok(automaton.states > 0x8000 && automaton.delta instanceof Int32Array);
    for (let n = 0; n < 30; n++) {
      const picked = Array.from({ length: 8 }, () => atoms[Math.floor(random() * atoms.length)]!);
      const text = picked.map((atom) => atom.toUpperCase() + letter()).join(' ') + Array.from({ length: 200 }, letter).join('');
      const into = found(atoms.length);
      scanAtoms(automaton, text, into);
      const expected = atoms.map((atom, id) => (text.toLowerCase().includes(atom) ? id : -1)).filter((id) => id >= 0);
      assert.deepEqual([...into.list.slice(0, into.count)].sort((a, b) => a - b), expected);
    }
  });
});
