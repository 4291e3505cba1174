/**
 * Injection detectors side by side: Bulwark's ai/prompt-injection and ai/indirect-injection (the
 * `bulwark eval` detectors: default config, the model's calibrated threshold, no LLM judge) against
 * the offline npm peers, on the dev splits of ../shared/data/prompt-injection and
 * ../shared/data/indirect-injection. Per detector and dataset: recall, FPR, precision, F1 and
 * ms/sample p50 and p99 (after 2 s of untimed warm-up passes, the same for every detector). A peer that fails to load is listed with the reason; a slow peer
 * is scored on a seeded sample (said in the `rows` column). Prints a table, then one JSON line.
 *
 *   npm run bench:detectors [-- --budget-ms 12000] [-- --hai-heuristic]
 *
 * --budget-ms: time budget per detector and dataset (rows beyond it are not scored: a seeded sample).
 * hai-guardrails runs in pattern mode; its heuristic mode is opt-in (--hai-heuristic) because one call
 * can take tens of seconds on a 2 KB prompt (string-similarity against every keyword at every offset),
 * so the budget is only checked between calls and the run would overshoot.
 */
import { readRows, type EvalRow } from '../src/eval/dataset.ts';
import { createDetector } from '../src/eval/evaluate.ts';
import { confusion, percentile } from '../src/eval/metrics.ts';

const args = process.argv.slice(2);
const at = args.indexOf('--budget-ms');
const BUDGET_MS = at >= 0 ? Number(args[at + 1]) : 12_000;
const HAI_HEURISTIC = args.includes('--hai-heuristic');
const DATA = new URL('../../shared/data/', import.meta.url).pathname;
const DATASETS = [
  { name: 'prompt-injection', path: `${DATA}prompt-injection/dev.jsonl`, bulwark: 'prompt-injection' as const },
  { name: 'indirect-injection', path: `${DATA}indirect-injection/dev.jsonl`, bulwark: 'indirect-injection' as const },
];
const WARM_UP_MS = 2000;

/** A detector under test: flagged is its own verdict at its own default operating point. */
type Detect = (text: string) => Promise<boolean> | boolean;

interface Row {
  detector: string;
  dataset: string;
  rows: string;
  recall: number | null;
  fpr: number | null;
  precision: number | null;
  f1: number | null;
  p50_ms: number | null;
  p99_ms: number | null;
  note?: string;
}

