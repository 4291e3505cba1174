/**
 * Per-label-category metrics (`by_label`) for rows that carry `categories` (moderation data): for
 * each category key, the rows labelled for it and the detector's own verdict for that category.
 */
import type { EvalRow } from './dataset.ts';
import { confusion, rocAuc } from './metrics.ts';

/** A detector's per-category output for one row: calibrated score and its own verdict. */
export type CategoryVerdicts = Record<string, { score: number; flagged: boolean }>;

export interface LabelBreakdown {
  n: number;
  positives: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  recall: number;
  fpr: number;
  precision: number;
  f1: number;
  auc: number | null;
}

/** Metrics per category key, over the rows that label that key and got a verdict for it. */
export function byLabel(rows: readonly EvalRow[], verdicts: readonly (CategoryVerdicts | undefined)[]): Record<string, LabelBreakdown> {
  const samples = new Map<string, { flagged: number; score: number; label: 0 | 1 }[]>();
  rows.forEach((row, index) => {
    const verdict = verdicts[index];
    if (!row.labels || !verdict) return;
    for (const [key, label] of Object.entries(row.labels)) {
      const own = verdict[key];
      if (!own) continue;
      const list = samples.get(key) ?? [];
      list.push({ flagged: own.flagged ? 1 : 0, score: own.score, label });
      samples.set(key, list);
    }
  });
  const out: Record<string, LabelBreakdown> = {};
  for (const key of [...samples.keys()].sort()) {
    const list = samples.get(key)!;
    const counts = confusion(list.map((sample) => ({ score: sample.flagged, label: sample.label })), 0.5);
    out[key] = { n: counts.n, positives: counts.tp + counts.fn, tp: counts.tp, fp: counts.fp, tn: counts.tn, fn: counts.fn, recall: counts.tpr, fpr: counts.fpr, precision: counts.precision, f1: counts.f1, auc: rocAuc(list) };
  }
  return out;
}
