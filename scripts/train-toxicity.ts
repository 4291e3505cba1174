/**
 * npm run train:toxicity [-- --moderation-only]
 *
 * Trains the safety/toxicity heads from ../shared/data/moderation/train.jsonl (dev is never read)
 * and writes models/toxicity.json: an overall head on `label`, and one head per category on the
 * rows where that `categories` key is labelled (a missing key means "not labelled"). A category
 * without labelled rows gets no head. toxicity/train.jsonl (Davidson tweets) is added to the
 * overall head's rows (`--moderation-only` leaves it out; see ADR 0009 for the measurement). Each
 * head's L2/epoch grid is chosen on a seeded 80/20 split of its rows; Platt scaling and the
 * threshold (middle of the best-F1 range) on 5-fold out-of-fold scores; weights on all its rows.
 * Deterministic.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MODELS_DIR } from '../src/scanners/injection/model.ts';
import { toExample, type Example } from '../src/scanners/injection/train.ts';
import { HEADS_FORMAT, type HeadsFile } from '../src/scanners/shared/linear/heads.ts';
import { canonicalParts } from '../src/scanners/shared/linear/parts.ts';
import { trainHead } from '../src/scanners/shared/linear/train-heads.ts';
import { NO_EXTRA, OVERALL_HEAD, TOXICITY_CATEGORIES, TOXICITY_TASK } from '../src/scanners/toxicity/analyze.ts';
import { canonicalize } from '../src/text/canonicalize.ts';
import { parseScriptArgs } from './script-args.ts';

const dataRoot = join(resolve(import.meta.dirname, '..'), '..', 'shared', 'data');
const MODERATION = 'moderation/train.jsonl';
const DAVIDSON = 'toxicity/train.jsonl';
const SEED = 20261126;
const BITS = 17;

interface Row {
  text: string;
  label: 0 | 1;
  categories: Record<string, unknown>;
}

function readRows(file: string): Row[] {
  const path = join(dataRoot, file);
  if (!existsSync(path)) throw new Error(`training data not found: ${path} (expected the shared data folder next to the repository)`);
  return readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '').map((line, index) => {
    const row = JSON.parse(line) as { text?: unknown; label?: unknown; categories?: unknown };
    if (typeof row.text !== 'string' || (row.label !== 0 && row.label !== 1)) throw new Error(`${path}:${index + 1}: expected text and label 0|1`);
    const categories = typeof row.categories === 'object' && row.categories !== null ? (row.categories as Record<string, unknown>) : {};
    return { text: row.text, label: row.label, categories };
  });
}

function main(): void {
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  const started = performance.now();
  const flags = parseScriptArgs(process.argv.slice(2), 'npm run train:toxicity --', 'Trains models/toxicity.json from ../shared/data (deterministic).', {
    '--moderation-only': { help: 'train on moderation/train.jsonl alone (no Davidson tweets)' },
  });
  const withDavidson = !flags.has('--moderation-only');
  const files = withDavidson ? [MODERATION, DAVIDSON] : [MODERATION];
  const moderation = readRows(MODERATION);
  const extra = withDavidson ? readRows(DAVIDSON) : [];
  log(`${TOXICITY_TASK}: ${moderation.length} moderation rows${withDavidson ? ` + ${extra.length} davidson rows (overall head only)` : ''}`);
  const vectorOf = (row: Row, label: 0 | 1): Example => toExample(canonicalParts(canonicalize(row.text)).join('\n'), NO_EXTRA, label, BITS);
  const moderationExamples = moderation.map((row) => vectorOf(row, row.label));
  const heads: HeadsFile['heads'] = {};
  const metrics: Record<string, unknown> = {};
  const hypers: Record<string, unknown> = {};
  const spec = { bits: BITS, dims: 1 << BITS, seed: SEED, operatingPoint: { kind: 'f1' as const }, grid: { l2: [1e-6, 1e-5], epochs: [6, 12] } };
  const jobs: { name: string; examples: Example[] }[] = [{ name: OVERALL_HEAD, examples: [...moderationExamples, ...extra.map((row) => vectorOf(row, row.label))] }];
  for (const category of TOXICITY_CATEGORIES) {
    const examples = moderation.flatMap((row, index) => {
      const label = row.categories[category];
      return label === 0 || label === 1 ? [{ vector: moderationExamples[index]!.vector, label: label as 0 | 1 }] : [];
    });
    const positives = examples.filter((example) => example.label === 1).length;
    if (positives < 20 || examples.length - positives < 20) {
      log(`  ${category}: ${examples.length} labelled rows, ${positives} positive: too few, no head`);
      continue;
    }
    jobs.push({ name: category, examples });
  }
  for (const job of jobs) {
    log(`  head ${job.name}: ${job.examples.length} rows, ${job.examples.filter((example) => example.label === 1).length} positive`);
    const { hyper, ...head } = trainHead(job.examples, spec, log);
    heads[job.name] = head;
    metrics[job.name] = head.metrics.outOfFold;
    hypers[job.name] = hyper;
    log(`  head ${job.name}: threshold=${head.threshold} outOfFold=${JSON.stringify(head.metrics.outOfFold)}`);
  }
  const hash = createHash('sha256');
  for (const file of files) hash.update(readFileSync(join(dataRoot, file)));
  const file: HeadsFile = {
    format: HEADS_FORMAT,
    task: TOXICITY_TASK,
    bits: BITS,
    extraFeatures: 0,
    featuresVersion: 'ngrams-only/1',
    trainedAt: 'deterministic',
    dataSha256: hash.digest('hex'),
    hyper: { heads: hypers, seed: SEED, files, operatingPoint: 'best F1 on out-of-fold scores (middle of the best range)', split: 'grid on a seeded 80/20 split per head; Platt + threshold on 5-fold out-of-fold scores; weights fitted on all rows', quantization: 'int8, square-root companding' },
    metrics: { outOfFold: metrics },
    heads,
  };
  mkdirSync(MODELS_DIR, { recursive: true });
  const out = join(MODELS_DIR, `${TOXICITY_TASK}.json`);
  writeFileSync(out, `${JSON.stringify(file)}\n`);
  log(`${TOXICITY_TASK}: wrote ${out} (${Object.keys(heads).join(', ')}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

main();
