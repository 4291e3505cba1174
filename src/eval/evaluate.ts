/**
 * `bulwark eval`: scores every row with one detector and reports confusion counts, AUC, recall at
 * 1% FPR, per-source/per-category breakdowns and per-sample latency (after a warm-up).
 */
import pino from 'pino';
import { defaultConfig } from '../config/load.ts';
import { decide } from '../policy/decide.ts';
import { compilePolicy } from '../proxy/gateway.ts';
import { createInjectionScanner, InjectionConfig } from '../scanners/injection/scanner.ts';
import type { ScanContext, ScanSegment } from '../scanners/types.ts';
import { canonicalize } from '../text/canonicalize.ts';
import type { Origin } from '../wire/types.ts';
import type { EvalRow } from './dataset.ts';
import { confusion, percentile, recallAtFpr, rocAuc, type Confusion, type Scored } from './metrics.ts';
import { applyTransform, type TransformName } from './transforms.ts';
import { byLabel, type CategoryVerdicts, type LabelBreakdown } from './label-categories.ts';
import { createSafetyDetector } from './safety-detectors.ts';
import { createSecretsDetector } from './secrets-detector.ts';

/** `pii` is a span detector: rows are `{text, spans}` and the report comes from `spans.ts`. */
export const DETECTORS = ['prompt-injection', 'indirect-injection', 'input', 'pii', 'harmful', 'toxicity', 'secrets'] as const;
export type DetectorName = (typeof DETECTORS)[number];

/** A scored sample: `flagged` is the detector's own verdict at its threshold. */
interface Verdict {
  score: number;
  flagged: boolean;
  /** Per-category verdicts (toxicity), reported in `by_label` for rows that carry `categories`. */
  categories?: CategoryVerdicts;
}

export interface Detector {
  /** The threshold used when none is given (null: the detector decides, e.g. the whole policy). */
  defaultThreshold: number | null;
  score(text: string, threshold: number | null): Promise<Verdict>;
}

/** Evaluation never aborts a scan: one signal serves every row (a controller per row was ~4% of a short row). */
const NEVER_ABORTED = new AbortController().signal;

function context(): ScanContext {
  return { requestId: 'eval', signal: NEVER_ABORTED, state: new Map() };
}

function segmentOf(text: string, origin: Origin): ScanSegment {
  return { id: 's0', role: origin === 'tool' ? 'tool' : 'user', origin, text, canonical: canonicalize(text) };
}

/** Builds a detector: one scanner with its default config, or the default policy's request phase. */
export function createDetector(name: DetectorName, env: NodeJS.ProcessEnv = {}): Detector {
  if (name === 'pii') throw new Error('pii is a span detector: score it with evaluateSpans (src/eval/spans.ts)');
  if (name === 'input') {
    const runner = compilePolicy(defaultConfig(env), pino({ level: 'silent' }), '.');
    return {
      defaultThreshold: null,
      async score(text) {
        const segments = [segmentOf(text, 'user')];
        const runs = await runner.run('request', segments, { requestId: 'eval', state: new Map() });
        const verdict = decide(runs, segments);
        let score = 0;
        for (const run of runs) score = Math.max(score, run.result?.score ?? 0);
        return { score, flagged: verdict.decision === 'block' || verdict.decision === 'flag' };
      },
    };
  }
  if (name === 'harmful' || name === 'toxicity') return createSafetyDetector(name);
  if (name === 'secrets') return createSecretsDetector();
  const task = name;
  const scanner = createInjectionScanner(InjectionConfig.parse({}), task === 'prompt-injection' ? 'direct' : 'indirect', task);
  const origin: Origin = task === 'prompt-injection' ? 'user' : 'document';
  const threshold = scanner.model?.meta.threshold ?? 0.5;
  return {
    defaultThreshold: threshold,
    async score(text, given) {
      const result = scanner.scan({ phase: 'request', segments: [segmentOf(text, origin)] }, context());
      const score = result.score ?? 0;
      return { score, flagged: score >= (given ?? threshold) };
    },
  };
}

