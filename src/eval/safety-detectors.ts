/**
 * `bulwark eval` detectors for the safety classifiers (`harmful`, `toxicity`): one scanner with its
 * default config, flagged when its score reaches the threshold (0.5 = the model's trained
 * operating point, see `scoreAtThreshold`). Toxicity also returns per-category verdicts for the
 * report's `by_label` section.
 */
import { createHarmfulScanner, HarmfulConfig } from '../scanners/harmful/index.ts';
import { analyzeToxicity, OVERALL_HEAD } from '../scanners/toxicity/analyze.ts';
import { createToxicityScanner, ToxicityConfig } from '../scanners/toxicity/index.ts';
import { canonicalize } from '../text/canonicalize.ts';
import type { CategoryVerdicts } from './label-categories.ts';

export const SAFETY_THRESHOLD = 0.5;

export interface SafetyDetector {
  defaultThreshold: number;
  score(text: string, threshold: number | null): Promise<{ score: number; flagged: boolean; categories?: CategoryVerdicts }>;
}

const context = { requestId: 'eval', signal: new AbortController().signal, state: new Map<string, unknown>() };

export function createSafetyDetector(name: 'harmful' | 'toxicity'): SafetyDetector {
  if (name === 'harmful') {
    const scanner = createHarmfulScanner(HarmfulConfig.parse({}));
    return {
      defaultThreshold: SAFETY_THRESHOLD,
      async score(text, given) {
        const result = scanner.scan({ phase: 'request', segments: [{ id: 's0', role: 'user', origin: 'user', text, canonical: canonicalize(text) }] }, context);
        const score = result.score ?? 0;
        return { score, flagged: score >= (given ?? SAFETY_THRESHOLD) };
      },
    };
  }
  const { model } = createToxicityScanner(ToxicityConfig.parse({}));
  return {
    defaultThreshold: SAFETY_THRESHOLD,
    async score(text, given) {
      const scores = analyzeToxicity(model, canonicalize(text));
      const threshold = given ?? SAFETY_THRESHOLD;
      const categories: CategoryVerdicts = {};
      for (const [head, value] of Object.entries(scores)) if (head !== OVERALL_HEAD) categories[head] = { score: value.score, flagged: value.score >= threshold };
      // As in the scanner: the row's score is its highest head (overall or any category).
      let score = 0;
      for (const value of Object.values(scores)) score = Math.max(score, value.score);
      return { score, flagged: score >= threshold, categories };
    },
  };
}
