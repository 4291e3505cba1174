/** Detection metrics over scored, labelled samples: confusion counts, ROC AUC, recall at a fixed FPR. */

export interface Scored {
  score: number;
  label: 0 | 1;
}

export interface Confusion {
  n: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  tpr: number;
  fpr: number;
  precision: number;
  f1: number;
}

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

/** Counts at `threshold` (flagged when score >= threshold). */
export function confusion(samples: readonly Scored[], threshold: number): Confusion {
  let tp = 0, fp = 0, tn = 0, fn = 0;
  for (const sample of samples) {
    const flagged = sample.score >= threshold;
    if (sample.label === 1) flagged ? tp++ : fn++;
    else flagged ? fp++ : tn++;
  }
  const tpr = ratio(tp, tp + fn);
  const precision = ratio(tp, tp + fp);
  return { n: samples.length, tp, fp, tn, fn, tpr, fpr: ratio(fp, fp + tn), precision, f1: ratio(2 * precision * tpr, precision + tpr) };
}

/** ROC AUC by the rank-sum statistic, ties counted half; null when a class is missing. */
export function rocAuc(samples: readonly Scored[]): number | null {
  const sorted = samples.slice().sort((a, b) => a.score - b.score);
  const positives = samples.filter((sample) => sample.label === 1).length;
  const negatives = samples.length - positives;
  if (positives === 0 || negatives === 0) return null;
  let rankSum = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j]!.score === sorted[i]!.score) j++;
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (sorted[k]!.label === 1) rankSum += averageRank;
    i = j;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * The lowest threshold whose FPR stays at or under `maxFpr`, and the recall there. Thresholds are
 * taken strictly above a negative score so ties never let a negative through.
 */
export function recallAtFpr(samples: readonly Scored[], maxFpr: number): { threshold: number; recall: number; fpr: number } | null {
  const negatives = samples.filter((sample) => sample.label === 0).map((sample) => sample.score).sort((a, b) => b - a);
  const positives = samples.filter((sample) => sample.label === 1).length;
  if (negatives.length === 0 || positives === 0) return null;
  const allowed = Math.floor(maxFpr * negatives.length);
  // Flag everything strictly above the (allowed+1)-th highest negative score.
  const boundary = negatives[allowed];
  const threshold = boundary === undefined ? 0 : nextUp(boundary);
  const counts = confusion(samples, threshold);
  return { threshold, recall: counts.tpr, fpr: counts.fpr };
}

function nextUp(value: number): number {
  return value + Math.max(1e-12, Math.abs(value) * 1e-12);
}

/** The p-th percentile (0-100) by nearest rank; 0 for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = values.slice().sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}
