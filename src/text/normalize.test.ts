import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalize } from './canonicalize.ts';
import { CONFUSABLE_COUNT, foldConfusables } from './confusables.ts';

describe('NFKC normalisation', () => {
  const table: Array<[string, string, string]> = [
    ['fullwidth', 'ｉｇｎｏｒｅ', 'ignore'],
    ['fullwidth capitals and digits', 'ＩＧＮＯＲＥ １２３', 'IGNORE 123'],
    ['math bold', '𝐢𝐠𝐧𝐨𝐫𝐞', 'ignore'],
    ['math script and fraktur', '𝓲𝓰𝓷𝓸𝓻𝓮 𝔦𝔤𝔫𝔬𝔯𝔢', 'ignore ignore'],
    ['math double-struck capitals', '𝕀𝔾ℕ𝕆ℝ𝔼', 'IGNORE'],
    ['ligatures', 'ﬁle ﬂow ﬀ', 'file flow ff'],
    ['circled letters', 'ⓘⓖⓝⓞⓡⓔ', 'ignore'],
    ['parenthesised letters', '⒤⒢', '(i)(g)'],
    ['squared capitals', '🄸🄶🄽', 'IGN'],
    ['superscripts', 'xᵃ²', 'xa2'],
    ['compatibility spaces', 'a\u00A0b\u2003c\u3000d', 'a b c d'],
    ['composition of combining marks', 'cafe\u0301', 'café'],
    ['Hangul jamo compose', '\u1100\u1161\u11A8', '각'],
    ['roman numerals', 'Ⅻ ⅼ', 'XII l'],
  ];
  for (const [name, input, expected] of table) {
    it(name, () => assert.equal(canonicalize(input).text, expected));
  }
});

describe('confusable folding', () => {
  const table: Array<[string, string, string]> = [
    ['Cyrillic lookalikes', 'іgnоre', 'ignore'],
    ['all-Cyrillic word', 'рrеvіоus', 'previous'],
    ['Cyrillic capitals', 'АВСЕНКМОРТХ', 'ABCEHKMOPTX'],
    ['Greek capitals', 'ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ', 'ABEZHIKMNOPTYX'],
    ['Greek small', 'ονα', 'ova'],
    ['mixed scripts', 'ѕуѕtеm рrоmрt', 'system prompt'],
    ['Latin extras', 'ıɡɑ', 'iga'],
    ['small capitals', 'ɪɢɴᴏʀᴇ', 'ignore'],
    ['Armenian', 'օհ', 'oh'],
    ['Cherokee and Lisu', 'ᎪᏴꓚ', 'ABC'],
    ['negative squared letters', '🅸🅶🅽', 'IGN'],
    ['regional indicators', '🇮🇬', 'IG'],
    ['dashes', 'a‐b‑c–d—e−f', 'a-b-c-d-e-f'],
    ['quotes', '‘single’ “double” «guillemets»', "'single' \"double\" \"guillemets\""],
    ['lunate sigma folds before NFKC', 'ϲϹ', 'cC'],
    ['line separators', 'a\u2028b', 'a\nb'],
    ['odd spaces', 'a\u1680b', 'a b'],
    ['plain non-Latin text is untouched', '数据安全 ÿ é', '数据安全 ÿ é'],
  ];
  for (const [name, input, expected] of table) {
    it(name, () => assert.equal(canonicalize(input).text, expected));
  }

  it('has a sizeable table', () => assert.ok(CONFUSABLE_COUNT >= 200, String(CONFUSABLE_COUNT)));

  it('foldConfusables returns the same string when nothing folds', () => {
    const s = 'plain ascii';
    assert.equal(foldConfusables(s), s);
    assert.equal(foldConfusables('аb'), 'ab');
  });

  it('preserves case', () => assert.equal(canonicalize('Ignore ІGNОRЕ').text, 'Ignore IGNORE'));
});

