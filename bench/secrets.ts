/**
 * Secrets detectors side by side on one labelled JSONL file (rows `text`, `label`): Bulwark's
 * `detectSecrets`, secretlint with its recommended preset, and hai-guardrails' secret guard.
 * Each scores every line on its own (a line is flagged when the detector reports anything;
 * Bulwark: any finding scored at least 0.5). Prints one table, then one JSON line.
 *
 *   npm run bench:secrets [-- FILE.jsonl]      (default ../shared/data/secrets/train.jsonl)
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { lintSource } from '@secretlint/core';
import { creator as recommended } from '@secretlint/secretlint-rule-preset-recommend';
import { GuardrailsEngine, secretGuard, SelectionType } from '@presidio-dev/hai-guardrails';
import { compileSecretDetector } from '../src/scanners/secrets/detect.ts';
import { SECRETS_THRESHOLD } from '../src/eval/secrets-detector.ts';

interface Row {
  text: string;
  label: 0 | 1;
}

interface Result {
  name: string;
  precision: number;
  recall: number;
  f1: number;
  msPerLine: number;
  tp: number;
  fp: number;
  fn: number;
  note?: string;
}

const WARM_UP = 25;

async function measure(name: string, rows: readonly Row[], flag: (text: string) => Promise<boolean> | boolean): Promise<Result> {
  for (const row of rows.slice(0, WARM_UP)) await flag(row.text);
  let tp = 0, fp = 0, fn = 0;
  const started = performance.now();
  for (const row of rows) {
    const flagged = await flag(row.text);
    if (flagged && row.label === 1) tp++;
    else if (flagged) fp++;
    else if (row.label === 1) fn++;
  }
  const msPerLine = (performance.now() - started) / rows.length;
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { name, precision, recall, f1, msPerLine, tp, fp, fn };
}

const file = resolve(process.argv.slice(2).find((arg) => !arg.startsWith('-')) ?? '../shared/data/secrets/train.jsonl');
const rows: Row[] = readFileSync(file, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Row);

const bulwark = compileSecretDetector();
const secretlintConfig = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: recommended }] };
const hai = new GuardrailsEngine({ guards: [secretGuard({ selection: SelectionType.All, mode: 'block' })], logLevel: 'silent' });

const results: Result[] = [
  await measure('bulwark data/secrets', rows, (text) => bulwark.detect(text).some((finding) => finding.score >= SECRETS_THRESHOLD)),
  await measure('secretlint preset-recommend', rows, async (text) => {
    const result = await lintSource({ source: { content: text, filePath: 'line.txt', ext: '.txt', contentType: 'text' }, options: { config: secretlintConfig as never, noPhysicFilePath: true, maskSecrets: true } });
    return result.messages.length > 0;
  }),
  await measure('hai-guardrails secretGuard', rows, async (text) => {
    const result = await hai.run([{ role: 'user', content: text }]);
    return result.messagesWithGuardResult.some((guard) => guard.messages.some((message) => !message.passed));
  }),
];

console.log(`secrets benchmark: ${rows.length} lines (${rows.filter((row) => row.label === 1).length} positive) from ${file}`);
console.log('detector                         precision  recall     f1   ms/line    tp    fp    fn');
for (const r of results) {
  console.log(`${r.name.padEnd(32)} ${r.precision.toFixed(3).padStart(9)}  ${r.recall.toFixed(3).padStart(6)}  ${r.f1.toFixed(3)}  ${r.msPerLine.toFixed(3).padStart(8)}  ${String(r.tp).padStart(4)}  ${String(r.fp).padStart(4)}  ${String(r.fn).padStart(4)}`);
}
console.log('detect-secrets (npm)             not run: the npm package only launches the Python detect-secrets tool, which cannot be installed here (no Python packages).');
console.log(JSON.stringify({ bench: 'secrets', lines: rows.length, results: results.map((r) => ({ ...r, precision: +r.precision.toFixed(4), recall: +r.recall.toFixed(4), f1: +r.f1.toFixed(4), msPerLine: +r.msPerLine.toFixed(4) })) }));
