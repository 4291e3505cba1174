/**
 * npm run train:injection [-- --task prompt-injection|indirect-injection] [--loso]
 *
 * Trains the injection classifiers from ../shared/data (train splits only; dev is never read),
 * and writes models/<task>.json. Deterministic: a fixed seed drives every shuffle and split.
 * Hyper-parameters are chosen on a held-back 20% of train, which also fits Platt scaling and the
 * threshold. --loso adds leave-one-source-out estimates (train on every other source).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { canonicalize } from '../src/text/canonicalize.ts';
import { inspect, type InjectionMode } from '../src/scanners/injection/detector.ts';
import { InjectionModel, MODEL_FORMAT, MODELS_DIR } from '../src/scanners/injection/model.ts';
import { SIGNATURE_FEATURES, SIGNATURES_VERSION } from '../src/scanners/injection/signatures.ts';
import { fit, margin, platt, rng, shuffled, toExample, type Example, type TrainOptions } from '../src/scanners/injection/train.ts';
import { onGrid } from '../src/scanners/injection/weight-grid.ts';
import { confusion, recallAtFpr, rocAuc, type Scored } from '../src/eval/metrics.ts';
import { sigmoid } from '../src/scanners/injection/model.ts';
import { partsOf, segmentProbability, trainSegments, type SegmentModel } from './train-segments.ts';
import { augmentExamples } from './augment-injection.ts';
import { GLOSS_VERSION } from '../src/scanners/injection/gloss.ts';
import { parseScriptArgs } from './script-args.ts';

const repoRoot = resolve(import.meta.dirname, '..');
const dataRoot = join(repoRoot, '..', 'shared', 'data');
const SEED = 20261125;
const BITS = 18;
/** The direct model's operating point on held-back train: under the 2% with a margin for a new sample. */
const TARGET_FPR = 0.015;
/** Documents: the operating point (FPR <= 0.02), on held-back clean documents. */
const DOC_TARGET_FPR = 0.02;

interface Row {
  text: string;
  label: 0 | 1;
  source: string;
  group: string;
}

function readRows(relative: string, groupOf: (source: string) => string): Row[] {
  const path = join(dataRoot, relative);
  if (!existsSync(path)) throw new Error(`training data not found: ${path} (expected the shared data folder next to the repository; see ../shared/data/README.md)`);
  return readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '').map((line, index) => {
    const row = JSON.parse(line) as { text?: unknown; label?: unknown; source?: unknown };
    if (typeof row.text !== 'string' || (row.label !== 0 && row.label !== 1)) throw new Error(`${path}:${index + 1}: expected text and label 0|1`);
    const source = typeof row.source === 'string' ? row.source : 'unknown';
    return { text: row.text, label: row.label, source, group: groupOf(source) };
  });
}

const TASKS: Record<string, { mode: InjectionMode; files: string[] }> = {
  'prompt-injection': { mode: 'direct', files: ['prompt-injection/train.jsonl'] },
  // The indirect model also sees the direct data: BIPIA alone has few clean emails and one
  // author's attack phrasing, and injected documents carry the same override intent.
  'indirect-injection': { mode: 'indirect', files: ['indirect-injection/train.jsonl', 'prompt-injection/train.jsonl'] },
};

/** Sources grouped for leave-one-out: the upstream dataset, or the BIPIA context. */
function groupOf(source: string): string {
  const parts = source.split(':');
  return parts[0] === 'bipia' ? `bipia:${parts[1]}` : parts[0]!;
}

function featurizeRows(rows: readonly Row[], mode: InjectionMode): Example[] {
  return rows.map((row) => {
    const inspection = inspect(canonicalize(row.text), mode);
    return toExample(inspection.text, inspection.ids, row.label, BITS);
  });
}

function scoreAll(weights: Float32Array, bias: number, examples: readonly Example[]): number[] {
  return examples.map((example) => margin(weights, bias, example.vector));
}

interface Trained {
  weights: Float32Array;
  bias: number;
  platt: { a: number; b: number };
  threshold: number;
  hyper: TrainOptions;
  holdout: Record<string, number | null>;
}

