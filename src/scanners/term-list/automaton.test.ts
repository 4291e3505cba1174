import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Automaton } from './automaton.ts';

/** Every occurrence by brute force, in the automaton's order (by end, then longer first is not promised: sorted). */
function naive(patterns: readonly string[], text: string, fold: boolean): string[] {
  const norm = (s: string): string => (fold ? s.replace(/[A-Z]/g, (c) => c.toLowerCase()) : s);
  const hay = norm(text);
  const out: string[] = [];
  patterns.forEach((pattern, index) => {
    const needle = norm(pattern);
    for (let at = hay.indexOf(needle); at !== -1; at = hay.indexOf(needle, at + 1)) out.push(`${index}:${at}:${at + needle.length}`);
  });
  return out.sort();
}

function found(automaton: Automaton, text: string): string[] {
  const out: string[] = [];
  automaton.scan(text, (pattern, start, end) => out.push(`${pattern}:${start}:${end}`));
  return out.sort();
}

describe('Automaton', () => {
  it('finds overlapping and nested patterns', () => {
    const automaton = new Automaton(['he', 'she', 'his', 'hers']);
    assert.deepEqual(found(automaton, 'ushers'), ['0:2:4', '1:1:4', '3:2:6']);
  });

  it('folds ASCII case only when asked', () => {
    assert.deepEqual(found(new Automaton(['abc'], { asciiCaseInsensitive: true }), 'xABcx'), ['0:1:4']);
    assert.deepEqual(found(new Automaton(['abc']), 'xABcx'), []);
  });

  it('handles non-ASCII and astral patterns', () => {
    const automaton = new Automaton(['😀x', 'é', 'ab']);
    assert.deepEqual(found(automaton, 'é😀xab'), ['0:1:4', '1:0:1', '2:4:6']);
  });

  it('collapses whitespace runs when asked and reports the full span', () => {
    const automaton = new Automaton(['a b', 'b c'], { collapseWhitespace: true });
    assert.deepEqual(found(automaton, 'xa \n\t b  c'), ['0:1:7', '1:6:10']);
    assert.throws(() => new Automaton(['a  b'], { collapseWhitespace: true }), /repeats it/);
    assert.deepEqual(found(new Automaton(['a b']), 'a  b'), []);
  });

  it('rejects an empty pattern', () => {
    assert.throws(() => new Automaton(['a', '']), /pattern 1 is empty/);
  });

  it('collapsing agrees with a whitespace-tolerant brute force', () => {
    const escape = (c: string): string => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const letter = fc.constantFrom('a', 'b', 'é');
    const pattern = fc.array(fc.oneof(letter, letter, fc.constant(' ')), { minLength: 1, maxLength: 5 })
      .map((chars) => chars.join('').replace(/ +/g, ' ').trim())
      .filter((p) => p.length > 0);
    fc.assert(
      fc.property(fc.array(pattern, { minLength: 1, maxLength: 5 }), fc.array(fc.constantFrom('a', 'b', 'é', ' ', '\n', '\t'), { maxLength: 40 }), (patterns, chars) => {
        const text = chars.join('');
        const expected: string[] = [];
        patterns.forEach((p, index) => {
          const regex = new RegExp([...p].map((c) => (c === ' ' ? '[\\t-\\r ]+' : escape(c))).join(''), 'y');
          for (let at = 0; at < text.length; at++) {
            regex.lastIndex = at;
            const m = regex.exec(text);
            // A match never starts inside a whitespace run it would have to skip.
            if (m && !(/\s/.test(text[at - 1] ?? '') && /\s/.test(text[at] ?? ''))) expected.push(`${index}:${at}:${at + m[0].length}`);
          }
        });
        assert.deepEqual(found(new Automaton(patterns, { collapseWhitespace: true }), text), expected.sort());
        assert.deepEqual(found(new Automaton(patterns, { collapseWhitespace: true, denseLimit: 0 }), text), expected.sort());
      }),
      { numRuns: 300 },
    );
  });

  for (const denseLimit of [0, undefined]) {
    it(`agrees with brute force (${denseLimit === 0 ? 'sparse' : 'dense'} table)`, () => {
      const alphabet = fc.constantFrom('a', 'b', 'A', 'B', 'é', '\u{1F600}', '\uD800', ' ');
      const word = fc.array(alphabet, { minLength: 1, maxLength: 5 }).map((chars) => chars.join(''));
      fc.assert(
        fc.property(fc.array(word, { minLength: 1, maxLength: 8 }), fc.array(alphabet, { maxLength: 60 }), fc.boolean(), (patterns, chars, fold) => {
          const text = chars.join('');
          const automaton = new Automaton(patterns, { asciiCaseInsensitive: fold, ...(denseLimit === undefined ? {} : { denseLimit }) });
          assert.deepEqual(found(automaton, text), naive(patterns, text, fold));
        }),
        { numRuns: 300 },
      );
    });
  }
});
