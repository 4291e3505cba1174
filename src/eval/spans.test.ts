import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EvalDataError } from './dataset.ts';
import { evaluateSpans, parseSpanRows, selectSplit, spanCounts, spanReport, splitOf } from './spans.ts';

const gold = [
  { start: 0, end: 5, type: 'PERSON' },
  { start: 10, end: 20, type: 'EMAIL_ADDRESS' },
  { start: 30, end: 35, type: 'NRP' },
];
const predicted = [
  { start: 0, end: 5, type: 'PERSON' }, // exact, same type
  { start: 12, end: 25, type: 'URL' }, // overlaps the email, wrong type, wrong bounds
  { start: 40, end: 45, type: 'PHONE_NUMBER' }, // matches nothing
];
const pairs = [{ gold, predicted }];

describe('span metrics', () => {
  it('type-agnostic overlap: the headline numbers', () => {
    const c = spanCounts(pairs, { exact: false, typed: false });
    assert.deepEqual([c.tp, c.fp, c.fn], [2, 1, 1]);
    assert.equal(c.precision, 0.6667);
    assert.equal(c.recall, 0.6667);
  });

  it('exact boundaries', () => {
    const c = spanCounts(pairs, { exact: true, typed: false });
    assert.deepEqual([c.tp, c.fp, c.fn], [1, 2, 2]);
  });

  it('typed per type: a type the detector never emits is all missed', () => {
    assert.deepEqual(pick(spanCounts(pairs, { exact: false, typed: true, type: 'EMAIL_ADDRESS' })), [0, 0, 1]);
    assert.deepEqual(pick(spanCounts(pairs, { exact: false, typed: true, type: 'NRP' })), [0, 0, 1]);
    assert.deepEqual(pick(spanCounts(pairs, { exact: false, typed: true, type: 'URL' })), [0, 1, 0]);
  });

  it('reports precision/recall/f1, by_type and latency', () => {
    const report = spanReport(pairs, [1, 2, 3]);
    assert.equal(report.f1, 0.6667);
    assert.equal(report.by_type.PERSON!.exact.f1, 1);
    assert.equal(report.by_type.NRP!.gold, 1);
    assert.equal(report.by_type.EMAIL_ADDRESS!.recall_any_type, 1);
    assert.equal(report.by_type.NRP!.recall_any_type, 0);
    assert.equal(report.by_type.URL!.recall_any_type, null);
    assert.equal(report.latency_ms.p50, 2);
  });

  it('perfect and empty predictions', () => {
    assert.equal(spanCounts([{ gold, predicted: gold }], { exact: true, typed: true }).f1, 1);
    const none = spanCounts([{ gold, predicted: [] }], { exact: false, typed: false });
    assert.deepEqual([none.precision, none.recall, none.f1], [0, 0, 0]);
  });

  it('evaluateSpans runs the detector on every row', () => {
    const rows = parseSpanRows('{"text":"hi Bob","spans":[{"start":3,"end":6,"type":"PERSON"}]}\n{"text":"nothing","spans":[]}\n', 'mem');
    const report = evaluateSpans(rows, (text) => (text.includes('Bob') ? [{ start: 3, end: 6, type: 'PERSON' }] : []));
    assert.equal(report.rows, 2);
    assert.equal(report.f1, 1);
  });
});

describe('span rows and split', () => {
  it('names the line and field of a bad row', () => {
    assert.throws(() => parseSpanRows('{"text":"a","spans":[{"start":0,"end":9,"type":"X"}]}', 'f.jsonl'), (error: unknown) => error instanceof EvalDataError && /f\.jsonl:1: field "spans\[0\]"/.test(error.message));
    assert.throws(() => parseSpanRows('{"text":"a"}', 'f.jsonl'), /field "spans"/);
    assert.throws(() => parseSpanRows('\n', 'f.jsonl'), /no rows/);
  });

  it('splits deterministically, about 60/40', () => {
    const texts = Array.from({ length: 2000 }, (_, i) => `row ${i}`);
    assert.equal(splitOf('same text'), splitOf('same text'));
    const tune = selectSplit(texts.map((text) => ({ text })), 'tune').length;
    assert.ok(tune > 1100 && tune < 1300, `tune ${tune}`);
    assert.equal(selectSplit(texts.map((text) => ({ text })), 'all').length, 2000);
  });
});

function pick(c: { tp: number; fp: number; fn: number }): number[] {
  return [c.tp, c.fp, c.fn];
}