/** (AdaGrad learning rate, epochs) pairs of the grid; a smaller step over more epochs fits the rare wordings better. */
const GRID: readonly (readonly [number, number])[] = [[0.4, 6], [0.4, 12], [0.2, 20], [0.2, 30]];

/** Grid over L2, learning rate and epochs on the held-back split; the best recall at TARGET_FPR (then AUC) wins. */
function split(count: number): { fitIdx: number[]; heldIdx: number[] } {
  const order = shuffled(Array.from({ length: count }, (_, index) => index), rng(SEED));
  const cut = Math.floor(order.length * 0.8);
  return { fitIdx: order.slice(0, cut), heldIdx: order.slice(cut) };
}

function trainWithHoldout(examples: readonly Example[], log: (line: string) => void, augment?: (fitIdx: readonly number[]) => Example[]): Trained {
  const { fitIdx, heldIdx } = split(examples.length);
  const fitSet = fitIdx.map((index) => examples[index]!).concat(augment ? augment(fitIdx) : []);
  const heldSet = heldIdx.map((index) => examples[index]!);
  let best: (Trained & { key: [number, number] }) | undefined;
  for (const l2 of [1e-6, 1e-5]) {
    for (const [learningRate, epochs] of GRID) {
      const hyper: TrainOptions = { bits: BITS, dims: (1 << BITS) + SIGNATURE_FEATURES, epochs, learningRate, l2, seed: SEED };
      const fitted = fit(fitSet, hyper);
      const weights = onGrid(fitted.weights);
      const bias = fitted.bias;
      const margins = scoreAll(weights, bias, heldSet);
      const labels = heldSet.map((example) => example.label);
      const calibration = platt(margins, labels);
      const scored: Scored[] = margins.map((m, i) => ({ score: sigmoid(calibration.a * m + calibration.b), label: labels[i]! }));
      const atFpr = recallAtFpr(scored, TARGET_FPR);
      const auc = rocAuc(scored) ?? 0;
      const key: [number, number] = [atFpr?.recall ?? 0, auc];
      log(`  l2=${l2} lr=${learningRate} epochs=${epochs}: held-back recall@targetFPR=${key[0].toFixed(4)} auc=${auc.toFixed(4)}`);
      if (!best || key[0] > best.key[0] || (key[0] === best.key[0] && key[1] > best.key[1])) {
        const threshold = Math.min(0.99, Math.max(0.05, atFpr?.threshold ?? 0.5));
        const counts = confusion(scored, threshold);
        best = { weights, bias, platt: calibration, threshold, hyper, key, holdout: { n: heldSet.length, recall: counts.tpr, fpr: counts.fpr, f1: counts.f1, auc, recall_at_target_fpr: atFpr?.recall ?? null, recall_at_1pct_fpr: recallAtFpr(scored, 0.01)?.recall ?? null } };
      }
    }
  }
  return best!;
}

interface TaskModel {
  trained: Trained;
  segment: SegmentModel | null;
  threshold: number;
  /** Calibrated score of example `index` (document model, or the larger of it and the piece model). */
  score: (example: Example, parts: readonly string[] | undefined) => number;
  holdout: Record<string, number | null>;
}

const isDocument = (row: Row): boolean => row.source.startsWith('bipia:');

/**
 * The direct task is the document model alone. The indirect task adds the piece model; its
 * threshold is calibrated on held-back documents (1% FPR on clean BIPIA documents), not on prompt
 * negatives: an imperative sentence is normal in a user prompt and suspicious inside a document.
 */
/** Folds of the out-of-fold scores of clean fitted documents (a check of the shipped indirect threshold). */
const CLEAN_FOLDS = 5;

/**
 * Out-of-fold scores of the clean BIPIA documents in `fitIdx`: each fold's piece model is trained
 * without that fold's clean documents. Reported next to the held-back figures: the held-back 20%
 * has ~130 clean documents, where one document moves the threshold.
 */
function outOfFoldClean(rows: readonly Row[], parts: readonly string[][], fitIdx: readonly number[], heldIdx: readonly number[]): Scored[] {
  const clean = fitIdx.filter((index) => isDocument(rows[index]!) && rows[index]!.label === 0);
  const scored: Scored[] = [];
  for (let fold = 0; fold < CLEAN_FOLDS; fold++) {
    const out = new Set(clean.filter((_, k) => k % CLEAN_FOLDS === fold));
    const model = trainSegments(rows, parts, fitIdx.filter((index) => !out.has(index)), heldIdx, BITS, SEED);
    for (const index of out) scored.push({ score: segmentProbability(model, parts[index]!, BITS), label: 0 });
  }
  return scored;
}

