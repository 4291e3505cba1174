import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Folder } from './fold.ts';

const folder = new Folder({ caseSensitive: false, foldDiacritics: true });

describe('Folder', () => {
  it('leaves ASCII alone and needs no map', () => {
    assert.deepEqual(folder.view('Hello World'), { text: 'Hello World', starts: null, ends: null });
  });

  it('folds case and accents in place when lengths are kept', () => {
    const view = folder.view('ПРИВЕТ Café 😀');
    assert.equal(view.text, 'привет Cafe 😀');
    assert.equal(view.starts, null);
  });

  it('maps drops and expansions back to the source', () => {
    const source = 'İb\u0301omb\u0336 x';
    const view = folder.view(source);
    assert.equal(view.text, 'ibomb x');
    assert.deepEqual(Folder.toSource(view, 1, 5), [1, 7]);
    assert.deepEqual(Folder.toSource(view, 0, 1), [0, 1]);
  });

  it('maps Unicode spaces to a space', () => {
    assert.equal(folder.view('a\u2028b\u3000c').text, 'a b c');
  });

  it('keeps case and accents when told to', () => {
    assert.equal(new Folder({ caseSensitive: true, foldDiacritics: false }).view('ÉCOLE é').text, 'ÉCOLE é');
  });

  it('always maps view spans inside the source', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), fc.nat(), fc.nat(), (source, a, b) => {
        const view = folder.view(source);
        const start = Math.min(a, b) % (view.text.length + 1);
        const end = Math.min(view.text.length, start + (Math.max(a, b) % 8));
        const [from, to] = Folder.toSource(view, start, end);
        assert.ok(from >= 0 && from <= to && to <= source.length, `${from}-${to} of ${source.length}`);
      }),
      { numRuns: 500 },
    );
  });
});
