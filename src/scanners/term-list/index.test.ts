import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanContext, scanInput, instantiate, scanTexts, segment } from '../test-support.ts';
import { termListScanner } from './index.ts';
import { slugOf } from './terms.ts';

const tag = (text: string): string => [...text].map((c) => String.fromCodePoint(0xe0000 + c.codePointAt(0)!)).join('');
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const codenames = { terms: ['project nightingale', 'bluebird'] };

describe('text/term-list', () => {
  const caught: [string, string][] = [
    ['plain', 'the bluebird sings'],
    ['upper case', 'the BLUEBIRD sings'],
    ['fullwidth', 'the ＢＬＵＥＢＩＲＤ sings'],
    ['Cyrillic homoglyph е', 'the blu\u0435bird sings'],
    ['Greek and Cyrillic mixed homoglyphs', 'the bluebird \u0440r\u043eject nightingale'],
    ['zero-width split', 'the blue\u200bbi\u200drd sings'],
    ['soft hyphen split', 'the blue\u00adbird sings'],
    ['accents', 'the blúébírd sings'],
    ['Zalgo marks', 'the b\u0336l\u0301u\u0308ebird sings'],
    ['base64 of the phrase', `please decode ${b64('tell me about project nightingale now')}`],
    ['tag-character payload', `hello${tag('about project nightingale')} there`],
    ['after an emoji', '😀😀 bluebird'],
    ['phrase across a line break', 'project\nnightingale'],
    ['phrase with spaces and a no-break space', 'project \u00a0 \t nightingale'],
    ['phrase with a line separator', 'project\u2028nightingale'],
  ];
  for (const [name, text] of caught) {
    it(`catches ${name}`, async () => {
      const result = await scanTexts(termListScanner, codenames, [text]);
      assert.equal(result.outcome, 'fail', JSON.stringify(result));
      assert.ok(result.findings.length >= 1);
      for (const finding of result.findings) {
        assert.ok(finding.span[0] >= 0 && finding.span[0] < finding.span[1] && finding.span[1] <= text.length);
        assert.equal(finding.severity, 'high');
        assert.equal(finding.score, 1);
      }
    });
  }

  it('maps spans to the original text and proposes redactions', async () => {
    const text = 'a ＢＬＵＥ\u200bbird! then bluebird';
    const result = await scanTexts(termListScanner, codenames, [text]);
    assert.deepEqual(result.findings.map((f) => text.slice(f.span[0], f.span[1])), ['ＢＬＵＥ\u200bbird', 'bluebird']);
    assert.deepEqual(result.findings.map((f) => f.ruleId), ['term-list/term-1', 'term-list/term-1']);
    assert.deepEqual(result.edits?.map((e) => [e.start, e.end, e.replacement]), [[2, 11, '[REDACTED]'], [18, 26, '[REDACTED]']]);
    assert.equal(result.score, 1);
  });

  it('never puts the term in rule id, evidence or message by default', async () => {
    const result = await scanTexts(termListScanner, { terms: ['hunter2secret'], wholeWord: false }, ['pw hunter2secret']);
    const finding = result.findings[0]!;
    assert.equal(finding.evidence, 'h… (13 chars)');
    assert.ok(!JSON.stringify(result).includes('hunter2'));
    const readable = await scanTexts(termListScanner, { terms: ['hunter2secret'], ruleIdStyle: 'slug' }, ['hunter2secret']);
    assert.equal(readable.findings[0]?.ruleId, 'term-list/hunter2secret');
  });

  it('reports a match inside a decoded run on the whole run', async () => {
    const encoded = b64('all about the bluebird project');
    const text = `x ${encoded} y`;
    const result = await scanTexts(termListScanner, codenames, [text]);
    const finding = result.findings.find((f) => f.message.includes('base64'));
    assert.ok(finding, JSON.stringify(result.findings));
    assert.deepEqual(finding.span, [2, 2 + encoded.length]);
  });

  it('respects word boundaries unless wholeWord is false', async () => {
    assert.equal((await scanTexts(termListScanner, codenames, ['bluebirds and superbluebird'])).outcome, 'pass');
    assert.equal((await scanTexts(termListScanner, codenames, ['(bluebird), bluebird_x? no: bluebird.'])).findings.length, 3);
    assert.equal((await scanTexts(termListScanner, { ...codenames, wholeWord: false }, ['bluebirds'])).outcome, 'fail');
    // Edges that are not letters or digits need no boundary.
    assert.equal((await scanTexts(termListScanner, { terms: ['c++'] }, ['I like c++17'])).outcome, 'fail');
  });

  it('matches CJK and Thai terms inside unspaced text', async () => {
    const result = await scanTexts(termListScanner, { terms: ['機密', 'ลับ'] }, ['これは機密情報です', 'ข้อมูลลับมาก']);
    assert.deepEqual(result.findings.map((f) => f.segmentId), ['s0', 's1']);
  });

  it('honours case sensitivity, including non-ASCII', async () => {
    assert.equal((await scanTexts(termListScanner, { terms: ['Bluebird'], caseSensitive: true }, ['bluebird'])).outcome, 'pass');
    assert.equal((await scanTexts(termListScanner, { terms: ['Bluebird'], caseSensitive: true }, ['Bluebird'])).outcome, 'fail');
    assert.equal((await scanTexts(termListScanner, { terms: ['ÉCOLE'] }, ['une école'])).outcome, 'fail');
  });

  it('keeps accents apart when foldDiacritics is false', async () => {
    assert.equal((await scanTexts(termListScanner, { terms: ['resume'], foldDiacritics: false }, ['my résumé'])).outcome, 'pass');
    assert.equal((await scanTexts(termListScanner, { terms: ['resume'] }, ['my résumé'])).outcome, 'fail');
  });

  it('uses per-term rule ids and severities', async () => {
    const config = { terms: [{ term: 'wire transfer', severity: 'medium' }, { term: 'bluebird', ruleId: 'codenames/bb' }], ruleIdPrefix: 'finance', ruleIdStyle: 'slug' };
    const flagged = await scanTexts(termListScanner, config, ['send a Wire Transfer']);
    assert.equal(flagged.outcome, 'flag');
    assert.equal(flagged.findings[0]?.ruleId, 'finance/wire-transfer');
    const failed = await scanTexts(termListScanner, config, ['bluebird']);
    assert.equal(failed.findings[0]?.ruleId, 'codenames/bb');
  });

  it('merges overlapping redactions and keeps edits past the findings cap', async () => {
    const overlap = await scanTexts(termListScanner, { terms: ['blue bird', 'bird song'], wholeWord: false }, ['a blue bird song']);
    assert.equal(overlap.findings.length, 2);
    assert.deepEqual(overlap.edits?.map((e) => [e.start, e.end]), [[2, 16]]);
    const many = await scanTexts(termListScanner, { terms: ['x'], maxFindings: 3 }, ['x '.repeat(10)]);
    assert.equal(many.findings.length, 3);
    assert.equal(many.edits?.length, 10);
  });

  it('scans several segments and reports their ids', async () => {
    const result = instantiate(termListScanner, codenames).scan(scanInput(['nothing here', segment('bluebird', 'doc-1', 'document')]), scanContext());
    assert.deepEqual((await result).findings.map((f) => f.segmentId), ['doc-1']);
  });

  it('passes clean text with score 0 and no edits', async () => {
    const result = await scanTexts(termListScanner, codenames, ['a blue bird, a nightingale project']);
    assert.deepEqual(result, { outcome: 'pass', score: 0, findings: [] });
  });

  it('stops when the context is aborted', () => {
    const controller = new AbortController();
    controller.abort(new Error('deadline'));
    const scanner = instantiate(termListScanner, codenames);
    assert.throws(() => scanner.scan(scanInput(['bluebird']), { ...scanContext(), signal: controller.signal }), /deadline/);
  });

  it('slugs terms into rule ids', () => {
    assert.equal(slugOf('Project  Nightingale!'), 'project-nightingale');
    assert.equal(slugOf('Café Noir'), 'cafe-noir');
    assert.equal(slugOf('機密'), '機密');
    assert.equal(slugOf('!!!'), '');
  });

  it('rejects a term that normalises to nothing', () => {
    assert.throws(() => instantiate(termListScanner, { terms: ['\u200b\u200b'] }), /terms\[0\] is empty/);
  });
});
