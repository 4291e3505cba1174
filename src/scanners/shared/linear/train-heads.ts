/**
 * Training of one linear head (used by scripts/train-harmful.ts and scripts/train-toxicity.ts):
 * the injection trainer's seeded AdaGrad logistic regression and Platt scaling
 * (`../../injection/train.ts`), a small L2/epoch grid chosen on a seeded held-back part of train,
 * then Platt scaling and the operating threshold on out-of-fold scores of all of train.
 * Dev data never reaches this file.
 */
import { confusion, recallAtFpr, rocAuc, type Scored } from '../../../eval/metrics.ts';
import { sigmoid } from '../../injection/model.ts';
import { fit, margin, platt, rng, shuffled, type Example, type TrainOptions } from '../../injection/train.ts';
import { dequantize, quantize, type HeadMeta } from './heads.ts';

export interface HeadSpec {
  bits: number;
  dims: number;
  seed: number;
  /** How the threshold is chosen on the held-back split. */
  operatingPoint: { kind: 'fpr'; maxFpr: number } | { kind: 'f1' };
  grid: { l2: readonly number[]; epochs: readonly number[] };
  /**
   * Extra checks on groups of negatives (e.g. the hard negatives alone), whose FPR must also stay
   * at or under `maxFpr`: the threshold rises until every group's does.
   */
  negativeGroups?: readonly { name: string; isMember: (index: number) => boolean; maxFpr: number }[];
}

export interface TrainedHead extends HeadMeta {
  weights: string;
  hyper: Record<string, unknown>;
}

/** Seeded 80/20 split of example indices. */
export function holdoutSplit(count: number, seed: number): { fitIdx: number[]; heldIdx: number[] } {
  const order = shuffled(Array.from({ length: count }, (_, index) => index), rng(seed));
  const cut = Math.floor(order.length * 0.8);
  return { fitIdx: order.slice(0, cut), heldIdx: order.slice(cut) };
}

/**
 * A threshold that maximises F1 on `scored`: the middle of the range of thresholds that reach the
 * best F1 (flagging is `score >= threshold`, so any value in (previous score, candidate] behaves
 * like the candidate), rather than an edge of it.
 */
function bestF1Threshold(scored: readonly Scored[]): number {
  // One sweep over the distinct scores, highest first: flagged = every sample scoring >= candidate.
  const sorted = scored.slice().sort((a, b) => b.score - a.score);
  const positives = sorted.filter((sample) => sample.label === 1).length;
  const f1s: { threshold: number; f1: number }[] = [];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < sorted.length; ) {
    const threshold = sorted[i]!.score;
    for (; i < sorted.length && sorted[i]!.score === threshold; i++) sorted[i]!.label === 1 ? tp++ : fp++;
    f1s.push({ threshold, f1: positives === 0 ? 0 : (2 * tp) / (tp + fp + positives) });
  }
  f1s.reverse(); // ascending thresholds
  let best = -1;
  let lo = 0;
  let hi = 0;
  f1s.forEach(({ f1 }, index) => {
    if (f1 > best) [best, lo, hi] = [f1, index, index];
    else if (f1 === best && hi === index - 1) hi = index;
  });
  if (f1s.length === 0) return 0.5;
  const below = lo > 0 ? f1s[lo - 1]!.threshold : 0;
  return (below + f1s[hi]!.threshold) / 2;
}

function chooseThreshold(scored: readonly Scored[], spec: HeadSpec, heldIdx: readonly number[]): number {
  let threshold = spec.operatingPoint.kind === 'fpr' ? (recallAtFpr(scored, spec.operatingPoint.maxFpr)?.threshold ?? 0.5) : bestF1Threshold(scored);
  for (const group of spec.negativeGroups ?? []) {
    const negatives = scored.filter((sample, i) => sample.label === 0 && group.isMember(heldIdx[i]!)).map((sample) => sample.score).sort((a, b) => b - a);
    const allowed = Math.floor(group.maxFpr * negatives.length);
    const boundary = negatives[allowed];
    if (boundary !== undefined && boundary >= threshold) threshold = boundary + 1e-9;
  }
  return Math.min(0.99, Math.max(0.02, threshold));
}

/** Quantises and restores weights: scores must come from the weights the scanner will load. */
function asLoaded(weights: Float32Array): { restored: Float32Array; bytes: Int8Array; scale: number } {
  const { bytes, scale } = quantize(weights);
  return { restored: dequantize(bytes, scale), bytes, scale };
}

const round = (value: number): number => Math.round(value * 10_000) / 10_000;

/**
 * Trains one head on `examples` (the caller's row indices are the example positions). The L2/epoch
 * grid is judged on a seeded 80/20 split (recall or F1 at the operating point, then AUC). With the
 * chosen grid point, `folds`-fold cross-fitting gives an out-of-fold margin for every example:
 * Platt scaling and the threshold are fitted on those (all of train, not a fifth of it), and the
 * shipped weights are fitted on all examples.
 */
