/**
 * Bulwark's injection detectors at two revisions, side by side in one process: the working tree
 * against `--base` (a git revision, checked out into a temporary worktree that is removed after).
 * Both `createDetector`s are loaded, warmed up for 2 s each, then scored over the dev set in
 * alternating order for `--passes` passes; a row's time is its median over the passes, so the
 * numbers compare code, not the machine's mood between two runs (on a shared VM, two separate runs
 * of one build differ by up to 1.5x). Also checks that both give the same score on every row.
 *
 *   npm run bench:detectors-ab -- --base=HEAD~1 [--passes=20] [--dataset=prompt-injection|indirect-injection]
 *
 * Prints per dataset: p50 and p99 of the per-row medians (µs), total time old/new (all rows and rows
 * over 3000 chars), score differences; then one JSON line.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchArgs } from './args.ts';
import { readRows } from '../src/eval/dataset.ts';
import { percentile } from '../src/eval/metrics.ts';

const args = new BenchArgs();
const base = args.string('base');
if (!base) throw new Error('bench: --base=REV is required (the git revision to compare the working tree with)');
const passes = args.number('passes', 20);
if (!Number.isInteger(passes) || passes < 2) throw new Error(`bench: --passes expects an integer >= 2, got ${passes}`);
const only = args.string('dataset');
const ROOT = new URL('..', import.meta.url).pathname;
const DATA = new URL('../../shared/data/', import.meta.url).pathname;
const DATASETS = ['prompt-injection', 'indirect-injection'] as const;
if (only && !(DATASETS as readonly string[]).includes(only)) throw new Error(`bench: --dataset expects one of ${DATASETS.join(', ')}, got ${JSON.stringify(only)}`);
const WARM_UP_MS = 2000;
const LONG = 3000;

type Score = (text: string, threshold: number | null) => Promise<{ score: number }>;
type Factory = (name: (typeof DATASETS)[number]) => { score: Score };

const tree = mkdtempSync(join(tmpdir(), 'bulwark-ab-'));
execFileSync('git', ['-C', ROOT, 'worktree', 'add', '--detach', '--quiet', tree, base], { stdio: 'inherit' });
try {
  symlinkSync(join(ROOT, 'node_modules'), join(tree, 'node_modules'));
  const oldModule = (await import(join(tree, 'src/eval/evaluate.ts'))) as { createDetector: Factory };
  const newModule = (await import(join(ROOT, 'src/eval/evaluate.ts'))) as { createDetector: Factory };
  const results = [];
  for (const name of only ? [only as (typeof DATASETS)[number]] : DATASETS) {
    const rows = readRows(`${DATA}${name}/dev.jsonl`);
    const sides = [oldModule.createDetector(name), newModule.createDetector(name)];
    const times = sides.map(() => rows.map(() => [] as number[]));
    const scores = sides.map(() => new Float64Array(rows.length));
    for (const detector of sides) {
      const started = performance.now();
      while (performance.now() - started < WARM_UP_MS) for (const row of rows) await detector.score(row.text, null);
    }
    for (let pass = 0; pass < passes; pass++) {
      for (const side of pass % 2 === 0 ? [0, 1] : [1, 0]) {
        const detector = sides[side]!;
        for (let i = 0; i < rows.length; i++) {
          const t0 = performance.now();
          const { score } = await detector.score(rows[i]!.text, null);
          times[side]![i]!.push(performance.now() - t0);
          scores[side]![i] = score;
        }
      }
    }
    const medians = times.map((perRow) => perRow.map((samples) => percentile(samples, 50) * 1000));
    const total = (side: number, keep: (i: number) => boolean): number => medians[side]!.reduce((sum, value, i) => (keep(i) ? sum + value : sum), 0);
    const long = (i: number): boolean => rows[i]!.text.length > LONG;
    let differences = 0;
    for (let i = 0; i < rows.length; i++) if (!Object.is(scores[0]![i], scores[1]![i])) differences++;
    const round = (value: number): number => Math.round(value * 10) / 10;
    const longRows = rows.filter((row) => row.text.length > LONG).length;
    results.push({
      dataset: name,
      rows: rows.length,
      p50_us: { old: round(percentile(medians[0]!, 50)), new: round(percentile(medians[1]!, 50)) },
      p99_us: { old: round(percentile(medians[0]!, 99)), new: round(percentile(medians[1]!, 99)) },
      old_over_new: { all: Math.round((total(0, () => true) / total(1, () => true)) * 100) / 100, long: longRows ? Math.round((total(0, long) / total(1, long)) * 100) / 100 : null },
      long_rows: longRows,
      score_differences: differences,
    });
  }
  console.log(`base ${base} vs working tree, ${passes} interleaved passes, per-row medians (µs)`);
  for (const r of results) {
    console.log(`${r.dataset.padEnd(20)} p50 ${r.p50_us.old} -> ${r.p50_us.new}   p99 ${r.p99_us.old} -> ${r.p99_us.new}   total old/new ${r.old_over_new.all} (rows > ${LONG} chars: ${r.old_over_new.long ?? 'none'})   score differences ${r.score_differences}/${r.rows}`);
  }
  console.log(JSON.stringify({ bench: 'detectors-ab', base, passes, results }));
} finally {
  execFileSync('git', ['-C', ROOT, 'worktree', 'remove', '--force', tree]);
  rmSync(tree, { recursive: true, force: true });
}
