/**
 * The injection classifier's weights: a logistic regression over hashed n-gram features plus
 * signature hits, with Platt scaling. Stored as JSON (metadata readable in review) with the
 * float32 weights base64-encoded; loaded once per file and shared by every scanner instance.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { featurize, type SparseVector } from './features.ts';

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
}

export interface ModelFile extends ModelMeta {
  weights: string;
}

export class InjectionModel {
  readonly meta: ModelMeta;
  readonly weights: Float32Array;

  constructor(meta: ModelMeta, weights: Float32Array) {
    const expected = (1 << meta.bits) + meta.signatureFeatures;
    if (weights.length !== expected) throw new Error(`injection model: expected ${expected} weights, found ${weights.length}`);
    this.meta = meta;
    this.weights = weights;
  }

  /** Raw margin of a feature vector. */
  margin(vector: SparseVector): number {
    let sum = 0;
    for (const index of vector.indices) sum += this.weights[index] ?? 0;
    return this.meta.bias + sum * vector.value;
  }

  /** Calibrated probability that `text` (with these signature feature ids) is an injection. */
  probability(text: string, signatureIds: readonly number[]): number {
    const vector = featurize(text, { bits: this.meta.bits, extra: signatureIds });
    return sigmoid(this.meta.platt.a * this.margin(vector) + this.meta.platt.b);
  }

  /** Serialises to the JSON file format. */
  toFile(): ModelFile {
    const bytes = Buffer.from(this.weights.buffer, this.weights.byteOffset, this.weights.byteLength);
    return { ...this.meta, weights: bytes.toString('base64') };
  }

  static fromFile(file: ModelFile): InjectionModel {
    if (file.format !== MODEL_FORMAT) throw new Error(`injection model: unsupported format ${JSON.stringify(file.format)} (expected ${MODEL_FORMAT})`);
    const bytes = Buffer.from(file.weights, 'base64');
    // Copy into an aligned buffer: a Buffer slice may start at an offset that is not a multiple of 4.
    const weights = new Float32Array(bytes.byteLength / 4);
    new Uint8Array(weights.buffer).set(bytes);
    const { weights: _omit, ...meta } = file;
    return new InjectionModel(meta, weights);
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
