/**
 * Trains the PII token tagger (`models/pii-tagger.json`): an averaged perceptron over hashed
 * token features, greedy left to right, on the `tune` part (~60%, sha256 of the text) of
 * ../shared/data/pii/train.jsonl. Deterministic: fixed epochs and a seeded shuffle.
 *
 *   npm run train:pii [-- --data FILE] [--epochs N]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { selectSplit, readSpanRows, type SpanRow } from '../src/eval/spans.ts';
import { bucketOf, FEATURES_PER_TOKEN, LABEL_COUNT, MODEL_PATH, prepareTokens, skippable, storedFromWeights, TAGGER_LABELS, tokenContext, tokenFeatures } from '../src/scanners/pii/tagger.ts';
import { Tokens, tokenize } from '../src/scanners/pii/tokens.ts';
import { parseScriptArgs } from './script-args.ts';

const flags = parseScriptArgs(process.argv.slice(2), 'npm run train:pii --', 'Trains models/pii-tagger.json on the tune part of ../shared/data/pii/train.jsonl (deterministic).', {
  '--data': { value: true, help: 'span-labelled JSONL (default ../shared/data/pii/train.jsonl)' },
  '--epochs': { value: true, help: 'training epochs (default 8)' },
  '--bits': { value: true, help: 'hashed feature buckets = 2^bits (default 15)' },
});
const arg = (name: string, fallback: string): string => (flags.get(name) as string | undefined) ?? fallback;
const DATA = arg('--data', new URL('../../shared/data/pii/train.jsonl', import.meta.url).pathname);
const EPOCHS = Number(arg('--epochs', '8'));
const BITS = Number(arg('--bits', '15'));
const MIN_WORD_COUNT = 3;

interface Example {
  tokens: Tokens;
  gold: Uint8Array;
}

function labelIndex(type: string): number {
  const at = (TAGGER_LABELS as readonly string[]).indexOf(type);
  // Types with a validating recogniser (and any type the tagger does not know) are `X`.
  return at > 0 ? at : TAGGER_LABELS.indexOf('X');
}

function example(row: SpanRow): Example {
  const tokens = new Tokens();
  tokenize(row.text, tokens);
  const gold = new Uint8Array(tokens.count);
  for (let i = 0; i < tokens.count; i++) {
    for (const span of row.spans) {
      if (tokens.start[i]! < span.end && span.start < tokens.end[i]!) {
        gold[i] = labelIndex(span.type);
        break;
      }
    }
  }
  return { tokens, gold };
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

// Hand-written PII-free sentences (scripts/pii-negatives.txt): everyday, technical and numeric
// prose, so that capitalised sentence starters and reference numbers are not taken for entities.
const NEGATIVES = new URL('./pii-negatives.txt', import.meta.url);
const negatives: SpanRow[] = readFileSync(NEGATIVES, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((text) => ({ text, spans: [], source: 'bulwark:negatives' }));
const rows = [...selectSplit(readSpanRows(DATA), 'tune'), ...negatives];
const examples = rows.map(example);
const counts = new Map<number, number>();
for (const ex of examples) for (let i = 0; i < ex.tokens.count; i++) counts.set(ex.tokens.hash[i]!, (counts.get(ex.tokens.hash[i]!) ?? 0) + 1);
const useWord = (hash: number): boolean => (counts.get(hash) ?? 0) >= MIN_WORD_COUNT;

const size = (1 << BITS) * LABEL_COUNT;
const weights = new Float64Array(size);
const totals = new Float64Array(size);
const stamps = new Float64Array(size);
let step = 0;
let skipped = 0;
let skippedEntity = 0;
const features = new Int32Array(FEATURES_PER_TOKEN);
const scores = new Float64Array(LABEL_COUNT);

function update(index: number, delta: number): void {
  totals[index]! += (step - stamps[index]!) * weights[index]!;
  stamps[index] = step;
  weights[index]! += delta;
}

const random = rng(20261126);
const order = examples.map((_, i) => i);
for (let epoch = 0; epoch < EPOCHS; epoch++) {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  let errors = 0;
  let seen = 0;
  for (const k of order) {
    const { tokens, gold } = examples[k]!;
    const ctx = tokenContext(tokens.count);
    prepareTokens(tokens, useWord, ctx);
    let prev = 0;
    let prev2 = 0;
    for (let i = 0; i < tokens.count; i++) {
      if (skippable(tokens, i, prev, ctx)) {
        if (epoch === 0) {
          skipped++;
          if (gold[i] !== 0) skippedEntity++;
        }
        prev2 = prev;
        prev = 0;
        continue;
      }
      step++;
      tokenFeatures(tokens, i, prev, prev2, features, ctx);
      scores.fill(0);
      for (let f = 0; f < FEATURES_PER_TOKEN; f++) {
        const base = bucketOf(BITS, features[f]!) * LABEL_COUNT;
        for (let l = 0; l < LABEL_COUNT; l++) scores[l]! += weights[base + l]!;
      }
      let best = 0;
      for (let l = 1; l < LABEL_COUNT; l++) if (scores[l]! > scores[best]!) best = l;
      const truth = gold[i]!;
      seen++;
      if (best !== truth) {
        errors++;
        for (let f = 0; f < FEATURES_PER_TOKEN; f++) {
          const base = bucketOf(BITS, features[f]!) * LABEL_COUNT;
          update(base + truth, 1);
          update(base + best, -1);
        }
      }
      prev2 = prev;
      prev = best;
    }
  }
  console.log(`epoch ${epoch + 1}: token error rate ${(errors / seen).toFixed(4)}`);
  if (epoch === 0) console.log(`skipped without scoring: ${skipped} tokens, ${skippedEntity} of them inside an entity`);
}
const averaged = new Float32Array(size);
for (let k = 0; k < size; k++) {
  const total = totals[k]! + (step - stamps[k]!) * weights[k]!;
  averaged[k] = total / step;
}
const stored = storedFromWeights(BITS, averaged, [...counts].filter(([, c]) => c >= MIN_WORD_COUNT).map(([h]) => h), Number(arg("--prune", "0.002")), { data: 'shared/data/pii/train.jsonl', split: 'tune (sha256 bucket < 60)', rows: rows.length, epochs: EPOCHS, minWordCount: MIN_WORD_COUNT });
const json = JSON.stringify(stored);
writeFileSync(MODEL_PATH, `${json}\n`);
console.log(`wrote ${MODEL_PATH}: ${stored.weights.length / 2} weights, ${(json.length / 1024).toFixed(0)} KiB, ${rows.length} rows`);
