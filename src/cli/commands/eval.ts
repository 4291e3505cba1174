import { EvalDataError, readRows } from '../../eval/dataset.ts';
import { createDetector, DETECTORS, evaluate, type DetectorName, type EvalReport } from '../../eval/evaluate.ts';
import { evaluateSpans, readSpanRows, selectSplit, SPLITS, type SplitName, type SpanReport } from '../../eval/spans.ts';
import { isTransform, TRANSFORMS } from '../../eval/transforms.ts';
import { detectPii } from '../../scanners/pii/detect.ts';
import { PII_TYPES } from '../../scanners/pii/entities.ts';
import { exitCodes, type CliIo } from '../io.ts';

export interface EvalOptions {
  detector?: string;
  data?: string;
  json?: boolean;
  threshold?: string;
  transform?: string;
  transformNegatives?: boolean;
  split?: string;
  category?: string;
}

function usage(io: CliIo, message: string): number {
  io.stderr(`bulwark eval: ${message}\n`);
  return exitCodes.usage;
}

/** `bulwark eval --detector D --data FILE.jsonl`: measures a detector on labelled data. */
export async function evalCommand(options: EvalOptions, io: CliIo): Promise<number> {
  const detector = options.detector;
  if (!detector || !(DETECTORS as readonly string[]).includes(detector)) return usage(io, `--detector must be one of ${DETECTORS.join(', ')}`);
  if (!options.data) return usage(io, '--data FILE.jsonl is required');
  let threshold: number | undefined;
  if (options.threshold !== undefined) {
    threshold = Number(options.threshold);
    if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1) return usage(io, `--threshold must be a number in [0,1], got ${JSON.stringify(options.threshold)}`);
    if (detector === 'input') return usage(io, '--threshold does not apply to --detector input (the default policy sets its own thresholds)');
  }
  if (options.transform !== undefined && !isTransform(options.transform)) return usage(io, `--transform must be one of ${TRANSFORMS.join(', ')}`);
  if (options.transformNegatives && options.transform === undefined) return usage(io, '--transform-negatives needs --transform <name> (the evasion to apply)');
  if (detector === 'pii') return evalPii(options, io);
  if (options.split !== undefined) return usage(io, '--split applies only to --detector pii');
  let rows;
  try {
    rows = readRows(options.data);
  } catch (error) {
    if (error instanceof EvalDataError) return usage(io, error.message);
    throw error;
  }
  if (options.category !== undefined) {
    const wanted = new Set(options.category.split(',').map((name) => name.trim()).filter((name) => name !== ''));
    rows = rows.filter((row) => wanted.has(row.category));
    if (rows.length === 0) return usage(io, `--category ${JSON.stringify(options.category)}: no rows of ${options.data} have that category`);
  }
  const report = await evaluate(rows, createDetector(detector as DetectorName, io.env), {
    detector,
    ...(threshold === undefined ? {} : { threshold }),
    ...(options.transform && isTransform(options.transform) ? { transform: options.transform, transformNegatives: options.transformNegatives === true } : {}),
  });
  io.stdout(options.json ? `${JSON.stringify(report)}\n` : renderHuman(report));
  return exitCodes.ok;
}

/** `--detector pii`: span metrics on `{text, spans}` rows, optionally on one part of the split. */
function evalPii(options: EvalOptions, io: CliIo): number {
  const split = options.split ?? 'all';
  if (!(SPLITS as readonly string[]).includes(split)) return usage(io, `--split must be one of ${SPLITS.join(', ')}`);
  if (options.threshold !== undefined || options.transform !== undefined || options.transformNegatives) return usage(io, '--threshold and --transform do not apply to --detector pii');
  let rows;
  try {
    rows = selectSplit(readSpanRows(options.data!), split as SplitName);
  } catch (error) {
    if (error instanceof EvalDataError) return usage(io, error.message);
    throw error;
  }
  // Every entity type, not the scanner's default set: the gold data labels DATE_TIME, TITLE, AGE and NRP too.
  const report = { detector: 'pii', split, types: 'all', ...evaluateSpans(rows, (text) => detectPii(text, { types: PII_TYPES })) };
  io.stdout(options.json ? `${JSON.stringify(report)}\n` : renderSpans(report));
  return exitCodes.ok;
}

