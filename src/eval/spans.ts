/**
 * Span-level metrics for entity detectors (`bulwark eval --detector pii`): rows are
 * `{text, spans:[{start,end,type}]}`; precision, recall and F1 with exact-span and overlap
 * matching, overall (type-agnostic) and per type, and a deterministic tune/measure split.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { EvalDataError, jsonLines } from './dataset.ts';

export interface Span {
  start: number;
  end: number;
  type: string;
}

export interface SpanRow {
  text: string;
  spans: Span[];
  source: string;
}

export interface Prf {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

export type SplitName = 'tune' | 'measure' | 'all';
export const SPLITS: readonly SplitName[] = ['tune', 'measure', 'all'];

/** `tune` for ~60% of texts, `measure` for the rest, by the first 4 bytes of sha256(text). */
export function splitOf(text: string): 'tune' | 'measure' {
  const bucket = createHash('sha256').update(text, 'utf8').digest().readUInt32BE(0) % 100;
  return bucket < 60 ? 'tune' : 'measure';
}

export function selectSplit<T extends { text: string }>(rows: readonly T[], split: SplitName): T[] {
  return split === 'all' ? rows.slice() : rows.filter((row) => splitOf(row.text) === split);
}

/** Parses span JSONL, naming the line and field of a bad row. */
export function parseSpanRows(text: string, where: string): SpanRow[] {
  const rows: SpanRow[] = [];
  for (const { value, at } of jsonLines(text, where)) {
    const row = value as Record<string, unknown>;
    if (typeof row !== 'object' || row === null || typeof row.text !== 'string') throw new EvalDataError(`${at}: field "text": expected a string`);
    if (!Array.isArray(row.spans)) throw new EvalDataError(`${at}: field "spans": expected an array of {start, end, type}`);
    const spans: Span[] = [];
    row.spans.forEach((span: unknown, k: number) => {
      const s = span as Record<string, unknown>;
      const ok = typeof s === 'object' && s !== null && Number.isInteger(s.start) && Number.isInteger(s.end) && typeof s.type === 'string';
      if (!ok || (s.start as number) < 0 || (s.end as number) < (s.start as number) || (s.end as number) > (row.text as string).length) {
        throw new EvalDataError(`${at}: field "spans[${k}]": expected {start, end, type} with 0 <= start <= end <= text length`);
      }
      spans.push({ start: s.start as number, end: s.end as number, type: s.type as string });
    });
    rows.push({ text: row.text, spans, source: typeof row.source === 'string' ? row.source : 'unknown' });
  }
  if (rows.length === 0) throw new EvalDataError(`${where}: no rows`);
  return rows;
}

export function readSpanRows(path: string): SpanRow[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new EvalDataError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseSpanRows(text, path);
}

function prf(tp: number, fp: number, fn: number): Prf {
  const precision = tp + fp > 0 ? tp / (tp + fp) : tp + fn === 0 ? 1 : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 1;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  const r = (v: number): number => Math.round(v * 10000) / 10000;
  return { tp, fp, fn, precision: r(precision), recall: r(recall), f1: r(f1) };
}

const overlaps = (a: Span, b: Span): boolean => a.start < b.end && b.start < a.end;
const same = (a: Span, b: Span): boolean => a.start === b.start && a.end === b.end;

/**
 * Counts over rows of (gold, predicted) spans. A gold span is found (tp) when a predicted span
 * matches it, otherwise missed (fn); a predicted span matching no gold span is a false positive.
 * `typed` requires equal types; `exact` requires equal boundaries, otherwise any overlap counts.
 */
export function spanCounts(pairs: readonly { gold: readonly Span[]; predicted: readonly Span[] }[], options: { exact: boolean; typed: boolean; type?: string }): Prf {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const match = (g: Span, p: Span): boolean => (options.exact ? same(g, p) : overlaps(g, p)) && (!options.typed || g.type === p.type);
  for (const { gold, predicted } of pairs) {
    const golds = options.type === undefined ? gold : gold.filter((g) => g.type === options.type);
    const preds = options.type === undefined ? predicted : predicted.filter((p) => p.type === options.type);
    for (const g of golds) (preds.some((p) => match(g, p)) ? tp++ : fn++);
    for (const p of preds) if (!golds.some((g) => match(g, p))) fp++;
  }
  return prf(tp, fp, fn);
}

export interface SpanReport {
  precision: number;
  recall: number;
  f1: number;
  /** Type-agnostic, overlap (the headline numbers) and exact-span. */
  overall: { overlap: Prf; exact: Prf };
  /** Per gold/predicted type, typed matching. */
  by_type: Record<string, { overlap: Prf; exact: Prf; gold: number; recall_any_type: number | null }>;
  latency_ms: { mean: number; p50: number; p99: number };
  rows: number;
}

export function spanReport(pairs: readonly { gold: readonly Span[]; predicted: readonly Span[] }[], latencies: readonly number[]): SpanReport {
  const overlap = spanCounts(pairs, { exact: false, typed: false });
  const exact = spanCounts(pairs, { exact: true, typed: false });
  const types = new Set<string>();
  for (const pair of pairs) for (const s of [...pair.gold, ...pair.predicted]) types.add(s.type);
  const by_type: SpanReport['by_type'] = {};
  for (const type of [...types].sort()) {
    let gold = 0;
    let covered = 0;
    for (const pair of pairs) {
      for (const g of pair.gold) {
        if (g.type !== type) continue;
        gold++;
        if (pair.predicted.some((p) => overlaps(g, p))) covered++;
      }
    }
    // recall_any_type: share of this type's gold spans overlapped by a prediction of any type (what the headline counts).
    const recall_any_type = gold === 0 ? null : Math.round((covered / gold) * 10000) / 10000;
    by_type[type] = { overlap: spanCounts(pairs, { exact: false, typed: true, type }), exact: spanCounts(pairs, { exact: true, typed: true, type }), gold, recall_any_type };
  }
  const sorted = latencies.slice().sort((a, b) => a - b);
  const pick = (q: number): number => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((q / 100) * sorted.length))]!);
  const r = (v: number): number => Math.round(v * 1000) / 1000;
  const mean = sorted.length === 0 ? 0 : sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return { precision: overlap.precision, recall: overlap.recall, f1: overlap.f1, overall: { overlap, exact }, by_type, latency_ms: { mean: r(mean), p50: r(pick(50)), p99: r(pick(99)) }, rows: pairs.length };
}

const SPAN_WARM_UP = 25;

/** Runs `detect` over every row (after a warm-up) and reports span metrics and latency. */
export function evaluateSpans(rows: readonly SpanRow[], detect: (text: string) => readonly Span[]): SpanReport {
  for (const row of rows.slice(0, SPAN_WARM_UP)) detect(row.text);
  const pairs: { gold: readonly Span[]; predicted: readonly Span[] }[] = [];
  const latencies: number[] = [];
  for (const row of rows) {
    const started = performance.now();
    const predicted = detect(row.text);
    latencies.push(performance.now() - started);
    pairs.push({ gold: row.spans, predicted });
  }
  return spanReport(pairs, latencies);
}
