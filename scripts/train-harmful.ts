/**
 * npm run train:harmful [-- --harmful-only] [-- --out PATH]
 *
 * Trains the safety/harmful classifier and writes models/harmful.json. Rows: harmful/train.jsonl,
 * plus (unless --harmful-only) the `benign` label-0 rows of prompt-injection/train.jsonl other
 * than gsm8k (general chat, voice-assistant, coding and role-play requests) as extra negatives:
 * harmful/train's negatives are maths, persona prompts and sensitive-sounding questions only, and
 * a model trained on them flags ordinary short requests ("set an alarm for 7"). Dev files are
 * never read (the general-chat rows train the `general` heads only; the `specialist` heads learn
 * from harmful/train alone, see MEMBERS). Deterministic: a fixed seed drives every shuffle and split.
 * The L2 grid is chosen on a seeded 80/20 split; Platt scaling and the threshold on 10-fold
 * out-of-fold scores: at most 3% FPR over all negatives, over harmful/train's negatives, and over
 * the general-chat negatives, and at most 4% over harmful/train's hard negatives (`benign_hard`).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MODELS_DIR, sigmoid } from '../src/scanners/injection/model.ts';
import { featurize } from '../src/scanners/injection/features.ts';
import { HARMFUL_HEAD, HARMFUL_TASK } from '../src/scanners/harmful/analyze.ts';
import { CUE_FEATURES, CUES_VERSION, harmfulCues, TOPIC_FEATURES } from '../src/scanners/harmful/cues.ts';
import { dequantize, HEADS_FORMAT, type HeadsFile } from '../src/scanners/shared/linear/heads.ts';
import { margin } from '../src/scanners/injection/train.ts';
import { canonicalParts } from '../src/scanners/shared/linear/parts.ts';
import { trainCombination, trainHead, type HeadSpec } from '../src/scanners/shared/linear/train-heads.ts';
import { canonicalize } from '../src/text/canonicalize.ts';
import { parseScriptArgs } from './script-args.ts';

const dataRoot = join(resolve(import.meta.dirname, '..'), '..', 'shared', 'data');
const FILE = 'harmful/train.jsonl';
const EXTRA_NEGATIVES = 'prompt-injection/train.jsonl';
/** Our own hand-written rows (sensitive-sounding help, safety and fiction requests beside contrastive harmful ones). */
const HANDWRITTEN = join(resolve(import.meta.dirname), 'harmful-negatives.txt');
const SEED = 20261126;
const BITS = 19;
/**
 * Four weight heads over 2^19 hashed buckets with skip-bigrams, and a salted copy of the hashed
 * features when a hazard phrase matched (topical texts get weights of their own), plus the dense
 * cue flags and the hashed request-shape block of `harmfulCues` (opening/closing words, length).
 * `general` heads learn from every row, `specialist` heads from harmful/train only (sharper on
 * sensitive-sounding requests, but blind to everyday chat); each pair is word n-grams only (char grams dilute the few
 * words of a short request) and words + char grams (robust to split and misspelt words). The
 * `harmful` head is the minimum of the two pairs' standardised sums: both must agree. See ADR 0009.
 */
const MEMBERS: readonly { name: string; charGrams: boolean; specialist: boolean }[] = [
  { name: 'words', charGrams: false, specialist: false },
  { name: 'chars', charGrams: true, specialist: false },
  { name: 'specialistWords', charGrams: false, specialist: true },
  { name: 'specialistChars', charGrams: true, specialist: true },
];
const SKIP_GRAMS = 3;
/**
 * Cross-fitting folds for the out-of-fold scores that Platt scaling and the threshold are fitted
 * on. Ten, not five: each fold model then learns from 90% of the rows, so its scores (and the
 * threshold chosen on them) are closer to those of the shipped model fitted on all rows; with five
 * the threshold came out stricter than needed (out-of-fold FPR 3% became 2.1% on held-out rows).
 */
const FOLDS = 10;
const MAX_FPR = 0.03;
const MAX_HARD_FPR = 0.04;

interface Row {
  text: string;
  label: 0 | 1;
  category: string;
  source: string;
  /** From the extra-negatives file. */
  extra: boolean;
}