export function trainHead(examples: readonly Example[], spec: HeadSpec, log: (line: string) => void, folds = 5, onOutOfFold?: (margins: readonly number[]) => void): TrainedHead {
  const { fitIdx, heldIdx } = holdoutSplit(examples.length, spec.seed);
  const fitSet = fitIdx.map((index) => examples[index]!);
  const heldSet = heldIdx.map((index) => examples[index]!);
  let best: { key: [number, number]; hyper: TrainOptions } | undefined;
  for (const l2 of spec.grid.l2) {
    for (const epochs of spec.grid.epochs) {
      const hyper: TrainOptions = { bits: spec.bits, dims: spec.dims, epochs, learningRate: 0.4, l2, seed: spec.seed };
      const { weights, bias } = fit(fitSet, hyper);
      const { restored } = asLoaded(weights);
      const margins = heldSet.map((example) => margin(restored, bias, example.vector));
      const labels = heldSet.map((example) => example.label);
      const calibration = platt(margins, labels);
      const scored: Scored[] = margins.map((m, i) => ({ score: sigmoid(calibration.a * m + calibration.b), label: labels[i]! }));
      const counts = confusion(scored, chooseThreshold(scored, spec, heldIdx));
      const auc = rocAuc(scored) ?? 0;
      const key: [number, number] = [spec.operatingPoint.kind === 'f1' ? counts.f1 : counts.tpr, auc];
      log(`    l2=${l2} epochs=${epochs}: held-back recall=${counts.tpr.toFixed(4)} fpr=${counts.fpr.toFixed(4)} f1=${counts.f1.toFixed(4)} auc=${auc.toFixed(4)}`);
      if (!best || key[0] > best.key[0] || (key[0] === best.key[0] && key[1] > best.key[1])) best = { key, hyper };
    }
  }
  const hyper = best!.hyper;
  // Cross-fitting: every example is scored by a model that did not see it.
  const order = shuffled(Array.from({ length: examples.length }, (_, index) => index), rng(spec.seed + 1));
  const outOfFold = new Array<number>(examples.length).fill(0);
  for (let fold = 0; fold < folds; fold++) {
    const inFold = new Set(order.filter((_, position) => position % folds === fold));
    const { weights, bias } = fit(examples.filter((_, index) => !inFold.has(index)), hyper);
    const { restored } = asLoaded(weights);
    for (const index of inFold) outOfFold[index] = margin(restored, bias, examples[index]!.vector);
  }
  onOutOfFold?.(outOfFold);
  const labels = examples.map((example) => example.label);
  const calibration = platt(outOfFold, labels);
  const scored: Scored[] = outOfFold.map((m, i) => ({ score: sigmoid(calibration.a * m + calibration.b), label: labels[i]! }));
  const all = examples.map((_, index) => index);
  const threshold = chooseThreshold(scored, spec, all);
  const counts = confusion(scored, threshold);
  const auc = rocAuc(scored) ?? 0;
  log(`    ${folds}-fold out-of-fold (l2=${hyper.l2} epochs=${hyper.epochs}): recall=${counts.tpr.toFixed(4)} fpr=${counts.fpr.toFixed(4)} f1=${counts.f1.toFixed(4)} auc=${auc.toFixed(4)} threshold=${threshold.toFixed(4)}`);
  const { weights, bias } = fit(examples, hyper);
  const { bytes, scale } = asLoaded(weights);
  return {
    bias,
    platt: calibration,
    // Rounded up, so the stored threshold never admits an out-of-fold negative the exact one excluded.
    threshold: Math.ceil(threshold * 10_000) / 10_000,
    scale,
    weights: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
    metrics: { outOfFold: { folds, n: examples.length, positives: counts.tp + counts.fn, recall: round(counts.tpr), fpr: round(counts.fpr), precision: round(counts.precision), f1: round(counts.f1), auc: round(auc) } },
    hyper: { epochs: hyper.epochs, l2: hyper.l2, learningRate: hyper.learningRate },
  };
}

/**
 * A combination head over heads whose out-of-fold margins are given (same examples, same order).
 * Mode `sum` (default): each member's margin is scaled by 1 / its standard deviation and summed.
 * Mode `min`: the smallest member margin (coefficients 1: the members must be on comparable
 * scales, e.g. sums of standardised margins), so every member must agree to flag. Platt scaling
 * and the threshold are fitted on the combined out-of-fold margins, which `onOutOfFold` receives
 * (a combination can be a member of a later one).
 */
export function trainCombination(members: readonly { name: string; outOfFold: readonly number[] }[], labels: readonly (0 | 1)[], spec: HeadSpec, log: (line: string) => void, mode: 'sum' | 'min' = 'sum', onOutOfFold?: (margins: readonly number[]) => void): HeadMeta {
  const coefficients = members.map(({ outOfFold }) => (mode === 'min' ? 1 : 1 / Math.max(1e-9, Math.sqrt(outOfFold.reduce((sum, m) => sum + m * m, 0) / outOfFold.length))));
  const combined = labels.map((_, index) => {
    const parts = members.map((member, i) => coefficients[i]! * member.outOfFold[index]!);
    return mode === 'min' ? Math.min(...parts) : parts.reduce((sum, part) => sum + part, 0);
  });
  onOutOfFold?.(combined);
  const calibration = platt(combined, labels);
  const scored: Scored[] = combined.map((m, i) => ({ score: sigmoid(calibration.a * m + calibration.b), label: labels[i]! }));
  const threshold = chooseThreshold(scored, spec, labels.map((_, index) => index));
  const counts = confusion(scored, threshold);
  const auc = rocAuc(scored) ?? 0;
  log(`    ${mode} of ${members.map((member) => member.name).join(' + ')}: out-of-fold recall=${counts.tpr.toFixed(4)} fpr=${counts.fpr.toFixed(4)} f1=${counts.f1.toFixed(4)} auc=${auc.toFixed(4)} threshold=${threshold.toFixed(4)}`);
  return {
    combine: { of: members.map((member) => member.name), coefficients, ...(mode === 'min' ? { mode } : {}) },
    bias: 0,
    platt: calibration,
    threshold: Math.ceil(threshold * 10_000) / 10_000,
    scale: 0,
    metrics: { outOfFold: { n: labels.length, positives: counts.tp + counts.fn, recall: round(counts.tpr), fpr: round(counts.fpr), precision: round(counts.precision), f1: round(counts.f1), auc: round(auc) } },
  };
}