function trainTask(rows: readonly Row[], examples: readonly Example[], parts: readonly string[][] | null, log: (line: string) => void, cleanFolds = false): TaskModel {
  // The direct model is augmented (evasions, synthetic adversarial suffixes); the indirect piece model reads views instead.
  const augment = parts ? undefined : (fitIdx: readonly number[]): Example[] => augmentExamples(rows, fitIdx, 'direct', BITS, SEED);
  const trained = trainWithHoldout(examples, log, augment);
  const docScore = (example: Example): number => sigmoid(trained.platt.a * margin(trained.weights, trained.bias, example.vector) + trained.platt.b);
  if (!parts) return { trained, segment: null, threshold: trained.threshold, score: docScore, holdout: trained.holdout };
  const { fitIdx, heldIdx } = split(examples.length);
  const segment = trainSegments(rows, parts, fitIdx, heldIdx, BITS, SEED);
  // The piece model alone decides: the whole-document model over-fires on clean emails and some
  // tables (it learned "imperative prose = attack" from the prompt data), the piece model does not.
  const score = (_example: Example, own: readonly string[] | undefined): number => (own ? segmentProbability(segment, own, BITS) : 0);
  const scoredOf = (indices: readonly number[]): Scored[] => indices.map((index) => ({ score: score(examples[index]!, parts[index]), label: examples[index]!.label }));
  const docs = scoredOf(heldIdx.filter((index) => isDocument(rows[index]!)));
  const prompts = scoredOf(heldIdx.filter((index) => !isDocument(rows[index]!) && parts[index]!.length > 0));
  const threshold = Math.min(0.99, Math.max(0.05, recallAtFpr(docs, DOC_TARGET_FPR)?.threshold ?? 0.5));
  // A second opinion on that threshold for the shipped model (not for the 20 LOSO trainings): out-of-fold
  // scores of the clean fitted documents, ~5x more clean documents than the held-back ones.
  const outOfFold = cleanFolds ? outOfFoldClean(rows, parts, fitIdx, heldIdx) : [];
  const oof: Record<string, number | null> = outOfFold.length > 0 ? { clean_oof_n: outOfFold.length, clean_oof_fpr: confusion(outOfFold, threshold).fpr, clean_oof_threshold_at_2pct: recallAtFpr(outOfFold.concat(docs.filter((d) => d.label === 1)), DOC_TARGET_FPR)?.threshold ?? null } : {};
  const counts = confusion(docs, threshold);
  const promptCounts = confusion(prompts, threshold);
  const holdout = { n: docs.length, recall: counts.tpr, fpr: counts.fpr, f1: counts.f1, auc: rocAuc(docs), recall_at_1pct_fpr: recallAtFpr(docs, 0.01)?.recall ?? null, prompt_recall: promptCounts.tpr, prompt_fpr: promptCounts.fpr, ...oof };
  log(`  piece model: held-back documents ${JSON.stringify(holdout)} threshold=${threshold.toFixed(4)}`);
  return { trained, segment, threshold, score, holdout };
}

function sha256(files: readonly string[]): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(readFileSync(join(dataRoot, file)));
  return hash.digest('hex');
}