interface Breakdown {
  n: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  tpr: number | null;
  fpr: number | null;
}

export interface EvalReport extends Confusion {
  detector: string;
  threshold: number | null;
  transform: string | null;
  /** Whether the transform was applied to the negatives too (`--transform-negatives`). */
  transform_negatives: boolean;
  auc: number | null;
  recall_at_1pct_fpr: number | null;
  latency_ms: { p50: number; p99: number };
  by_source: Record<string, Breakdown>;
  by_category: Record<string, Breakdown>;
  /** Per label category (rows with `categories`, detectors with per-category verdicts); empty otherwise. */
  by_label: Record<string, LabelBreakdown>;
}

function breakdown(rows: readonly EvalRow[], flags: readonly boolean[], key: (row: EvalRow) => string): Record<string, Breakdown> {
  const out: Record<string, Breakdown> = {};
  rows.forEach((row, index) => {
    const entry = (out[key(row)] ??= { n: 0, tp: 0, fp: 0, tn: 0, fn: 0, tpr: null, fpr: null });
    entry.n++;
    const flagged = flags[index]!;
    if (row.label === 1) flagged ? entry.tp++ : entry.fn++;
    else flagged ? entry.fp++ : entry.tn++;
  });
  for (const entry of Object.values(out)) {
    entry.tpr = entry.tp + entry.fn > 0 ? entry.tp / (entry.tp + entry.fn) : null;
    entry.fpr = entry.fp + entry.tn > 0 ? entry.fp / (entry.fp + entry.tn) : null;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

const WARM_UP = 25;

/**
 * Scores the rows and computes the report. `transform` is applied to the positives (how much recall an
 * evasion costs), and to the negatives too with `transformNegatives` (how often benign text under that
 * evasion is flagged).
 */
export async function evaluate(rows: readonly EvalRow[], detector: Detector, options: { detector: string; threshold?: number; transform?: TransformName; transformNegatives?: boolean }): Promise<EvalReport> {
  const { transform } = options;
  const negativesToo = transform !== undefined && options.transformNegatives === true;
  const texts = rows.map((row) => (transform !== undefined && (row.label === 1 || negativesToo) ? applyTransform(transform, row.text) : row.text));
  const threshold = options.threshold ?? detector.defaultThreshold;
  for (const text of texts.slice(0, WARM_UP)) await detector.score(text, threshold);
  const scored: Scored[] = [];
  const flags: boolean[] = [];
  const perCategory: (CategoryVerdicts | undefined)[] = [];
  const latencies: number[] = [];
  for (let index = 0; index < rows.length; index++) {
    const started = performance.now();
    const verdict = await detector.score(texts[index]!, threshold);
    latencies.push(performance.now() - started);
    scored.push({ score: verdict.score, label: rows[index]!.label });
    flags.push(verdict.flagged);
    perCategory.push(verdict.categories);
  }
  // Counts come from the detector's own verdicts, so `input` reflects the policy's decision.
  const counts = confusion(flags.map((flagged, index) => ({ score: flagged ? 1 : 0, label: scored[index]!.label })), 0.5);
  const round = (value: number): number => Math.round(value * 1000) / 1000;
  return {
    detector: options.detector,
    threshold,
    transform: options.transform ?? null,
    transform_negatives: negativesToo,
    ...counts,
    auc: rocAuc(scored),
    recall_at_1pct_fpr: recallAtFpr(scored, 0.01)?.recall ?? null,
    latency_ms: { p50: round(percentile(latencies, 50)), p99: round(percentile(latencies, 99)) },
    by_source: breakdown(rows, flags, (row) => row.source),
    by_category: breakdown(rows, flags, (row) => row.category),
    by_label: byLabel(rows, perCategory),
  };
}
