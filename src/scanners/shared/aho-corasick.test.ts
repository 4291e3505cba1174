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
  return { found: new Int32Array(size), stamp: 1, list: new Int32Array(size), count: 0, high: false };
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
        assert.equal(into.high, /[^\x00-\x7f]/.test(text));
      }
    }
  });
});