function leaveOneSourceOut(rows: readonly Row[], examples: readonly Example[], parts: readonly string[][] | null, log: (line: string) => void): Record<string, unknown>[] {
  const groups = [...new Set(rows.map((row) => row.group))].sort();
  const results: Record<string, unknown>[] = [];
  for (const group of groups) {
    const insideIdx = rows.flatMap((row, index) => (row.group === group ? [index] : []));
    const outsideIdx = rows.flatMap((row, index) => (row.group !== group ? [index] : []));
    if (!outsideIdx.some((index) => examples[index]!.label === 1)) continue;
    const model = trainTask(outsideIdx.map((index) => rows[index]!), outsideIdx.map((index) => examples[index]!), parts ? outsideIdx.map((index) => parts[index]!) : null, () => {});
    const scored = insideIdx.map((index) => ({ score: model.score(examples[index]!, parts?.[index]), label: examples[index]!.label }));
    const counts = confusion(scored, model.threshold);
    // Also at 0.9, the blocking threshold of the default policy's direct-injection tier (src/config/defaults.ts).
    const high = confusion(scored, 0.9);
    const result = { group, n: insideIdx.length, positives: counts.tp + counts.fn, recall: counts.tp + counts.fn > 0 ? counts.tpr : null, fpr: counts.fp + counts.tn > 0 ? counts.fpr : null, auc: rocAuc(scored), recall_at_0_9: high.tp + high.fn > 0 ? high.tpr : null, fpr_at_0_9: high.fp + high.tn > 0 ? high.fpr : null };
    log(`  leave out ${group}: ${JSON.stringify(result)}`);
    results.push(result);
  }
  return results;
}

function main(): void {
  const flags = parseScriptArgs(process.argv.slice(2), 'npm run train:injection --', 'Trains models/prompt-injection.json and models/indirect-injection.json from ../shared/data (deterministic).', {
    '--task': { value: true, help: `train one model: ${Object.keys(TASKS).join(' | ')}` },
    '--loso': { help: 'also record leave-one-source-out estimates (slower)' },
  });
  const only = flags.get('--task') as string | undefined;
  if (only !== undefined && !(only in TASKS)) {
    process.stderr.write(`train:injection: --task expects one of ${Object.keys(TASKS).join(', ')}, got "${only}"\n`);
    process.exit(2);
  }
  const loso = flags.has('--loso');
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  mkdirSync(MODELS_DIR, { recursive: true });
  for (const [task, spec] of Object.entries(TASKS)) {
    if (only && only !== task) continue;
    const started = performance.now();
    const rows = spec.files.flatMap((file) => readRows(file, groupOf));
    log(`${task}: ${rows.length} rows from ${spec.files.join(', ')}`);
    const examples = featurizeRows(rows, spec.mode);
    const parts = spec.mode === 'indirect' ? rows.map((row) => (isDocument(row) || row.label === 1 ? partsOf(row.text) : [])) : null;
    const taskModel = trainTask(rows, examples, parts, log, true);
    const trained = taskModel.trained;
    const metrics: Record<string, unknown> = { holdout: trained.holdout, ...(taskModel.segment ? { documentHoldout: taskModel.holdout } : {}) };
    if (loso) {
      const results = leaveOneSourceOut(rows, examples, parts, log);
      const withRecall = results.filter((result) => typeof result.recall === 'number');
      const withFpr = results.filter((result) => typeof result.fpr === 'number');
      metrics.loso = {
        worstRecall: withRecall.sort((a, b) => (a.recall as number) - (b.recall as number))[0] ?? null,
        worstFpr: withFpr.sort((a, b) => (b.fpr as number) - (a.fpr as number))[0] ?? null,
        groups: results,
      };
    }
    const model = new InjectionModel(
      {
        format: MODEL_FORMAT,
        task,
        bits: BITS,
        signatureFeatures: SIGNATURE_FEATURES,
        signaturesVersion: SIGNATURES_VERSION,
        bias: trained.bias,
        platt: trained.platt,
        // Rounded up, so the stored threshold never admits a held-back negative the exact one excluded.
        threshold: Math.ceil(taskModel.threshold * 10_000) / 10_000,
        trainedAt: 'deterministic',
        dataSha256: sha256(spec.files),
        metrics,
        hyper: { ...trained.hyper, seed: SEED, targetFpr: TARGET_FPR, split: '80/20 seeded; Platt + threshold on the 20%', ...(spec.mode === 'direct' ? { glossVersion: GLOSS_VERSION } : {}) },
        ...(taskModel.segment ? { segment: { bias: taskModel.segment.bias, platt: taskModel.segment.platt } } : {}),
      },
      trained.weights,
      taskModel.segment?.weights ?? null,
    );
    const path = join(MODELS_DIR, `${task}.json`);
    writeFileSync(path, `${JSON.stringify(model.toFile())}\n`);
    log(`${task}: wrote ${path} threshold=${model.meta.threshold} holdout=${JSON.stringify(trained.holdout)} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

main();
