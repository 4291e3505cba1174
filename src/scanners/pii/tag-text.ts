/**
 * How `detectPii` tokenizes, tags and counts one text: with the model's WebAssembly kernels
 * (`wasm-tagger.ts`) when it has them, all three in one kernel call (`prepareText`); else, or for
 * texts too long for the kernels, with tokens.ts, infer.ts's `tagTokensFast` and char-stats.ts.
 */
import { countChars, textFacts } from './char-stats.ts';
import { kernelOf, tagTokensFast } from './infer.ts';
import { tokenContext, type TaggerModel } from './tagger.ts';
import { Tokens, tokenize } from './tokens.ts';
import { type TagResult, WasmTokens } from './wasm-tagger.ts';

const fallbackTokens = new Tokens();

/**
 * The Tokens to tokenize into before `tagTokensFast(model, ...)`: those in the model's
 * WebAssembly memory when it has a kernel (nothing is copied then), else a shared plain one.
 */
export function tokensFor(model: TaggerModel | null): Tokens {
  return (model && kernelOf(model)) || fallbackTokens;
}

let ownLabels = new Uint8Array(1024);
let ownMargins = new Float32Array(1024);
const ownResult: TagResult = { labels: ownLabels, margins: ownMargins, context: tokenContext(1) };

/**
 * `tagTokensFast` into arrays of its own (valid until the next call): with the WebAssembly kernel
 * and tokens in its memory (`tokensFor`), the kernel's arrays themselves, so nothing is copied.
 */
export function tagTokensInPlace(model: TaggerModel, t: Tokens): TagResult {
  const kernel = kernelOf(model);
  if (kernel === t) return kernel.tagHere();
  if (ownLabels.length < t.count) {
    ownLabels = ownResult.labels = new Uint8Array(t.count * 2);
    ownMargins = ownResult.margins = new Float32Array(t.count * 2);
  }
  ownResult.context = tagTokensFast(model, t, ownLabels, ownMargins);
  return ownResult;
}

/**
 * Copies `text` into the model's kernel (when it has one) and returns the `countChars` to give
 * `findStructured` for it: the kernel's, so the text is copied once for counting, tokenizing and tagging.
 */
export function charCounter(model: TaggerModel | null, text: string): (text: string) => void {
  const kernel = model ? kernelOf(model) : undefined;
  return kernel && kernel.loadText(text) ? kernel.countChars : countChars;
}

/** Tokenizes `text` into `t` as `tokenize` does, with the WebAssembly tokenizer when `t` is in a kernel's memory. */
export function tokenizeInto(text: string, t: Tokens): void {
  if (!(t instanceof WasmTokens) || !t.tokenizeKernel(text)) tokenize(text, t);
}

/** What `prepareText` leaves for `findStructured` and the post-rules (valid until the next call). */
export const prepared = {
  /** The text's tokens (`tagged` labels them). */
  tokens: fallbackTokens as Tokens,
  tagged: undefined as TagResult | undefined,
  /** `textFacts` of the text. */
  facts: 0,
  /** Capitalised tokens in the given-name list (-1: not counted). */
  givens: -1,
  /** Fills char-stats.ts's `stats` for the text (call only when `facts` has FACT_DIGIT). */
  count: countChars as (text: string) => void,
};

/**
 * Tokenizes and tags `text` (no tagging when `model` is null) and gets what `findStructured`
 * needs of it into `prepared`: with the model's kernel in one call when it has one.
 */
export function prepareText(model: TaggerModel | null, text: string): void {
  const kernel = model ? kernelOf(model) : undefined;
  if (kernel && kernel.prepare(text)) {
    prepared.tokens = kernel;
    prepared.tagged = kernel.tagged();
    prepared.facts = kernel.tagger.facts();
    prepared.givens = kernel.tagger.givens();
    prepared.count = kernel.tagger.readCounts;
    return;
  }
  prepared.facts = textFacts(text);
  prepared.givens = -1;
  prepared.count = charCounter(model, text);
  if (!model) {
    prepared.tagged = undefined;
    return;
  }
  const tokens = tokensFor(model);
  tokenizeInto(text, tokens);
  prepared.tokens = tokens;
  prepared.tagged = tagTokensInPlace(model, tokens);
}
