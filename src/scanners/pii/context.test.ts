import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { versionCue } from './context.ts';

/** The pattern `versionCue` answers for without running it. */
const VERSION_CTX = /(?:\b(?:version|ver\.?|v|release|build|rev|section|chapter|figure|table)|§)\s*$/;

describe('pii context: versionCue', () => {
  it('answers as the pattern on samples', () => {
    for (const text of ['version ', 'ver. ', 'ver', 'v', 'see v', 'rev\t', 'release  ', 'build\u00a0', 'section', 'chapter ', 'figure', 'table', '§ ', 'x§', 'subversion ', 'vv', '_v', '2v', 'é v', 'prev', 'tablet', 'phone: ', '', '   ']) {
      assert.equal(versionCue(text), VERSION_CTX.test(text), JSON.stringify(text));
    }
  });

  it('answers as the pattern on generated contexts', () => {
    const piece = fc.constantFrom('version', 'ver', '.', 'v', 'rev', 'release', 'build', 'section', 'chapter', 'figure', 'table', '§', ' ', '\u00a0', '\u2003', '\n', '\t', 'x', '_', '1', 'é', 'sub', 'a', 'V', 'Table');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 7 }), (parts) => {
        const text = parts.join('');
        assert.equal(versionCue(text), VERSION_CTX.test(text), JSON.stringify(text));
      }),
      { numRuns: 30000, seed: 5 },
    );
  });
});
