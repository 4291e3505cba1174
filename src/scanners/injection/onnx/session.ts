/**
 * An ONNX sequence classifier from a local directory (`model.onnx` + `tokenizer.json`), run by
 * onnxruntime-node, an optional dependency loaded on demand. Inference runs on the runtime's own
 * threads (`InferenceSession.run` is async); the event loop only tokenises, and at most
 * `maxChunks * maxTokens` tokens of at most `maxChunks * maxTokens * 16` characters.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { loadTokenizer, type Tokenizer } from './tokenizer.ts';

/** The slice of onnxruntime-node this file uses (typed here: the package is optional, so no type import). */
interface OrtTensor {
  readonly data: ArrayLike<number | bigint>;
  readonly dims: readonly number[];
}
interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}
interface OrtModule {
  InferenceSession: { create(path: string, options: { intraOpNumThreads: number; interOpNumThreads: number; executionProviders: string[]; graphOptimizationLevel: 'all' }): Promise<OrtSession> };
  Tensor: new (type: 'int64', data: BigInt64Array, dims: readonly number[]) => OrtTensor;
}

/** Characters read per token at most: bounds normalisation and pre-tokenisation of huge inputs. */
const CHARS_PER_TOKEN = 16;

/** Loads onnxruntime-node or throws an Error saying how to get it. */
export function loadOnnxRuntime(): OrtModule {
  try {
    return createRequire(import.meta.url)('onnxruntime-node') as OrtModule;
  } catch (error) {
    throw new Error(`onnxruntime-node cannot be loaded (${(error as Error).message.split('\n')[0]}); install the optional dependency (npm install onnxruntime-node@1.30.0) or set onnx.onUnavailable: skip`);
  }
}

export interface OnnxClassifierOptions {
  modelDir: string;
  /** Output label indices whose softmax probabilities add up to "injection" (Prompt Guard: 1 injection, 2 jailbreak). */
  injectionLabels: readonly number[];
  maxTokens: number;
  maxChunks: number;
  threads: number;
}

function softmax(logits: readonly number[]): number[] {
  const max = Math.max(...logits);
  const exps = logits.map((value) => Math.exp(value - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((value) => value / sum);
}

export class OnnxClassifier {
  readonly tokenizer: Tokenizer;
  readonly #options: OnnxClassifierOptions;
  readonly #ort: OrtModule;
  readonly #session: Promise<OrtSession>;
  #failure: Error | null = null;

  /**
   * Checks the directory and tokenizer synchronously (a clear config error at startup) and starts
   * creating the session; `probability` waits for it and throws if it failed.
   */
  constructor(ort: OrtModule, options: OnnxClassifierOptions) {
    const modelPath = join(options.modelDir, 'model.onnx');
    if (!existsSync(modelPath)) throw new Error(`onnx.modelDir: ${modelPath} does not exist`);
    this.tokenizer = loadTokenizer(join(options.modelDir, 'tokenizer.json'));
    if (options.maxTokens <= this.tokenizer.specialCount) throw new Error(`onnx.maxTokens: must be above the ${this.tokenizer.specialCount} special tokens the tokenizer adds`);
    this.#options = options;
    this.#ort = ort;
    this.#session = ort.InferenceSession.create(modelPath, { intraOpNumThreads: options.threads, interOpNumThreads: 1, executionProviders: ['cpu'], graphOptimizationLevel: 'all' });
    this.#session.catch((error: unknown) => {
      this.#failure = new Error(`onnx model ${modelPath}: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  /** Resolves once the session is ready (or rejects with why it is not). */
  async ready(): Promise<void> {
    await this.#sessionOrThrow();
  }

  async #sessionOrThrow(): Promise<OrtSession> {
    try {
      return await this.#session;
    } catch {
      throw this.#failure ?? new Error('onnx session failed');
    }
  }

  /** Token ids of `text` in chunks of at most maxTokens (special tokens included), at most maxChunks. */
  chunks(text: string): number[][] {
    const { maxTokens, maxChunks } = this.#options;
    const body = maxTokens - this.tokenizer.specialCount;
    const { ids } = this.tokenizer.encode(text.slice(0, maxChunks * maxTokens * CHARS_PER_TOKEN), body * maxChunks);
    const chunks: number[][] = [];
    for (let start = 0; start === 0 || start < ids.length; start += body) chunks.push(this.tokenizer.wrap(ids.slice(start, start + body)));
    return chunks;
  }

  /** Probability that `text` is an injection: the highest over its chunks. */
  async probability(text: string): Promise<number> {
    const session = await this.#sessionOrThrow();
    let best = 0;
    for (const chunk of this.chunks(text)) {
      const dims = [1, chunk.length];
      const feeds: Record<string, OrtTensor> = {};
      for (const name of session.inputNames) {
        if (name === 'input_ids') feeds[name] = new this.#ort.Tensor('int64', BigInt64Array.from(chunk, (id) => BigInt(id)), dims);
        else if (name === 'attention_mask') feeds[name] = new this.#ort.Tensor('int64', new BigInt64Array(chunk.length).fill(1n), dims);
        else if (name === 'token_type_ids') feeds[name] = new this.#ort.Tensor('int64', new BigInt64Array(chunk.length), dims);
        else throw new Error(`onnx model input "${name}" is not supported (input_ids, attention_mask, token_type_ids)`);
      }
      const outputs = await session.run(feeds);
      const name = session.outputNames.includes('logits') ? 'logits' : session.outputNames[0]!;
      const logits = Array.from(outputs[name]!.data, Number);
      best = Math.max(best, this.#injection(logits));
    }
    return best;
  }

  #injection(logits: readonly number[]): number {
    if (logits.length === 1) return 1 / (1 + Math.exp(-logits[0]!));
    const bad = this.#options.injectionLabels.find((label) => label >= logits.length);
    if (bad !== undefined) throw new Error(`onnx.injectionLabels: label ${bad} is out of range; the model has ${logits.length} labels`);
    const probabilities = softmax(logits);
    return Math.min(1, this.#options.injectionLabels.reduce((sum, label) => sum + probabilities[label]!, 0));
  }

  async close(): Promise<void> {
    try {
      await (await this.#session).release();
    } catch {
      // Nothing to release when the session never opened.
    }
  }
}
