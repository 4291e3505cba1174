/**
 * The injection detectors on our own probe sets (bench/probes/injection/): user-turn attacks and
 * hard benign prompts written from the published attack families, independently of the detector's
 * rules, data and training (see the README there for who wrote which set and what it was used for).
 * Prints, per set, how many attacks and benign prompts each detector flags: `prompt-injection` at
 * the model's own threshold and `input` (the default policy's request phase, which blocks at 0.9 and
 * also runs the harmful-request detector); then one JSON line.
 *
 *   npm run bench:probes [-- --set=2]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { BenchArgs } from './args.ts';
import { createDetector, type DetectorName } from '../src/eval/evaluate.ts';

const args = new BenchArgs();
const only = args.string('set');
const DIR = new URL('probes/injection/', import.meta.url).pathname;
const DETECTORS: DetectorName[] = ['prompt-injection', 'input'];

/** `attacks-N.txt` and `benign-N.txt`: one prompt a line, `\n` standing for a line break inside one. */
function readSet(kind: 'attacks' | 'benign', set: string): string[] {
  return readFileSync(`${DIR}${kind}-${set}.txt`, 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => line.replace(/\\n/g, '\n'));
}

const sets = readdirSync(DIR).map((name) => /^attacks-(\w+)\.txt$/.exec(name)?.[1]).filter((set): set is string => set !== undefined).sort();
if (only !== undefined && !sets.includes(only)) throw new Error(`bench: --set expects one of ${sets.join(', ')}, got ${JSON.stringify(only)}`);

const results = [];
for (const name of DETECTORS) {
  const detector = createDetector(name);
  for (const set of only ? [only] : sets) {
    const counts = { attacks: 0, attacksFlagged: 0, benign: 0, benignFlagged: 0 };
    for (const [kind, texts] of [['attacks', readSet('attacks', set)], ['benign', readSet('benign', set)]] as const) {
      for (const text of texts) {
        const { flagged } = await detector.score(text, null);
        if (kind === 'attacks') {
          counts.attacks++;
          if (flagged) counts.attacksFlagged++;
        } else {
          counts.benign++;
          if (flagged) counts.benignFlagged++;
        }
      }
    }
    const recall = counts.attacksFlagged / counts.attacks;
    const fpr = counts.benignFlagged / counts.benign;
    console.log(`${name.padEnd(17)} set ${set}: attacks flagged ${counts.attacksFlagged}/${counts.attacks} (${(100 * recall).toFixed(1)}%)   benign flagged ${counts.benignFlagged}/${counts.benign} (${(100 * fpr).toFixed(1)}%)`);
    results.push({ detector: name, set, ...counts, recall, fpr });
  }
}
console.log(JSON.stringify({ bench: 'probes', results }));
