/**
 * Secrets evaluation on the deterministic tune/measure split of ADR 0007: rows are assigned by a
 * hash of their `file` field (lines of one sample file are correlated, so they stay together),
 * about 60% of files to `tune` and 40% to `measure`. Prints precision, recall and F1 per part.
 *
 *   node --import tsx scripts/eval-secrets-split.ts [FILE.jsonl] [--errors tune|measure]
 */
import { readFileSync } from 'node:fs';
import { createSecretsDetector } from '../src/eval/secrets-detector.ts';
import { evaluate } from '../src/eval/evaluate.ts';
import type { EvalRow } from '../src/eval/dataset.ts';

/** FNV-1a (32-bit) of a string. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** `tune` for about 60% of sample files, `measure` for the rest. */
export function partOf(file: string): 'tune' | 'measure' {
  return fnv1a(file) % 100 < 60 ? 'tune' : 'measure';
}

const args = process.argv.slice(2);
const errorsIndex = args.indexOf('--errors');
const showErrors = errorsIndex >= 0 ? args[errorsIndex + 1] : undefined;
const path = args.find((arg, index) => !arg.startsWith('--') && index !== errorsIndex + 1) ?? '../shared/data/secrets/train.jsonl';
const rows = readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as { text: string; label: 0 | 1; file?: string });
const parts = { tune: [] as EvalRow[], measure: [] as EvalRow[], all: [] as EvalRow[] };
const files = { tune: new Set<string>(), measure: new Set<string>() };
for (const row of rows) {
  const file = row.file ?? '';
  const part = partOf(file);
  const evalRow: EvalRow = { text: row.text, label: row.label, category: part, source: file };
  parts[part].push(evalRow);
  parts.all.push(evalRow);
  files[part].add(file);
}
console.log(`files: tune ${files.tune.size}, measure ${files.measure.size}`);
console.log('part       rows   pos   tp   fp   fn  precision  recall     f1   p50 ms');
const detector = createSecretsDetector();
for (const [name, partRows] of Object.entries(parts)) {
  const report = await evaluate(partRows, detector, { detector: 'secrets' });
  const pos = partRows.filter((row) => row.label === 1).length;
  console.log(`${name.padEnd(8)} ${String(report.n).padStart(6)} ${String(pos).padStart(5)} ${String(report.tp).padStart(4)} ${String(report.fp).padStart(4)} ${String(report.fn).padStart(4)}  ${report.precision.toFixed(3).padStart(9)}  ${report.tpr.toFixed(3).padStart(6)}  ${report.f1.toFixed(3)}  ${report.latency_ms.p50}`);
}
if (showErrors === 'tune' || showErrors === 'measure') {
  for (const row of parts[showErrors]) {
    const verdict = await detector.score(row.text, null);
    if (verdict.flagged !== (row.label === 1)) console.log(`${row.label === 1 ? 'FN' : 'FP'} ${row.source.slice(0, 22).padEnd(22)} ${JSON.stringify(row.text.slice(0, 140))}`);
  }
}