function readRows(path: string, extra: boolean): Row[] {
  if (!existsSync(path)) throw new Error(`training data not found: ${path} (expected the shared data folder next to the repository)`);
  return readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '').map((line, index) => {
    const row = JSON.parse(line) as { text?: unknown; label?: unknown; category?: unknown; source?: unknown };
    if (typeof row.text !== 'string' || (row.label !== 0 && row.label !== 1)) throw new Error(`${path}:${index + 1}: expected text and label 0|1`);
    return { text: row.text, label: row.label, category: typeof row.category === 'string' ? row.category : 'unknown', source: typeof row.source === 'string' ? row.source : 'unknown', extra };
  });
}

/** `label<TAB>text` lines of scripts/harmful-negatives.txt; # starts a comment. */
function readHandwritten(path: string): Row[] {
  return readFileSync(path, 'utf8').split('\n').flatMap((line, index) => {
    if (line.trim() === '' || line.startsWith('#')) return [];
    const match = /^([01])\t(.+)$/.exec(line);
    if (!match) throw new Error(`${path}:${index + 1}: expected "0<TAB>text" or "1<TAB>text"`);
    const label = match[1] === '1' ? 1 : 0;
    return [{ text: match[2]!.trim(), label, category: label === 1 ? 'harmful_request' : 'handwritten', source: 'bulwark:handwritten', extra: false }];
  });
}

/** Operating-point rules over rows; `rowOf(i)` maps a head's example position to its row. */
function specFor(rows: readonly Row[], rowOf: (position: number) => number): HeadSpec {
  return {
    bits: BITS,
    dims: (1 << BITS) + CUE_FEATURES,
    seed: SEED,
    operatingPoint: { kind: 'fpr', maxFpr: MAX_FPR },
    grid: { l2: [1e-4, 3e-4], epochs: [20] },
    negativeGroups: [
      { name: 'harmful/train', isMember: (position) => !rows[rowOf(position)]!.extra, maxFpr: MAX_FPR },
      { name: 'benign_hard', isMember: (position) => !rows[rowOf(position)]!.extra && rows[rowOf(position)]!.category === 'benign_hard', maxFpr: MAX_HARD_FPR },
      { name: 'general chat', isMember: (position) => rows[rowOf(position)]!.extra, maxFpr: MAX_FPR },
    ],
  };
}