describe('toOriginal', () => {
  function mapped(input: string, needle: string): string {
    const r = canonicalize(input);
    const at = r.text.indexOf(needle);
    assert.ok(at >= 0, `${needle} not in ${r.text}`);
    const [start, end] = r.toOriginal(at, at + needle.length);
    assert.ok(0 <= start && start <= end && end <= input.length);
    return input.slice(start, end);
  }

  const table: Array<[string, string, string, string]> = [
    ['plain ASCII', 'please ignore this', 'ignore', 'ignore'],
    ['after removed zero-widths', 'a\u200B\u200Bb ignore c', 'ignore', 'ignore'],
    ['through zero-widths inside the word', 'x ig\u200Bnore y', 'ignore', 'ig\u200Bnore'],
    ['fullwidth word', 'say ｉｇｎｏｒｅ now', 'ignore', 'ｉｇｎｏｒｅ'],
    ['math bold (surrogate pairs)', 'say 𝐢𝐠𝐧𝐨𝐫𝐞 now', 'ignore', '𝐢𝐠𝐧𝐨𝐫𝐞'],
    ['Cyrillic word', 'then іgnоre it', 'ignore', 'іgnоre'],
    ['part of a ligature covers the ligature', 'a ﬁle', 'i', 'ﬁ'],
    ['composed accent covers base and mark', 'cafe\u0301!', 'é', 'e\u0301'],
    ['word after a tag payload', `x\u{E0041}\u{E0042} ignore`, 'ignore', 'ignore'],
    ['text after an astral chunk', '𝐚 tail', 'tail', 'tail'],
  ];
  for (const [name, input, needle, expected] of table) {
    it(name, () => assert.equal(mapped(input, needle), expected));
  }

  it('maps empty spans to points and clamps out-of-range spans', () => {
    const r = canonicalize('ａb\u200Bc');
    assert.equal(r.text, 'abc');
    assert.deepEqual(r.toOriginal(0, 0), [0, 0]);
    assert.deepEqual(r.toOriginal(3, 3), [4, 4]);
    assert.deepEqual(r.toOriginal(-5, 99), [0, 4]);
    assert.deepEqual(r.toOriginal(2, 1), [1, 2]);
    assert.deepEqual(r.toOriginal(Number.NaN, 1), [0, 1]);
  });

  it('identity map on the ASCII fast path', () => {
    const r = canonicalize('hello world');
    assert.deepEqual(r.toOriginal(6, 11), [6, 11]);
    assert.deepEqual(r.toOriginal(-1, 100), [0, 11]);
  });

  it('returns non-ASCII text that nothing changes as it is, with an identity map', () => {
    const input = 'Grüße aus Köln, 日本語 und 👍 am Ende';
    const r = canonicalize(input);
    assert.equal(r.text, input);
    assert.deepEqual(r.hidden, []);
    assert.deepEqual(r.toOriginal(6, 9), [6, 9]);
    assert.deepEqual(r.toOriginal(input.length, input.length), [input.length, input.length]);
    assert.deepEqual(r.toOriginal(-1, 999), [0, input.length]);
  });

  it('composes marks after characters other scripts keep as they are, and folds their punctuation', () => {
    // Plain characters are passed in stretches; the one a mark follows still takes the mark.
    assert.equal(canonicalize('かき\u3099く').text, 'かぎく');
    assert.equal(canonicalize('数据\u0301安全').text, '数据\u0301安全'.normalize('NFKC'));
    assert.equal(canonicalize('Дa\u0308ш').text, 'Дäш');
    assert.equal(canonicalize('商品名称【测试】，完成（任务）：好').text, '商品名称【测试】,完成(任务):好');
    assert.equal(canonicalize('数\u{1D165}x').text, '数\u{1D165}x'.normalize('NFKC'));
    const input = `${'数据安全'.repeat(30)}（${'测试'.repeat(40)}）\u200B${'漢字'.repeat(30)}`;
    const r = canonicalize(input);
    assert.equal(r.text, `${'数据安全'.repeat(30)}(${'测试'.repeat(40)})${'漢字'.repeat(30)}`);
    assert.equal(mapped(input, '(测试'), '（测试');
    assert.equal(mapped(input, ')漢'), '）\u200B漢');
  });

  it('keeps lone surrogates inside long stretches copied at once', () => {
    const input = `${'x\uD800'.repeat(40)}ｉ${'\uDC00y'.repeat(40)}ｊ`;
    assert.equal(canonicalize(input).text, `${'x\uD800'.repeat(40)}i${'\uDC00y'.repeat(40)}j`);
  });

  it('maps spans after long ASCII stretches around the one character that changes', () => {
    const input = `${'plain words '.repeat(20)}ｉ then á and more ${'tail '.repeat(10)}`;
    const r = canonicalize(input);
    assert.equal(r.text, `${'plain words '.repeat(20)}i then á and more ${'tail '.repeat(10)}`);
    assert.equal(mapped(input, 'i then'), 'ｉ then');
    assert.equal(mapped(input, 'á and'), 'á and');
    assert.equal(mapped(input, 'more tail'), 'more tail');
  });

  it('keeps lone surrogates as they are', () => {
    const input = 'a\uD800b\uDC00ｃ';
    const r = canonicalize(input);
    assert.equal(r.text, 'a\uD800b\uDC00c');
    assert.deepEqual(r.toOriginal(4, 5), [4, 5]);
  });
});
