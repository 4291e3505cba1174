// npm run bench:abuse — how the abuse detector (ADR 0011) treats an extraction campaign, a busy
// legitimate key and a seeded sample of real benign prompts (label 0 of ../shared/data/prompt-injection/train.jsonl),
// each driven as one key at 150 requests per minute. Prints text, then one JSON line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Abuse } from '../src/abuse/config.ts';
import { AbuseDetector } from '../src/abuse/detector.ts';
import { driveKey, extractionCampaign, legitimateTraffic, type DriveResult } from '../src/abuse/simulated-traffic.ts';
import { seededRandom } from '../src/text/seeded-random.ts';

const dataFile = process.argv[2] ?? join(import.meta.dirname, '..', '..', 'shared', 'data', 'prompt-injection', 'train.jsonl');
const count = 2400;

function benignSample(path: string): string[] {
  const benign: string[] = [];
  for (const [index, line] of readFileSync(path, 'utf8').split('\n').entries()) {
    if (line.trim() === '') continue;
    let row: { text?: unknown; label?: unknown };
    try {
      row = JSON.parse(line) as typeof row;
    } catch {
      throw new Error(`${path}:${index + 1}: expected one JSON object per line`);
    }
    if (row.label === 0 && typeof row.text === 'string') benign.push(row.text);
  }
  const random = seededRandom(11);
  for (let index = benign.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [benign[index], benign[other]] = [benign[other]!, benign[index]!];
  }
  return benign.slice(0, count);
}

const config = Abuse.parse({ enabled: true });
const runs: Record<string, DriveResult> = {
  'extraction campaign': driveKey(new AbuseDetector(config), extractionCampaign(count), { gapMs: 400 }),
  'legitimate generated mix': driveKey(new AbuseDetector(config), legitimateTraffic(count), { gapMs: 400 }),
  'benign dataset sample': driveKey(new AbuseDetector(config), benignSample(dataFile), { gapMs: 400 }),
};
console.log(`abuse bench: ${count} requests per key, one every 400 ms; flag at ${config.flagAt}`);
for (const [name, result] of Object.entries(runs)) {
  console.log(`  ${name.padEnd(26)} first flag ${String(result.firstFlag ?? '-').padStart(4)}  first throttle ${String(result.firstThrottle ?? '-').padStart(4)}  flagged ${(result.flagRate * 100).toFixed(2)}%  throttled ${(result.throttleRate * 100).toFixed(2)}%  max score ${result.maxScore.toFixed(3)}`);
}
console.log(JSON.stringify({ bench: 'abuse', requestsPerKey: count, results: runs }));
