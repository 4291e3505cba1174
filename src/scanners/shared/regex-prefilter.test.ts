import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../text/seeded-random.ts';
import { SIGNATURES } from '../injection/signatures.ts';
import { RegexPrefilter, widenForRe2 } from './regex-prefilter.ts';

describe('regex prefilter', () => {
  it('widens JavaScript patterns: lookarounds dropped, \\s spelled out, classes kept', () => {
    assert.equal(widenForRe2(String.raw`a(?!b)c`), 'ac');
    assert.equal(widenForRe2(String.raw`(?<![\p{L}])x(?=[)])`), 'x');
    assert.match(widenForRe2(String.raw`a\sb`), /^a\[.*\\x\{A0\}.*\]b$/);
    assert.match(widenForRe2(String.raw`[\s,]`), /^\[.*\\x\{3000\}.*,\]$/);
    assert.equal(widenForRe2(String.raw`[(?!]\(?!x\)`), String.raw`[(?!]\(?!x\)`);
  });

  it('names the patterns that may match and skips the rest', () => {
    const filter = new RegexPrefilter([/ignore\s+previous/i, /system\s+prompt/iu, /(?<!not )mode\b/u, /(a)\1/]);
    assert.deepEqual([...filter.candidates('Please IGNORE previous notes')], [1, 0, 0, 1]);
    assert.deepEqual([...filter.candidates('what is your system\u00a0prompt')], [0, 1, 0, 1]);
    // Lookbehind dropped: a superset ("not mode" may match; the RegExp then decides).
    assert.deepEqual([...filter.candidates('not mode')], [0, 0, 1, 1]);
  });

  it('never misses a signature the RegExp matches (generated texts around signature words, odd spaces)', () => {
    const filter = new RegexPrefilter(SIGNATURES.map((signature) => signature.pattern));
    // Words taken from the signature sources themselves, joined by ASCII and Unicode spaces and punctuation.
    const words = [...new Set(SIGNATURES.flatMap((signature) => signature.pattern.source.match(/[a-zäöüéèàçñ']{2,}/gi) ?? []))];
    const joins = [' ', ' ', ' ', '\u00a0', '\u2003', '\u3000', '\n', ', ', ': ', ' "', '\t', '|>', '<|', '## '];
    const random = seededRandom(20261126);
    let matched = 0;
    for (let n = 0; n < 4000; n++) {
      let text = '';
      const length = 3 + Math.floor(random() * 14);
      for (let k = 0; k < length; k++) text += words[Math.floor(random() * words.length)]! + joins[Math.floor(random() * joins.length)]!;
      const candidates = filter.candidates(text);
      SIGNATURES.forEach((signature, index) => {
        if (!signature.pattern.test(text)) return;
        matched++;
        assert.equal(candidates[index], 1, `${signature.id} matches ${JSON.stringify(text)} but the prefilter skipped it`);
      });
    }
    assert.ok(matched > 300, `the generator should produce signature matches (got ${matched})`);
  });
});
