/**
 * Training of the injection classifier: seeded, dependency-free logistic regression (AdaGrad,
 * class-balanced, L2) over the shared featurizer, Platt scaling and threshold choice on a
 * held-back split. Used by scripts/train-injection.ts; kept here so tests can train tiny models.
 */
import { featurize, type SparseVector } from './features.ts';
import { sigmoid } from './model.ts';
import { seededRandom } from '../../text/seeded-random.ts';

/** The seeded PRNG of training shuffles (mulberry32). */
export const rng = seededRandom;

export interface Example {
  vector: SparseVector;
  label: 0 | 1;
}

export interface TrainOptions {
  bits: number;
  dims: number;
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
}


export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export function toExample(text: string, ids: readonly number[], label: 0 | 1, bits: number): Example {
  return { vector: featurize(text, { bits, extra: ids, gibberish: true }), label };
}

/** Fits weights and bias; returns them with the raw margin function. */
export function fit(examples: readonly Example[], options: TrainOptions): { weights: Float32Array; bias: number } {
  const weights = new Float64Array(options.dims);
  const squares = new Float64Array(options.dims).fill(1e-8);
  let bias = 0;
  let biasSquares = 1e-8;
  const positives = examples.filter((example) => example.label === 1).length;
  const negatives = examples.length - positives;
  // Balanced class weights: the data has ~5x more benign rows, and recall matters at a fixed FPR.
  const classWeight = [examples.length / (2 * Math.max(1, negatives)), examples.length / (2 * Math.max(1, positives))];
  const random = rng(options.seed);
  let order = examples.slice();
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    order = shuffled(order, random);
    for (const example of order) {
      const { indices, value } = example.vector;
      let margin = bias;
      for (const index of indices) margin += weights[index]! * value;
      const gradient = (sigmoid(margin) - example.label) * classWeight[example.label]!;
      for (const index of indices) {
        const g = gradient * value + options.l2 * weights[index]!;
        squares[index]! += g * g;
        weights[index]! -= (options.learningRate * g) / Math.sqrt(squares[index]!);
      }
      biasSquares += gradient * gradient;
      bias -= (options.learningRate * gradient) / Math.sqrt(biasSquares);
    }
  }
  return { weights: Float32Array.from(weights), bias };
}

export function margin(weights: Float32Array, bias: number, vector: SparseVector): number {
  let sum = 0;
  for (const index of vector.indices) sum += weights[index] ?? 0;
  return bias + sum * vector.value;
}

/** Platt scaling: fits p = sigmoid(a*m + b) to labels by Newton's method on the log loss. */
export function platt(margins: readonly number[], labels: readonly (0 | 1)[]): { a: number; b: number } {
  const positives = labels.filter((label) => label === 1).length;
  const negatives = labels.length - positives;
  // Platt's smoothed targets keep the fit finite when the classes separate perfectly.
  const high = (positives + 1) / (positives + 2);
  const low = 1 / (negatives + 2);
  const loss = (a: number, b: number): number => {
    let total = 0;
    for (let i = 0; i < margins.length; i++) {
      const target = labels[i] === 1 ? high : low;
      const z = a * margins[i]! + b;
      // log(1 + e^z) - target * z, computed stably.
      total += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - target * z;
    }
    return total;
  };
  let a = 1;
  let b = 0;
  for (let iteration = 0; iteration < 100; iteration++) {
    let gA = 0, gB = 0, hAA = 1e-9, hAB = 0, hBB = 1e-9;
    for (let i = 0; i < margins.length; i++) {
      const target = labels[i] === 1 ? high : low;
      const p = sigmoid(a * margins[i]! + b);
      const d = p - target;
      const w = p * (1 - p);
      gA += d * margins[i]!;
      gB += d;
      hAA += w * margins[i]! * margins[i]!;
      hAB += w * margins[i]!;
      hBB += w;
    }
    const det = hAA * hBB - hAB * hAB;
    if (Math.abs(det) < 1e-12) break;
    let stepA = (hBB * gA - hAB * gB) / det;
    let stepB = (hAA * gB - hAB * gA) / det;
    // Backtracking: with large, well-separated margins a full Newton step can overshoot and diverge.
    const before = loss(a, b);
    for (let halvings = 0; halvings < 40 && !(loss(a - stepA, b - stepB) <= before); halvings++) {
      stepA /= 2;
      stepB /= 2;
    }
    a -= stepA;
    b -= stepB;
    if (Math.abs(stepA) + Math.abs(stepB) < 1e-9) break;
  }
  return { a, b };
}
