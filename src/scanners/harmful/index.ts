/**
 * safety/harmful: requests for (and answers with) harmful content, by hashed n-gram logistic
 * regressions (a general and a specialist pair, combined by their minimum) with lexicon/cue
 * features (`models/harmful.json`, `npm run train:harmful`), and a hazard category per finding
 * from the lexicon in `lexicon.ts`.
 */
import { z } from 'zod';
import { buildResult } from '../shared/result.ts';
import { loadHeads, scoreAtThreshold, type LinearHeads } from '../shared/linear/heads.ts';
import { bundledModelPath } from '../injection/model.ts';
import { defineScanner, type Finding, type ScanContext, type ScanInput, type ScanResult, type Severity } from '../types.ts';
import { analyzeHarmful, HARMFUL_HEAD, HARMFUL_TASK } from './analyze.ts';
import { HAZARD_CATEGORIES, UNCATEGORIZED } from './lexicon.ts';

const CategoryName = z.enum([...HAZARD_CATEGORIES, UNCATEGORIZED]);

export const HarmfulConfig = z
  .object({
    categories: z
      .array(CategoryName)
      .default([...HAZARD_CATEGORIES, UNCATEGORIZED])
      .describe(`Hazard categories (MLCommons taxonomy) this instance reports; a flagged text is reported only when its lexicon category is listed. \`${UNCATEGORIZED}\`: flagged by the classifier but matching no category phrase. Default: all.`),
    modelPath: z.string().default('').describe('Model file to load instead of the bundled `models/harmful.json` (format `bulwark-linear-heads/1`, written by `npm run train:harmful`).'),
    reportAbove: z.number().min(0).max(1).default(0.35).describe('Findings whose score is below this are not reported (score 0.5 is the model\'s trained threshold; the policy threshold decides what counts).'),
    maxFindings: z.number().int().min(1).max(10_000).default(100).describe('Most findings reported per scan.'),
  })
  .strict();
export type HarmfulConfig = z.output<typeof HarmfulConfig>;

function severityOf(score: number): Severity {
  return score >= 0.85 ? 'high' : score >= 0.5 ? 'medium' : 'low';
}

/** A scanner instance outside the policy machinery (also used by `bulwark eval`). */
export interface HarmfulScanner {
  scan(input: ScanInput, context: ScanContext): ScanResult;
  readonly model: LinearHeads;
}

export function createHarmfulScanner(config: HarmfulConfig): HarmfulScanner {
  const model = loadHeads(config.modelPath || bundledModelPath(HARMFUL_TASK), 'npm run train:harmful');
  const head = model.head(HARMFUL_HEAD);
  if (!head) throw new Error(`safety/harmful: model ${config.modelPath || 'models/harmful.json'} has no head "${HARMFUL_HEAD}"`);
  const wanted = new Set<string>(config.categories);
  return {
    model,
    scan(input, context) {
      const findings: Finding[] = [];
      let risk = 0;
      for (const segment of input.segments) {
        context.signal.throwIfAborted();
        const analysis = analyzeHarmful(model, segment.canonical);
        const score = scoreAtThreshold(analysis.probability, head.threshold);
        const category = analysis.category ?? UNCATEGORIZED;
        if (!wanted.has(category)) continue;
        if (score > risk) risk = score;
        if (score < config.reportAbove || findings.length >= config.maxFindings) continue;
        findings.push({
          ruleId: `harmful/${category}`,
          message: `Harmful-content classifier score ${score.toFixed(3)} (category ${category})`,
          severity: severityOf(score),
          score,
          segmentId: segment.id,
          span: [0, segment.text.length],
          evidence: `model ${model.file.task} ${model.file.dataSha256.slice(0, 12)}; category by lexicon`,
        });
      }
      return { ...buildResult(findings), score: risk };
    },
  };
}

export const harmfulScanner = defineScanner({
  id: 'safety/harmful',
  description:
    'Harmful requests and answers (MLCommons hazard taxonomy): hashed word/skip-gram/char n-gram logistic regressions with lexicon and cue features (request x hazard phrase, manner of the act, fiction, technical-homonym, safety-question and stated-purpose guards per category) and request-shape features (opening and closing words, length) on the canonical text and decoded runs; a general pair (trained with everyday chat) and a specialist pair (trained on sensitive-sounding requests) must both agree. ' +
    'Score: the calibrated probability rescaled so the trained threshold (at most 3% FPR on out-of-fold training scores) is 0.5; one finding per segment (rule id `harmful/<category>`, category from the phrase lexicon, `harmful/uncategorized` when none matches) over the whole segment. ' +
    'Severity: high at 0.85, medium at 0.5, else low; outcome: fail if any finding is high, flag if medium or low, else pass. Segments whose category is not in `categories` are ignored.',
  phases: ['request', 'response', 'response-stream'],
  configSchema: HarmfulConfig,
  create(config) {
    return createHarmfulScanner(config);
  },
});
