import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { adversarialSuffix, matchSignatures, SIGNATURES } from '../injection/signatures.ts';
import { signatureTexts as generator } from '../injection/signature-texts.ts';
import { atomStart, lineStarts, patternAnchor } from './anchors.ts';
import { LiteralPrefilter } from './literal-prefilter.ts';
import { regexBranches } from './regex-branches.ts';
import { buildFoldTable } from './regex-literals.ts';

const fold = buildFoldTable();

describe('anchors: where matches can start', () => {
  it('finds the strings every match begins with, in the folded stream', () => {
    assert.deepEqual(patternAnchor(/\b(?:Ignore|disregard)\s+(?:\w+\s+)?rules/iu, fold), { strings: ['disregard ', 'ignore '], lineStart: false });
    // Optional pieces and small groups multiply out; a string holding a shorter one is dropped.
    assert.deepEqual(patternAnchor(/\b(?:the\s+)?user'?s?\s+(?:e-?mail|address)/iu, fold)?.strings, ['the user e-mail', 'the user email', "the user' addres", "the user' e-mail", "the user' email", "the user's addre", "the user's e-mai", "the user's email", 'the users addres', 'the users e-mail', 'the users email', 'the user address', 'user address', 'user e-mail', 'user email', "user' address", "user' e-mail", "user' email", "user's address", "user's e-mail", "user's email", 'users address', 'users e-mail', 'users email'].sort());
    // Into a group whose alternatives end in unknown text: each alternative's own beginning.
    assert.deepEqual(patternAnchor(/\b(?:when|if)\s+(?:summari[sz]\w*|answer\w*)/iu, fold)?.strings, ['if answer', 'if summaris', 'if summariz', 'when answer', 'when summaris', 'when summariz']);
    assert.deepEqual(patternAnchor(/(?<![\p{L}\p{M}])密码/u, fold), { strings: ['密码'], lineStart: false });
  });

  it('has none where a match may begin with unknown text, a space, nothing or a short common string', () => {
    assert.equal(patternAnchor(/\b[\p{Lu}][\p{Ll}]+'s\s+email/u, fold), null);
    assert.equal(patternAnchor(/\s*ignore/iu, fold), null);
    assert.equal(patternAnchor(/(?:secret)?\s+key/iu, fold), null);
    assert.equal(patternAnchor(/\b(?:q|a)\s*:/iu, fold), null);
    assert.equal(patternAnchor(/ignore|[a-z]+x/iu, fold), null, 'every alternative needs strings');
    assert.equal(patternAnchor(new RegExp(String.raw`[\p{L}--[a-z]]x`, 'v'), fold), null);
  });

  it('starts a line-anchored pattern at the line feed before its strings when nothing between can be one', () => {
    assert.deepEqual(patternAnchor(/(?:^|\n)[ \t]*(?:#{2,}|\[|<)[ \t]*(?:system|admin)\s*:/iu, fold), { strings: ['admin :', 'admin:', 'system :', 'system:'], lineStart: true });
    assert.equal(patternAnchor(/(?:^|\n)\s*#+\s*system/iu, fold), null, '\\s can be a line feed');
    assert.equal(patternAnchor(/(?:^|\n)[^x]*system/iu, fold), null);
    assert.equal(patternAnchor(/(?:^|\n)[ \t]*system/imu, fold), null, 'with `m`, `^` matches after any line terminator');
  });

  it('walks an atom back from where it ends, a space standing for a whole run', () => {
    const text = 'xx IGNORE \t\u00a0 previous  rules';
    const end = text.indexOf('previous') + 'previous'.length - 1;
    assert.equal(atomStart(text, end, 'ignore previous', fold), 3);
    // A trailing space found at the first unit of its run.
    assert.equal(atomStart(text, 9, 'ignore ', fold), 3);
    const starts = Int32Array.of(2, 5, 9, 14, 15);
    // Each place moves to the last line feed before it (0 without one), duplicates once.
    assert.equal(lineStarts('ab\ncd\nefgh ijk\nlm', starts, 5), 4);
    assert.deepEqual([...starts.slice(0, 4)], [0, 2, 5, 14]);
  });

  it('gives every signature branch the match its full-text exec gives (places tried in order, sticky)', () => {
    const branches = SIGNATURES.flatMap((signature) => regexBranches(signature.pattern));
    const filter = new LiteralPrefilter(branches, { anchors: true });
    const sticky = branches.map((branch) => new RegExp(branch.source, `${branch.flags}y`));
    const text = generator(20261127);
    let anchored = 0;
    let found = 0;
    for (let n = 0; n < 3000; n++) {
      const sample = text(n % 50 === 0 ? 400 : 4 + (n % 30));
      const count = filter.candidateList(sample);
      for (let k = 0; k < count; k++) {
        const branch = filter.list[k]!;
        const expected = branches[branch]!.exec(sample);
        const places = filter.anchorStarts(branch, sample);
        if (places < 0) continue;
        anchored++;
        let match: RegExpExecArray | null = null;
        for (let p = 0; p < places && match === null; p++) {
          sticky[branch]!.lastIndex = filter.starts[p]!;
          match = sticky[branch]!.exec(sample);
        }
        if (expected) found++;
        assert.deepEqual(match && [match.index, match[0]], expected && [expected.index, expected[0]], `${branches[branch]!.source.slice(0, 60)} on ${JSON.stringify(sample)}`);
      }
    }
    assert.ok(anchored > 3000 && found > 1000, `the anchored path should run and match often (ran ${anchored}, matched ${found})`);
  });

  it('matchSignatures reports the first match of each whole signature pattern (short and long texts)', () => {
    const text = generator(77);
    let hits = 0;
    for (let n = 0; n < 1500; n++) {
      const sample = n % 100 === 0 ? text(3000) : text(3 + (n % 40));
      const expected = SIGNATURES.flatMap((signature, index) => {
        const match = signature.pattern.exec(sample);
        return match ? [{ index, start: match.index, end: match.index + match[0].length }] : [];
      });
      const suffix = adversarialSuffix(sample);
      if (suffix) expected.push({ index: SIGNATURES.length, start: suffix[0], end: suffix[1] });
      hits += expected.length;
      assert.deepEqual(matchSignatures(sample), expected, JSON.stringify(sample.slice(0, 300)));
    }
    assert.ok(hits > 500, `the generator should produce signature matches (got ${hits})`);
  });
});
