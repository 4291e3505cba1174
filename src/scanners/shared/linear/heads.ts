/**
 * A multi-head linear classifier over the injection featurizer (`../../injection/features.ts`):
 * one logistic regression per head (e.g. `harmful`, or `toxic` + one per toxicity category), each
 * with its own bias, Platt scaling and operating threshold. Used by safety/harmful and
 * safety/toxicity. Weights are quantised to one signed byte per bucket (square-root companding,
 * per-head scale) so a 2^18-bucket head costs 256 KiB before base64; loaded once per path.
 */
import { readFileSync } from 'node:fs';
import { featurize, type SparseVector } from '../../injection/features.ts';
import { sigmoid } from '../../injection/model.ts';

export const HEADS_FORMAT = 'bulwark-linear-heads/1';

/** Texts longer than this are scored in overlapping chunks; the highest chunk wins per head. */
const CHUNK = 16_384;
const OVERLAP = 1_024;

export interface HeadMeta {
  /** Char 3-5-grams for this head (absent: the file's `charGrams`). */
  charGrams?: boolean;
  /** Word pairs 2..skipGrams apart as extra hashed features (absent or 0: none). */
  skipGrams?: number;
  /** A salted copy of the hashed features when the chunk is topical (see `HeadsFile.topicFeatures`). */
  topicCopy?: boolean;
  /**
   * A combination head has no weights of its own: its margin is `bias + sum(coefficients[i] *
   * margin of head of[i])` (mode `sum`, the default) or `bias + min(coefficients[i] * margin of
   * head of[i])` (mode `min`: every member must agree), then its own Platt scaling and threshold.
   * Members are heads listed before it (weight heads or other combinations).
   */
  combine?: { of: string[]; coefficients: number[]; mode?: 'sum' | 'min' };
  bias: number;
  platt: { a: number; b: number };
  /** Calibrated probability at which the held-back part of train reached the target FPR. */
  threshold: number;
  /** Largest absolute weight; quantised values are scaled by it. */
  scale: number;
  metrics: Record<string, unknown>;
}

export interface HeadsFile {
  format: string;
  task: string;
  bits: number;
  /** Dense extra features after the hashed buckets (lexicon and cue hits), set by the task. */
  extraFeatures: number;
  /** Version of the task's extra features; a model must be retrained when it changes. */
  featuresVersion: string;
  /** Extra feature ids below this mark a topical chunk (harmful: a hazard-lexicon hit); absent: 0, none. */
  topicFeatures?: number;
  /** Whether the featurizer adds char 3-5-grams (absent: true). */
  charGrams?: boolean;
  trainedAt: string;
  dataSha256: string;
  hyper: Record<string, unknown>;
  metrics: Record<string, unknown>;
  /** `weights` is '' for a combination head. */
  heads: Record<string, HeadMeta & { weights: string }>;
}

/** Quantises weights to int8 with square-root companding (small weights keep resolution). */
export function quantize(weights: Float32Array): { bytes: Int8Array; scale: number } {
  let scale = 0;
  for (const w of weights) if (Math.abs(w) > scale) scale = Math.abs(w);
  const bytes = new Int8Array(weights.length);
  if (scale === 0) return { bytes, scale: 0 };
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    bytes[i] = Math.sign(w) * Math.round(127 * Math.sqrt(Math.abs(w) / scale));
  }
  return { bytes, scale };
}

export function dequantize(bytes: Int8Array, scale: number): Float32Array {
  const weights = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const q = bytes[i]! / 127;
    weights[i] = Math.sign(q) * q * q * scale;
  }
  return weights;
}

export interface Head extends HeadMeta {
  name: string;
  /** Empty for a combination head. */
  weights: Float32Array;
}

export class LinearHeads {
  readonly file: Omit<HeadsFile, 'heads'>;
  readonly heads: readonly Head[];