function main(): void {
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  const started = performance.now();
  const flags = parseScriptArgs(process.argv.slice(2), 'npm run train:harmful --', 'Trains models/harmful.json from ../shared/data (deterministic).', {
    '--harmful-only': { help: 'train on harmful/train.jsonl alone (no general-chat negatives)' },
    '--out': { value: true, help: 'write the model here instead of models/harmful.json (experiments)' },
    '--no-handwritten': { help: 'leave out scripts/harmful-negatives.txt (ablation)' },
    '--oof': { value: true, help: 'also write every training row with its out-of-fold score (JSONL: text, label, source, score) here, for error analysis on train' },
  });
  const harmfulOnly = flags.has('--harmful-only');
  const files = harmfulOnly ? [FILE] : [FILE, EXTRA_NEGATIVES];
  const rows = readRows(join(dataRoot, FILE), false);
  if (!flags.has('--no-handwritten')) {
    const own = readHandwritten(HANDWRITTEN);
    rows.push(...own);
    log(`${HARMFUL_TASK}: + ${own.length} hand-written rows from scripts/harmful-negatives.txt`);
  }
  const seen = new Set(rows.map((row) => row.text));
  if (!harmfulOnly) {
    const extra = readRows(join(dataRoot, EXTRA_NEGATIVES), true).filter((row) => row.label === 0 && row.category === 'benign' && !row.source.startsWith('gsm8k') && !seen.has(row.text));
    rows.push(...extra);
    log(`${HARMFUL_TASK}: + ${extra.length} general-chat negatives from ${EXTRA_NEGATIVES}`);
  }
  log(`${HARMFUL_TASK}: ${rows.length} rows`);
  const texts = rows.map((row) => canonicalParts(canonicalize(row.text)).join('\n'));
  const cueIds = texts.map((text) => harmfulCues(text).ids);
  const labels = rows.map((row) => row.label);
  const margins = new Map<string, readonly number[]>();
  const heads: HeadsFile['heads'] = {};
  const hypers: Record<string, unknown> = {};
  for (const { name, charGrams, specialist } of MEMBERS) {
    log(`  head ${name} (char grams ${charGrams ? 'on' : 'off'}, ${specialist ? 'harmful/train rows only' : 'all rows'})`);
    const indices = rows.flatMap((row, index) => (specialist && row.extra ? [] : [index]));
    const vectors = rows.map((_, index) => featurize(texts[index]!, { bits: BITS, extra: cueIds[index]!, charGrams, skipGrams: SKIP_GRAMS, topicCopy: cueIds[index]!.some((id) => id < TOPIC_FEATURES) }));
    const examples = indices.map((index) => ({ vector: vectors[index]!, label: rows[index]!.label }));
    const spec = specFor(rows, (position) => indices[position]!);
    let outOfFold: readonly number[] = [];
    const { hyper, ...head } = trainHead(examples, spec, log, FOLDS, (values) => (outOfFold = values));
    // Rows the head never trained on (a specialist's general-chat rows) are scored by its final weights.
    const weights = dequantize(new Int8Array(Buffer.from(head.weights, 'base64')), head.scale);
    const all = rows.map((_, index) => margin(weights, head.bias, vectors[index]!));
    indices.forEach((index, position) => (all[index] = outOfFold[position]!));
    margins.set(name, all);
    heads[name] = { ...head, charGrams, skipGrams: SKIP_GRAMS, topicCopy: true };
    hypers[name] = hyper;
  }
  const spec = specFor(rows, (index) => index);
  const members = (names: readonly string[]) => names.map((name) => ({ name, outOfFold: margins.get(name)! }));
  for (const [name, of] of [['general', ['words', 'chars']], ['specialist', ['specialistWords', 'specialistChars']]] as const) {
    heads[name] = { ...trainCombination(members(of), labels, spec, log, 'sum', (values) => margins.set(name, values)), weights: '' };
  }
  let combined: readonly number[] = [];
  const combination = trainCombination(members(['general', 'specialist']), labels, spec, log, 'min', (values) => (combined = values));
  const oof = flags.get('--oof');
  if (typeof oof === 'string') {
    const { a, b } = combination.platt;
    writeFileSync(oof, rows.map((row, index) => JSON.stringify({ text: row.text, label: row.label, source: row.source, score: Number(sigmoid(a * combined[index]! + b).toFixed(4)) })).join('\n') + '\n');
    log(`${HARMFUL_TASK}: out-of-fold scores written to ${oof} (threshold ${combination.threshold})`);
  }
  heads[HARMFUL_HEAD] = { ...combination, weights: '' };
  const file: HeadsFile = {
    format: HEADS_FORMAT,
    task: HARMFUL_TASK,
    bits: BITS,
    extraFeatures: CUE_FEATURES,
    topicFeatures: TOPIC_FEATURES,
    featuresVersion: CUES_VERSION,
    trainedAt: 'deterministic',
    dataSha256: [...files.map((file) => join(dataRoot, file)), ...(flags.has('--no-handwritten') ? [] : [HANDWRITTEN])].reduce((hash, path) => hash.update(readFileSync(path)), createHash('sha256')).digest('hex'),
    hyper: { heads: hypers, files, seed: SEED, skipGrams: SKIP_GRAMS, maxFpr: MAX_FPR, maxHardFpr: MAX_HARD_FPR, split: `grid on a seeded 80/20 split; Platt + threshold on ${FOLDS}-fold out-of-fold scores; weights fitted on all of train`, quantization: 'int8, square-root companding' },
    metrics: { outOfFold: combination.metrics.outOfFold },
    heads,
  };
  const given = flags.get('--out');
  const out = typeof given === 'string' ? resolve(given) : join(MODELS_DIR, `${HARMFUL_TASK}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(file)}\n`);
  log(`${HARMFUL_TASK}: wrote ${out} threshold=${combination.threshold} outOfFold=${JSON.stringify(combination.metrics.outOfFold)} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

main();
