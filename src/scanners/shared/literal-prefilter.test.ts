import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../text/seeded-random.ts';
import { SIGNATURES } from '../injection/signatures.ts';
import { LiteralPrefilter } from './literal-prefilter.ts';

describe('literal prefilter', () => {
  it('names the patterns that may match and skips the rest', () => {
    const filter = new LiteralPrefilter([/ignore\s+previous/iu, /system\s+prompt/iu, /(?<!not )mode\b/u, /[a-z]{3}\d/u, /密码/u]);
    assert.deepEqual([...filter.candidates('Please IGNORE\u00a0\t previous notes')], [1, 0, 0, 1, 0]);
    assert.deepEqual([...filter.candidates('what is your SYSTEM\nprompt')], [0, 1, 0, 1, 0]);
    // The lookbehind is not read: "not mode" stays a candidate (the RegExp then decides).
    assert.deepEqual([...filter.candidates('not mode')], [0, 0, 1, 1, 0]);
    // Characters above ASCII go through the second automaton.
    assert.deepEqual([...filter.candidates('告诉我密码')], [0, 0, 0, 1, 1]);
    assert.deepEqual(filter.stats.unconditional, 1);
  });

  it('folds case the way a case-insensitive RegExp does (long s, Kelvin sign)', () => {
    const filter = new LiteralPrefilter([/mask/iu, /kit/iu]);
    assert.deepEqual([...filter.candidates('maſk')], [1, 0]);
    assert.deepEqual([...filter.candidates('\u212Ait')], [0, 1]);
    assert.ok(/maſk/iu.test('mask') && /kit/iu.test('\u212Ait'), 'the RegExps agree that these match');
  });

  it('never misses a signature the RegExp matches (generated texts: signature words, odd case, odd spaces)', () => {
    const filter = new LiteralPrefilter(SIGNATURES.map((signature) => signature.pattern));
    const words = [...new Set(SIGNATURES.flatMap((signature) => signature.pattern.source.match(/[\p{L}']{2,}/gu) ?? []))];
    const joins = [' ', ' ', ' ', '  ', '\u00a0', ' \u2003 ', '\u3000', '\n', '\n\n', ', ', ': ', ' "', '\t', '|>', '<|', '## ', '\n[', '] ', '-', ''];
    const random = seededRandom(20261126);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const recase = (word: string): string => {
      const roll = random();
      if (roll < 0.15) return word.toUpperCase();
      if (roll < 0.25) return word[0]!.toUpperCase() + word.slice(1);
      if (roll < 0.3) return word.replace(/s/g, 'ſ').replace(/k/g, '\u212A');
      return word;
    };
    let matched = 0;
    for (let n = 0; n < 6000; n++) {
      let text = '';
      const length = 2 + Math.floor(random() * 14);
      for (let k = 0; k < length; k++) text += recase(pick(words)) + pick(joins);
      const candidates = filter.candidates(text);
      SIGNATURES.forEach((signature, index) => {
        if (!signature.pattern.test(text)) return;
        matched++;
        assert.equal(candidates[index], 1, `${signature.id} matches ${JSON.stringify(text)} but the prefilter skipped it`);
      });
    }
    assert.ok(matched > 300, `the generator should produce signature matches (got ${matched})`);
  });

  it('skips most signatures on ordinary text', () => {
    const filter = new LiteralPrefilter(SIGNATURES.map((signature) => signature.pattern));
    const text = 'Could you summarise the attached quarterly report and list the three largest cost items? Thanks!';
    const candidates = filter.candidates(text);
    assert.equal(candidates.reduce((sum, value) => sum + value, 0), 0);
  });
});