  constructor(file: HeadsFile) {
    if (file.format !== HEADS_FORMAT) throw new Error(`linear model: unsupported format ${JSON.stringify(file.format)} (expected ${HEADS_FORMAT})`);
    const expected = (1 << file.bits) + file.extraFeatures;
    const { heads, ...rest } = file;
    this.file = rest;
    const earlier = new Set<string>();
    this.heads = Object.entries(heads).map(([name, head]) => {
      const { weights: encoded, ...meta } = head;
      earlier.add(name);
      if (head.combine) {
        const { of, coefficients, mode = 'sum' } = head.combine;
        if (of.length === 0 || of.length !== coefficients.length) throw new Error(`linear model ${file.task}: head ${name}: combine needs one coefficient per head`);
        if (mode !== 'sum' && mode !== 'min') throw new Error(`linear model ${file.task}: head ${name}: unknown combine mode ${JSON.stringify(mode)}`);
        for (const member of of) if (member === name || !earlier.has(member)) throw new Error(`linear model ${file.task}: head ${name}: combines ${JSON.stringify(member)}, which is not a head listed before it in this file`);
        return { ...meta, name, weights: new Float32Array(0) };
      }
      const bytes = new Int8Array(Buffer.from(encoded, 'base64'));
      if (bytes.length !== expected) throw new Error(`linear model ${file.task}: head ${name}: expected ${expected} weights, found ${bytes.length}`);
      return { ...meta, name, weights: dequantize(bytes, head.scale) };
    });
  }

  head(name: string): Head | undefined {
    return this.heads.find((head) => head.name === name);
  }

  /** Calibrated probability per head of one chunk (one featurization per char-gram setting in use). */
  probabilities(chunk: string, extra: readonly number[]): number[] {
    const vectors = new Map<string, SparseVector>();
    const topical = extra.some((id) => id < (this.file.topicFeatures ?? 0));
    const vectorFor = (charGrams: boolean, skipGrams: number, topicCopy: boolean): SparseVector => {
      const key = `${charGrams}/${skipGrams}/${topicCopy}`;
      let vector = vectors.get(key);
      if (!vector) vectors.set(key, (vector = featurize(chunk, { bits: this.file.bits, extra, charGrams, skipGrams, topicCopy })));
      return vector;
    };
    const margins = new Map<string, number>();
    return this.heads.map((head) => {
      let margin = head.bias;
      if (head.combine) {
        const { of, coefficients, mode = 'sum' } = head.combine;
        const parts = of.map((member, i) => coefficients[i]! * margins.get(member)!);
        margin += mode === 'min' ? Math.min(...parts) : parts.reduce((sum, part) => sum + part, 0);
      } else {
        const vector = vectorFor(head.charGrams ?? this.file.charGrams ?? true, head.skipGrams ?? 0, topical && head.topicCopy === true);
        let sum = 0;
        for (const index of vector.indices) sum += head.weights[index] ?? 0;
        margin += sum * vector.value;
      }
      margins.set(head.name, margin);
      return sigmoid(head.platt.a * margin + head.platt.b);
    });
  }

  /**
   * Probabilities per head for `text` (highest over 16 KiB chunks, so cost stays linear), with
   * `extraOf(chunk)` giving the task's dense feature ids of each chunk.
   */
  score(text: string, extraOf: (chunk: string) => readonly number[]): number[] {
    let best = this.heads.map(() => 0);
    for (let start = 0; ; start += CHUNK - OVERLAP) {
      const chunk = text.slice(start, start + CHUNK);
      const probabilities = this.probabilities(chunk, extraOf(chunk));
      best = best.map((value, index) => Math.max(value, probabilities[index]!));
      if (start + CHUNK >= text.length) break;
    }
    return best;
  }
}

/**
 * Maps a calibrated probability to a score whose 0.5 is the head's threshold (piecewise linear),
 * so the policy's default instance threshold (0.5) is the operating point chosen in training.
 */
export function scoreAtThreshold(probability: number, threshold: number): number {
  const t = Math.min(0.999, Math.max(0.001, threshold));
  const score = probability < t ? (0.5 * probability) / t : 0.5 + (0.5 * (probability - t)) / (1 - t);
  return Math.min(1, Math.max(0, score));
}

const cache = new Map<string, LinearHeads>();

/** Loads (once per path) the model at `path`, naming the file and the training command in any error. */
export function loadHeads(path: string, trainCommand: string): LinearHeads {
  const cached = cache.get(path);
  if (cached) return cached;
  let model: LinearHeads;
  try {
    model = new LinearHeads(JSON.parse(readFileSync(path, 'utf8')) as HeadsFile);
  } catch (error) {
    throw new Error(`model ${path}: ${error instanceof Error ? error.message : String(error)} (run ${trainCommand})`);
  }
  cache.set(path, model);
  return model;
}
