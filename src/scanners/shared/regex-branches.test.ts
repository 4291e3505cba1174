import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../text/seeded-random.ts';
import { SIGNATURES } from '../injection/signatures.ts';
import { firstBranchMatch, regexBranches } from './regex-branches.ts';

const sources = (pattern: RegExp): string[] => regexBranches(pattern).map((branch) => branch.source);
const all = (count: number): Uint8Array => new Uint8Array(count).fill(1);

describe('regex branches', () => {
  it('splits top-level alternatives and distributes zero-width prefixes over a group', () => {
    assert.deepEqual(sources(/ab|c[|]d|(e|f)g/iu), ['ab', 'c[|]d', '(e|f)g']);
    assert.deepEqual(sources(/(?:x|(?<!q)\b(?:y|z))|w/u), ['x', '(?<!q)\\by', '(?<!q)\\bz', 'w']);
    assert.deepEqual(sources(/\(a|b\)/u), ['\\(a', 'b\\)']);
    // One branch, or a backreference: the pattern itself.
    assert.deepEqual(sources(/(?:a|b)c/u), ['(?:a|b)c']);
    assert.deepEqual(sources(/(a)|\1b/u), ['(a)|\\1b']);
    assert.equal(regexBranches(/a|b/iu)[1]!.flags, 'iu');
  });

  it('distributes what follows an open-ended opening group over its alternatives', () => {
    // `[\p{Lu}]\p{Ll}+` stands for too many strings to join with "'s email": split, each piece gets its own.
    assert.deepEqual(sources(/\b(?:user|[\p{Lu}]\p{Ll}+)'s\s+(?:email|city)/u), ["\\buser's\\s+(?:email|city)", "\\b[\\p{Lu}]\\p{Ll}+'s\\s+(?:email|city)"]);
    // Plain words (`\s+` included) already join with what follows; a quantified group cannot be distributed.
    assert.deepEqual(sources(/\b(?:do\s+not|never)\s+x/u), ['\\b(?:do\\s+not|never)\\s+x']);
    assert.deepEqual(sources(/(?:a\w*|b)+c/u), ['(?:a\\w*|b)+c']);
    const pattern = /\b(?:the\s+user|[\p{Lu}]\p{Ll}+|x.?)(?:'s)?\s+(?:e-?mail|city)\b/iu;
    const branches = regexBranches(pattern);
    assert.equal(branches.length, 3);
    for (const text of ["Ann's city", "the user email and Bob's e-mail", 'x city, xy email', 'nothing', "THE USER's CITY"]) {
      const whole = pattern.exec(text);
      const split = firstBranchMatch(branches, text, all(branches.length), 0);
      assert.deepEqual(split && [split.index, split[0]], whole && [whole.index, whole[0]], text);
    }
  });

  it('finds the match the whole RegExp finds: leftmost, then the earlier branch', () => {
    const pattern = /cat|category|dog/u;
    const branches = regexBranches(pattern);
    for (const text of ['a dog and a category', 'category', 'no match here', 'dogcat']) {
      const whole = pattern.exec(text);
      const split = firstBranchMatch(branches, text, all(branches.length), 0);
      assert.deepEqual(split && [split.index, split[0]], whole && [whole.index, whole[0]], text);
    }
    // A branch the prefilter ruled out is not run.
    assert.equal(firstBranchMatch(branches, 'dog', new Uint8Array([1, 1, 0]), 0), null);
  });

  it('agrees with every signature on generated texts (index and span)', () => {
    const words = [...new Set(SIGNATURES.flatMap((signature) => signature.pattern.source.match(/[\p{L}']{2,}/gu) ?? []))];
    const joins = [' ', '  ', '\n', ', ', ': ', '\u00a0', '## ', '<|', '|>', '"', ''];
    const random = seededRandom(20261127);
    const split = SIGNATURES.map((signature) => regexBranches(signature.pattern));
    let matched = 0;
    for (let n = 0; n < 3000; n++) {
      let text = '';
      for (let k = 2 + Math.floor(random() * 14); k > 0; k--) text += words[Math.floor(random() * words.length)]! + joins[Math.floor(random() * joins.length)]!;
      SIGNATURES.forEach((signature, index) => {
        const whole = signature.pattern.exec(text);
        const branches = split[index]!;
        const found = firstBranchMatch(branches, text, all(branches.length), 0);
        if (whole) matched++;
        assert.deepEqual(found && [found.index, found[0]], whole && [whole.index, whole[0]], `${signature.id} on ${JSON.stringify(text)}`);
      });
    }
    assert.ok(matched > 200, `the generator should produce signature matches (got ${matched})`);
    assert.ok(split.filter((branches) => branches.length > 1).length >= SIGNATURES.length / 2, 'most signatures have several branches');
  });
});
