import { EvalDataError, readRows } from '../../eval/dataset.ts';
import { createDetector, DETECTORS, evaluate, type DetectorName, type EvalReport } from '../../eval/evaluate.ts';
import { isTransform, TRANSFORMS } from '../../eval/transforms.ts';
import { exitCodes, type CliIo } from '../io.ts';

export interface EvalOptions {
  detector?: string;
  data?: string;
  json?: boolean;
  threshold?: string;
  transform?: string;
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
  let rows;
  try {
    rows = readRows(options.data);
  } catch (error) {
    if (error instanceof EvalDataError) return usage(io, error.message);
    throw error;
  }
  const report = await evaluate(rows, createDetector(detector as DetectorName, io.env), {
    detector,
    ...(threshold === undefined ? {} : { threshold }),
    ...(options.transform && isTransform(options.transform) ? { transform: options.transform } : {}),
  });
  io.stdout(options.json ? `${JSON.stringify(report)}\n` : renderHuman(report));
  return exitCodes.ok;
}

function pct(value: number | null): string {
  return value === null ? '   -  ' : `${(value * 100).toFixed(1).padStart(5)}%`;
}

function renderHuman(report: EvalReport): string {
  const lines = [
    `detector ${report.detector}  threshold ${report.threshold ?? 'policy'}  transform ${report.transform ?? 'none'}`,
    `n ${report.n}  tp ${report.tp}  fp ${report.fp}  tn ${report.tn}  fn ${report.fn}`,
    `recall ${pct(report.tpr)}  fpr ${pct(report.fpr)}  precision ${pct(report.precision)}  f1 ${report.f1.toFixed(3)}  auc ${report.auc?.toFixed(4) ?? '-'}  recall@1%fpr ${pct(report.recall_at_1pct_fpr)}`,
    `latency per sample: p50 ${report.latency_ms.p50} ms  p99 ${report.latency_ms.p99} ms`,
    '',
    'by source:                                          n   recall     fpr',
  ];
  for (const [source, entry] of Object.entries(report.by_source)) lines.push(`  ${source.slice(0, 48).padEnd(48)} ${String(entry.n).padStart(5)}  ${pct(entry.tpr)}  ${pct(entry.fpr)}`);
  lines.push('by category:');
  for (const [category, entry] of Object.entries(report.by_category)) lines.push(`  ${category.slice(0, 48).padEnd(48)} ${String(entry.n).padStart(5)}  ${pct(entry.tpr)}  ${pct(entry.fpr)}`);
  return `${lines.join('\n')}\n`;
}
