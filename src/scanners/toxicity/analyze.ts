/**
 * One toxicity analysis of a canonical text, shared by the scanner, `bulwark eval` and the trainer:
 * every head of `models/toxicity.json` (overall `toxic`, then one per category) over the canonical
 * view and each decoded run / hidden payload, highest per head.
 */
import type { CanonicalText } from '../../text/types.ts';
import { scoreAtThreshold, type LinearHeads } from '../shared/linear/heads.ts';
import { canonicalParts } from '../shared/linear/parts.ts';

export const TOXICITY_TASK = 'toxicity';
/** The head trained on the overall label; the others are categories. */
export const OVERALL_HEAD = 'toxic';
/** Categories the moderation data may label; a head exists only for those with labelled rows. */
export const TOXICITY_CATEGORIES = ['hate', 'harassment', 'sexual', 'violence', 'self_harm'] as const;

/** No extra dense features: the toxicity model reads hashed n-grams only. */
export const NO_EXTRA: readonly number[] = [];

/** Per head: calibrated probability and the score with the head's threshold at 0.5. */
export type ToxicityScores = Record<string, { probability: number; score: number }>;

export function analyzeToxicity(model: LinearHeads, canonical: CanonicalText): ToxicityScores {
  const best = model.heads.map(() => 0);
  for (const part of canonicalParts(canonical)) {
    const probabilities = model.score(part, () => NO_EXTRA);
    probabilities.forEach((p, index) => {
      if (p > best[index]!) best[index] = p;
    });
  }
  const out: ToxicityScores = {};
  model.heads.forEach((head, index) => {
    out[head.name] = { probability: best[index]!, score: scoreAtThreshold(best[index]!, head.threshold) };
  });
  return out;
}
