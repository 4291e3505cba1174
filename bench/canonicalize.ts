/** Micro-benchmark for canonicalize(): median microseconds per call on representative inputs. */
import { canonicalize } from '../src/text/canonicalize.ts';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Runs `fn` in batches and returns the median per-call time in microseconds. */
function measure(fn: () => unknown, batches: number, perBatch: number): number {
  for (let i = 0; i < Math.min(perBatch * 5, 2000); i++) fn();
  const samples: number[] = [];
  for (let b = 0; b < batches; b++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < perBatch; i++) fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1000 / perBatch);
  }
  return median(samples);
}

function repeatTo(unit: string, length: number): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

const asciiUnit =
  'You are a helpful assistant. Summarise the following customer email in three bullet points, ' +
  'keeping names and order numbers intact, and answer politely. Order #48213 arrived late; ';
const mixedUnit =
  'Привет, мир! Ｆｕｌｌｗｉｄｔｈ text, café naïve façade, 数据安全 “quotes” — dashes, ' +
  'emoji 👍🏽❤️, 𝐛𝐨𝐥𝐝 math, ﬁ ligature, and zero\u200Bwidth plus plain English words. ';

/** Flat copy of a string, like the ones JSON.parse hands the gateway (repeat/slice build ropes). */
function flat(s: string): string {
  return Buffer.from(s, 'utf16le').toString('utf16le');
}

const ascii1k = flat(repeatTo(asciiUnit, 1024));
const mixed1k = flat(repeatTo(mixedUnit, 1024));
const ascii1m = flat(repeatTo(asciiUnit, 1 << 20));
const mixed1m = flat(repeatTo(mixedUnit, 1 << 20));

const rows: Array<[key: string, label: string, us: number]> = [
  ['ascii1k', '1 KB plain ASCII prompt', measure(() => canonicalize(ascii1k), 50, 200)],
  ['mixed1k', '1 KB mixed-Unicode prompt', measure(() => canonicalize(mixed1k), 50, 100)],
  ['ascii1m', '1 MB plain ASCII input', measure(() => canonicalize(ascii1m), 7, 1)],
  ['mixed1m', '1 MB mixed-Unicode input', measure(() => canonicalize(mixed1m), 7, 1)],
];
for (const [, label, us] of rows) {
  const shown = us >= 1000 ? `${(us / 1000).toFixed(1)} ms` : `${us.toFixed(1)} µs`;
  console.log(`${label.padEnd(28)} median ${shown} per call`);
}
const medianUs = Object.fromEntries(rows.map(([key, , us]) => [key, Number(us.toFixed(2))]));
console.log(JSON.stringify({ bench: 'canonicalize', medianUs }));
