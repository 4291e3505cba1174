/**
 * The injection classifier's weights: a logistic regression over hashed n-gram features plus
 * signature hits, with Platt scaling. Stored as JSON (metadata readable in review) with the
 * float32 weights base64-encoded; loaded once per file and shared by every scanner instance.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exactSumLimit, featureDot, type SparseVector } from './features.ts';
import { dot, textDot } from './text-features.ts';
import { gridUnits } from './weight-grid.ts';

export const MODEL_FORMAT = 'bulwark-injection-lr/1';

/** Where the committed models live: `<repo>/models/`. */
export const MODELS_DIR = join(import.meta.dirname, '..', '..', '..', 'models');

/** What a model file holds besides the weights. */
export interface ModelMeta {
  format: string;
  task: string;
  bits: number;
  signatureFeatures: number;
  signaturesVersion: string;
  bias: number;
  platt: { a: number; b: number };
  /** Calibrated score at which the held-back part of train reached the target FPR. */
  threshold: number;
  trainedAt: string;
  dataSha256: string;
  metrics: Record<string, unknown>;
  hyper: Record<string, unknown>;
  /**
   * Optional second model over the pieces of a document (lines, sentences; see segments.ts), used by
   * the indirect detector: the document scores as its highest piece, calibrated on whole documents.
   */
  segment?: { bias: number; platt: { a: number; b: number } };
}

export interface ModelFile extends ModelMeta {
  weights: string;
  /** base64 float32 weights of the segment model (2^bits values, no signature features). */
  segmentWeights?: string;
}

function encode(weights: Float32Array): string {
  return Buffer.from(weights.buffer, weights.byteOffset, weights.byteLength).toString('base64');
}

function decode(base64: string): Float32Array {
  const bytes = Buffer.from(base64, 'base64');
  // Copy into an aligned buffer: a Buffer slice may start at an offset that is not a multiple of 4.
  const weights = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(weights.buffer).set(bytes);
  return weights;
}

/** The model's weights are read-only once constructed: the exact-sum limits below are computed from them then. */
export class InjectionModel {
  readonly meta: ModelMeta;
  readonly weights: Float32Array;
  readonly segmentWeights: Float32Array | null;
  /** exactSumLimit of `weights` and of `segmentWeights` (features.ts): sums below them need no ordering. */
  readonly exactLimit: number;
  readonly segmentExactLimit: number;

  constructor(meta: ModelMeta, weights: Float32Array, segmentWeights: Float32Array | null = null) {
    const expected = (1 << meta.bits) + meta.signatureFeatures;
    if (weights.length !== expected) throw new Error(`injection model: expected ${expected} weights, found ${weights.length}`);
    if ((meta.segment === undefined) !== (segmentWeights === null)) throw new Error('injection model: segment metadata and segment weights must come together');
    if (segmentWeights && segmentWeights.length !== 1 << meta.bits) throw new Error(`injection model: expected ${1 << meta.bits} segment weights, found ${segmentWeights.length}`);
    this.meta = meta;
    this.weights = weights;
    this.segmentWeights = segmentWeights;
    this.exactLimit = exactSumLimit(weights);
    this.segmentExactLimit = segmentWeights ? exactSumLimit(segmentWeights) : 0;
    // The int16 copy the long-text sum reads (weight-grid.ts), made at load rather than on the first long request.
    gridUnits(weights);
  }

  /** Raw margin of one document piece under the segment model (0 features: the bias). */
  segmentMargin(piece: string): number {
    const segment = this.meta.segment;
    if (!segment || !this.segmentWeights) return Number.NEGATIVE_INFINITY;
    // featureDot sums exactly as a loop over featurize's indices would, without the index array.
    const { sum, value } = featureDot(piece, { bits: this.meta.bits, extra: [], gibberish: true }, this.segmentWeights, this.segmentExactLimit);
    return segment.bias + sum * value;
  }

  /** Calibrated probability for a document whose highest piece margin is `margin`. */
  segmentProbability(margin: number): number {
    const segment = this.meta.segment;
    if (!segment || !Number.isFinite(margin)) return 0;
    return sigmoid(segment.platt.a * margin + segment.platt.b);
  }

  /** Raw margin of a feature vector. */
  margin(vector: SparseVector): number {
    let sum = 0;
    for (const index of vector.indices) sum += this.weights[index] ?? 0;
    return this.meta.bias + sum * vector.value;
  }

  /** Calibrated probability that `text` (with these signature feature ids) is an injection. */
  probability(text: string, signatureIds: readonly number[]): number {
    // textDot gives featureDot's double where it answers (text-features.ts: short texts under the exact-sum certificate, every long text); the reference otherwise.
    const fast = textDot(text, signatureIds, this.meta.bits, this.weights, this.exactLimit);
    const { sum, value } = fast ? dot : featureDot(text, { bits: this.meta.bits, extra: signatureIds, gibberish: true }, this.weights, this.exactLimit);
    return sigmoid(this.meta.platt.a * (this.meta.bias + sum * value) + this.meta.platt.b);
  }

  /** Serialises to the JSON file format. */
  toFile(): ModelFile {
    return { ...this.meta, weights: encode(this.weights), ...(this.segmentWeights ? { segmentWeights: encode(this.segmentWeights) } : {}) };
  }

  static fromFile(file: ModelFile): InjectionModel {
    if (file.format !== MODEL_FORMAT) throw new Error(`injection model: unsupported format ${JSON.stringify(file.format)} (expected ${MODEL_FORMAT})`);
    const { weights, segmentWeights, ...meta } = file;
    return new InjectionModel(meta, decode(weights), segmentWeights === undefined ? null : decode(segmentWeights));
  }
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

const cache = new Map<string, InjectionModel>();

/** Loads (once per path) the model at `path`, naming the file in any error. */
export function loadModel(path: string): InjectionModel {
  const cached = cache.get(path);
  if (cached) return cached;
  let parsed: ModelFile;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as ModelFile;
  } catch (error) {
    throw new Error(`injection model ${path}: ${error instanceof Error ? error.message : String(error)} (run npm run train:injection)`);
  }
  const model = InjectionModel.fromFile(parsed);
  cache.set(path, model);
  return model;
}

/** The bundled model for a task (`prompt-injection` or `indirect-injection`). */
export function bundledModelPath(task: string): string {
  return join(MODELS_DIR, `${task}.json`);
}
