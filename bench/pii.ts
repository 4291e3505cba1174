/**
 * PII benchmark: Bulwark's detectPii against the installed peers on ../shared/data/pii/train.jsonl
 * (the `measure` part and the whole file), with the same type-agnostic overlap metric as
 * `bulwark eval --detector pii`; then Bulwark's single-core throughput on the corpus repeated
 * to >= 5 MB. Prints a table, then one JSON line.
 *
 *   npm run bench:pii [-- --data FILE]
 */
import os from 'node:os';
import { readSpanRows, selectSplit, spanCounts, type SpanRow } from '../src/eval/spans.ts';
import { detectPii, PII_TYPES } from '../src/scanners/pii/index.ts';
import { loadPeers, type PeerSpan } from './pii-peers.ts';

const args = process.argv.slice(2);
const at = args.indexOf('--data');
const DATA = at >= 0 && args[at + 1] ? args[at + 1]! : new URL('../../shared/data/pii/train.jsonl', import.meta.url).pathname;

interface Row {
  tool: string;
  part: string;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  ms_per_row: number | null;
  note?: string;
}

async function measure(tool: string, part: string, rows: readonly SpanRow[], detect: (text: string) => Promise<PeerSpan[]> | PeerSpan[]): Promise<Row> {
  const pairs: { gold: SpanRow['spans']; predicted: PeerSpan[] }[] = [];
  const started = performance.now();
  for (const row of rows) pairs.push({ gold: row.spans, predicted: await detect(row.text) });
  const elapsed = performance.now() - started;
  const counts = spanCounts(pairs, { exact: false, typed: false });
  return { tool, part, precision: counts.precision, recall: counts.recall, f1: counts.f1, ms_per_row: Math.round((elapsed / rows.length) * 1000) / 1000 };
}

const all = readSpanRows(DATA);
const parts: [string, SpanRow[]][] = [
  ['measure', selectSplit(all, 'measure')],
  ['all', all],
];
const results: Row[] = [];
// All types (the gold data labels DATE_TIME, TITLE, AGE, NRP too) and the scanner's default set.
const bulwarkAll = (text: string): PeerSpan[] => detectPii(text, { types: PII_TYPES });
const bulwarkDefault = (text: string): PeerSpan[] => detectPii(text);
for (const [part, rows] of parts) {
  for (const row of rows.slice(0, 50)) bulwarkAll(row.text);
  results.push(await measure('bulwark data/pii (all types)', part, rows, bulwarkAll));
  results.push(await measure('bulwark data/pii (default set)', part, rows, bulwarkDefault));
}
const { peers, failed } = await loadPeers();
for (const peer of peers) for (const [part, rows] of parts) results.push(await measure(peer.name, part, rows, (text) => peer.detect(text)));
for (const failure of failed) results.push({ tool: failure.name, part: '-', precision: null, recall: null, f1: null, ms_per_row: null, note: `failed: ${failure.reason}` });

// Throughput of the default set (wall and CPU time, since the machine may be shared): the corpus texts cycled until >= 5 MB of UTF-8 has been scanned, one call per text.
const TARGET = 5 * 1024 * 1024;
const bytes = all.map((row) => Buffer.byteLength(row.text, 'utf8'));
// Warm up with as many calls as are timed: after the peers have run for seconds, V8 may have
// flushed Bulwark's compiled code, and 200 calls timed the recompilation (background compiler
// threads count as CPU time) more than the scanning.
let scanned = 0;
let calls = 0;
while (scanned < TARGET) {
  const k = calls++ % all.length;
  detectPii(all[k]!.text);
  scanned += bytes[k]!;
}
scanned = 0;
calls = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
while (scanned < TARGET) {
  const k = calls++ % all.length;
  detectPii(all[k]!.text);
  scanned += bytes[k]!;
}
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
// And one large input (the corpus joined and repeated to >= 5 MB) in a single call.
const joined = all.map((row) => row.text).join('\n');
const big = joined.repeat(Math.ceil(TARGET / Buffer.byteLength(joined, 'utf8')));
const cpu1 = process.cpuUsage();
const t1 = performance.now();
detectPii(big);
const bigSeconds = (performance.now() - t1) / 1000;
const bigCpu = process.cpuUsage(cpu1);
const bigCpuSeconds = (bigCpu.user + bigCpu.system) / 1e6;
const throughput = {
  per_text_mb_s: Math.round((scanned / 1048576 / seconds) * 10) / 10,
  per_text_mb_per_cpu_s: Math.round((scanned / 1048576 / cpuSeconds) * 10) / 10,
  single_input_mb_s: Math.round((Buffer.byteLength(big, 'utf8') / 1048576 / bigSeconds) * 10) / 10,
  single_input_mb_per_cpu_s: Math.round((Buffer.byteLength(big, 'utf8') / 1048576 / bigCpuSeconds) * 10) / 10,
  load_average: os.loadavg()[0] ?? 0,
  mb: Math.round((scanned / 1048576) * 10) / 10,
};

const fmt = (v: number | null): string => (v === null ? '   -  ' : v.toFixed(3).padStart(6));
console.log(`PII benchmark on ${DATA} (type-agnostic overlap matching; measure part = ${parts[0]![1].length} rows, all = ${all.length} rows)\n`);
console.log(`${'tool'.padEnd(42)} ${'part'.padEnd(8)} precision recall     F1  ms/row`);
for (const r of results) {
  console.log(`${r.tool.padEnd(42)} ${r.part.padEnd(8)} ${fmt(r.precision)}    ${fmt(r.recall)} ${fmt(r.f1)} ${r.ms_per_row === null ? '     -' : r.ms_per_row.toFixed(3).padStart(7)}${r.note ? `  ${r.note}` : ''}`);
}
console.log(
  `\nbulwark throughput (one core, default entity set): ${throughput.per_text_mb_s} MB/s wall (${throughput.per_text_mb_per_cpu_s} MB per CPU-second) over ${throughput.mb} MB in per-text calls; ` +
    `${throughput.single_input_mb_s} MB/s wall (${throughput.single_input_mb_per_cpu_s} MB per CPU-second) on one ${(Buffer.byteLength(big, 'utf8') / 1048576).toFixed(1)} MB input; load average ${throughput.load_average.toFixed(1)}`,
);
console.log(JSON.stringify({ results, throughput }));
