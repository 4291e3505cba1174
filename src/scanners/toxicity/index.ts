/**
 * safety/toxicity: toxic language (hate, harassment, sexual, violence, self-harm) in prompts and
 * answers, by one hashed n-gram logistic-regression head per category plus an overall head
 * (`models/toxicity.json`, `npm run train:toxicity`).
 */
import { z } from 'zod';
import { buildResult } from '../shared/result.ts';
import { loadHeads, type LinearHeads } from '../shared/linear/heads.ts';
import { bundledModelPath } from '../injection/model.ts';
import { defineScanner, type Finding, type ScanContext, type ScanInput, type ScanResult, type Severity } from '../types.ts';
import { analyzeToxicity, OVERALL_HEAD, TOXICITY_CATEGORIES, TOXICITY_TASK } from './analyze.ts';

export const ToxicityConfig = z
  .object({
    categories: z
      .array(z.enum(TOXICITY_CATEGORIES))
      .default([...TOXICITY_CATEGORIES])
      .describe('Categories reported as `toxicity/<category>` findings (a category the bundled model has no head for, e.g. `self_harm` without labelled training rows, never fires). Default: all.'),
    overall: z.boolean().default(true).describe('Also report `toxicity/toxic` when the overall head fires and no listed category head does.'),
    modelPath: z.string().default('').describe('Model file to load instead of the bundled `models/toxicity.json` (format `bulwark-linear-heads/1`, written by `npm run train:toxicity`).'),
    reportAbove: z.number().min(0).max(1).default(0.5).describe('Findings whose score is below this are not reported (score 0.5 is each head\'s trained threshold).'),
    maxFindings: z.number().int().min(1).max(10_000).default(100).describe('Most findings reported per scan.'),
  })
  .strict();
export type ToxicityConfig = z.output<typeof ToxicityConfig>;

function severityOf(score: number): Severity {
  return score >= 0.85 ? 'high' : score >= 0.5 ? 'medium' : 'low';
}

export interface ToxicityScanner {
  scan(input: ScanInput, context: ScanContext): ScanResult;
  readonly model: LinearHeads;
}

export function createToxicityScanner(config: ToxicityConfig): ToxicityScanner {
  const model = loadHeads(config.modelPath || bundledModelPath(TOXICITY_TASK), 'npm run train:toxicity');
  if (!model.head(OVERALL_HEAD)) throw new Error(`safety/toxicity: model ${config.modelPath || 'models/toxicity.json'} has no head "${OVERALL_HEAD}"`);
  const categories = config.categories.filter((category) => model.head(category));
  return {
    model,
    scan(input, context) {
      const findings: Finding[] = [];
      let risk = 0;
      for (const segment of input.segments) {
        context.signal.throwIfAborted();
        const scores = analyzeToxicity(model, segment.canonical);
        const overall = scores[OVERALL_HEAD]!.score;
        if (overall > risk) risk = overall;
        const evidence = `model ${model.file.task} ${model.file.dataSha256.slice(0, 12)}`;
        let reported = false;
        for (const category of categories) {
          const score = scores[category]!.score;
          if (score > risk) risk = score;
          if (score < config.reportAbove || findings.length >= config.maxFindings) continue;
          reported = true;
          findings.push({ ruleId: `toxicity/${category}`, message: `Toxicity (${category}) score ${score.toFixed(3)}`, severity: severityOf(score), score, segmentId: segment.id, span: [0, segment.text.length], evidence });
        }
        if (config.overall && !reported && overall >= config.reportAbove && findings.length < config.maxFindings) {
          findings.push({ ruleId: `toxicity/${OVERALL_HEAD}`, message: `Toxicity score ${overall.toFixed(3)}`, severity: severityOf(overall), score: overall, segmentId: segment.id, span: [0, segment.text.length], evidence });
        }
      }
      return { ...buildResult(findings), score: risk };
    },
  };
}

export const toxicityScanner = defineScanner({
  id: 'safety/toxicity',
  description:
    'Toxic language by category (hate, harassment, sexual, violence, self-harm): one hashed word/char n-gram logistic-regression head per category plus an overall head, on the canonical text and decoded runs. ' +
    'Each head\'s calibrated probability is rescaled so its trained threshold (best F1 on held-back train) is 0.5. Findings: `toxicity/<category>` per listed category head at or above `reportAbove`, over the whole segment; `toxicity/toxic` when only the overall head fires. ' +
    'Score: the highest head score; severity high at 0.85, medium at 0.5; outcome: fail if any finding is high, flag if medium or low, else pass.',
  phases: ['request', 'response', 'response-stream'],
  configSchema: ToxicityConfig,
  create(config) {
    return createToxicityScanner(config);
  },
});