function renderSpans(report: SpanReport & { split: string }): string {
  const f = (v: number): string => v.toFixed(3);
  const o = report.overall;
  const lines = [
    `detector pii  split ${report.split}  rows ${report.rows}  entity types: all (the scanner's default set leaves out DATE_TIME, TITLE, AGE, NRP)`,
    `overlap (type-agnostic): precision ${f(o.overlap.precision)}  recall ${f(o.overlap.recall)}  f1 ${f(o.overlap.f1)}`,
    `exact   (type-agnostic): precision ${f(o.exact.precision)}  recall ${f(o.exact.recall)}  f1 ${f(o.exact.f1)}`,
    `latency per sample: mean ${report.latency_ms.mean} ms  p50 ${report.latency_ms.p50} ms  p99 ${report.latency_ms.p99} ms`,
    '',
    'by type (typed matching)      gold   overlap P     R     F1   exact P     R     F1   recall (any type)',
  ];
  for (const [type, entry] of Object.entries(report.by_type)) {
    const a = entry.overlap;
    const e = entry.exact;
    const any = entry.recall_any_type === null ? '    -' : f(entry.recall_any_type);
    lines.push(`  ${type.padEnd(26)} ${String(entry.gold).padStart(5)}   ${f(a.precision)} ${f(a.recall)} ${f(a.f1)}   ${f(e.precision)} ${f(e.recall)} ${f(e.f1)}   ${any}`);
  }
  return `${lines.join('\n')}\n`;
}

function pct(value: number | null): string {
  return value === null ? '   -  ' : `${(value * 100).toFixed(1).padStart(5)}%`;
}

function renderHuman(report: EvalReport): string {
  const lines = [
    `detector ${report.detector}  threshold ${report.threshold ?? 'policy'}  transform ${report.transform ?? 'none'}${report.transform_negatives ? ' (positives and negatives)' : ''}`,
    `n ${report.n}  tp ${report.tp}  fp ${report.fp}  tn ${report.tn}  fn ${report.fn}`,
    `recall ${pct(report.tpr)}  fpr ${pct(report.fpr)}  precision ${pct(report.precision)}  f1 ${report.f1.toFixed(3)}  auc ${report.auc?.toFixed(4) ?? '-'}  recall@1%fpr ${pct(report.recall_at_1pct_fpr)}`,
    `latency per sample: p50 ${report.latency_ms.p50} ms  p99 ${report.latency_ms.p99} ms`,
    '',
    'by source:                                          n   recall     fpr',
  ];
  for (const [source, entry] of Object.entries(report.by_source)) lines.push(`  ${source.slice(0, 48).padEnd(48)} ${String(entry.n).padStart(5)}  ${pct(entry.tpr)}  ${pct(entry.fpr)}`);
  lines.push('by category:');
  for (const [category, entry] of Object.entries(report.by_category)) lines.push(`  ${category.slice(0, 48).padEnd(48)} ${String(entry.n).padStart(5)}  ${pct(entry.tpr)}  ${pct(entry.fpr)}`);
  if (Object.keys(report.by_label ?? {}).length > 0) lines.push('by label category (rows labelling it):           n   pos   recall     fpr  precision     f1     auc');
  for (const [label, entry] of Object.entries(report.by_label ?? {})) lines.push(`  ${label.slice(0, 44).padEnd(44)} ${String(entry.n).padStart(5)} ${String(entry.positives).padStart(5)}  ${pct(entry.recall)}  ${pct(entry.fpr)}     ${pct(entry.precision)}  ${entry.f1.toFixed(3)}  ${entry.auc?.toFixed(3) ?? '  -  '}`);
  return `${lines.join('\n')}\n`;
}