/** Deterministic shuffle (mulberry32), so a sampled run is reproducible. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = items.slice();
  let state = seed >>> 0;
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

async function measure(detector: string, dataset: string, all: readonly EvalRow[], detect: Detect): Promise<Row> {
  const order = shuffled(all, 7);
  // Warm-up: untimed passes over the data for WARM_UP_MS, the same time for every detector, so the timed
  // pass measures steady state (a gateway runs for hours) rather than the JIT still compiling each tool's
  // code paths: one pass over 339 documents is ~30 ms for a fast detector, too short for V8's top tier.
  const warmStarted = performance.now();
  warm: for (;;) {
    for (const row of order) {
      if (performance.now() - warmStarted > WARM_UP_MS) break warm;
      await detect(row.text);
    }
  }
  const scored: { score: number; label: 0 | 1 }[] = [];
  const latencies: number[] = [];
  const started = performance.now();
  for (const row of order) {
    if (performance.now() - started > BUDGET_MS) break;
    const t0 = performance.now();
    const flagged = await detect(row.text);
    latencies.push(performance.now() - t0);
    scored.push({ score: flagged ? 1 : 0, label: row.label });
  }
  const counts = confusion(scored, 0.5);
  process.stderr.write(`${dataset} ${detector}: ${scored.length} rows in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  const round = (value: number): number => Math.round(value * 1000) / 1000;
  const sampled = scored.length < all.length;
  return {
    detector,
    dataset,
    rows: sampled ? `${scored.length}/${all.length} (sampled: ${BUDGET_MS / 1000}s budget)` : String(all.length),
    recall: round(counts.tpr),
    fpr: round(counts.fpr),
    precision: round(counts.precision),
    f1: round(counts.f1),
    p50_ms: round(percentile(latencies, 50)),
    p99_ms: round(percentile(latencies, 99)),
  };
}

/** Loads each peer; a failure becomes a row with the reason instead of stopping the run. */
async function loadPeers(): Promise<{ name: string; detect?: Detect; error?: string }[]> {
  const peers: { name: string; detect?: Detect; error?: string }[] = [];
  const attempt = async (name: string, load: () => Promise<Detect>): Promise<void> => {
    try {
      peers.push({ name, detect: await load() });
    } catch (error) {
      peers.push({ name, error: error instanceof Error ? error.message.split('\n')[0] : String(error) });
    }
  };
  await attempt('llm_guardrail@2.1.2 checkAll', async () => {
    const specifier: string = 'llm_guardrail'; // ships no type declarations
    const { checkAll } = (await import(specifier)) as { checkAll(text: string): Promise<{ allowed: boolean }> };
    return async (text) => !(await checkAll(text)).allowed;
  });
  await attempt('@andersmyrmel/vard@1.2.0 moderate', async () => {
    type Vard = { moderate(): { safeParse(text: string): { safe: boolean } } };
    const module = (await import('@andersmyrmel/vard')) as unknown as { vard?: Vard; default?: Vard };
    const vard = module.vard ?? module.default;
    if (!vard) throw new Error('no vard export');
    const guard = vard.moderate();
    return (text) => !guard.safeParse(text).safe;
  });
  await attempt('llm-guard@0.1.9 injection+jailbreak', async () => {
    const { LLMGuard } = (await import('llm-guard')) as { LLMGuard: new (config: Record<string, boolean>) => { validate(text: string): Promise<{ isValid: boolean }> } };
    // Its other guards default to on (`!== false`); only the injection-related two are measured here.
    const guard = new LLMGuard({ promptInjection: true, jailbreak: true, pii: false, profanity: false, toxicity: false, relevance: false });
    return async (text) => !(await guard.validate(text)).isValid;
  });
  for (const mode of HAI_HEURISTIC ? (['pattern', 'heuristic'] as const) : (['pattern'] as const)) {
    await attempt(`@presidio-dev/hai-guardrails@1.11.1 injectionGuard ${mode}`, async () => {
      const hai = (await import('@presidio-dev/hai-guardrails')) as unknown as {
        injectionGuard(options: { roles: string[] }, config: { mode: string; threshold: number }): unknown;
        GuardrailsEngine: new (options: { guards: unknown[] }) => { run(messages: { role: string; content: string }[]): Promise<{ messagesWithGuardResult: { messages: { passed: boolean }[] }[] }> };
      };
      const engine = new hai.GuardrailsEngine({ guards: [hai.injectionGuard({ roles: ['user'] }, { mode, threshold: 0.7 })] });
      return async (text) => (await engine.run([{ role: 'user', content: text }])).messagesWithGuardResult.some((guard) => guard.messages.some((message) => !message.passed));
    });
  }
  return peers;
}

const results: Row[] = [];
const peers = await loadPeers();
for (const dataset of DATASETS) {
  const rows = readRows(dataset.path);
  const bulwark = createDetector(dataset.bulwark);
  results.push(await measure(`bulwark ai/${dataset.bulwark} (threshold ${bulwark.defaultThreshold})`, dataset.name, rows, async (text) => (await bulwark.score(text, null)).flagged));
  for (const peer of peers) {
    if (!peer.detect) {
      results.push({ detector: peer.name, dataset: dataset.name, rows: '0', recall: null, fpr: null, precision: null, f1: null, p50_ms: null, p99_ms: null, note: `failed to load: ${peer.error}` });
      continue;
    }
    results.push(await measure(peer.name, dataset.name, rows, peer.detect));
  }
}

const show = (value: number | null): string => (value === null ? '-' : value.toFixed(3));
const header = ['dataset', 'detector', 'rows', 'recall', 'FPR', 'precision', 'F1', 'ms p50', 'ms p99'];
const lines = results.map((row) => [row.dataset, row.detector, row.rows, show(row.recall), show(row.fpr), show(row.precision), show(row.f1), show(row.p50_ms), show(row.p99_ms)]);
const widths = header.map((title, index) => Math.max(title.length, ...lines.map((line) => line[index]!.length)));
const format = (cells: string[]): string => cells.map((cell, index) => cell.padEnd(widths[index]!)).join('  ');
console.log(format(header));
for (const line of lines) console.log(format(line));
for (const row of results) if (row.note) console.log(`${row.detector}: ${row.note}`);
if (!HAI_HEURISTIC) console.log('hai-guardrails heuristic mode not run (one call can take tens of seconds on a 2 KB prompt); add --hai-heuristic to score it on a time-budgeted sample.');
console.log('Peers run at their documented defaults (vard moderate, hai threshold 0.7); Bulwark at the model\'s calibrated threshold, without the LLM judge.');
console.log(JSON.stringify({ bench: 'detectors', budgetMsPerRun: BUDGET_MS, results }));
// hai-guardrails keeps a worker pool alive: end the process explicitly.
process.exit(0);
