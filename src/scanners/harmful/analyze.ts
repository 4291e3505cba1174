/**
 * One harmful-content analysis of a canonical text, shared by the scanner, `bulwark eval` and the
 * trainer: the canonical view and every decoded run / hidden payload are scored separately (an
 * encoded request cannot be diluted by its wrapper), the highest probability wins, and the
 * category comes from the lexicon hits of the part that scored highest.
 */
import type { CanonicalText } from '../../text/types.ts';
import type { LinearHeads } from '../shared/linear/heads.ts';
import { canonicalParts } from '../shared/linear/parts.ts';
import { harmfulCues, topCategory } from './cues.ts';
import type { HazardCategory } from './lexicon.ts';

export const HARMFUL_TASK = 'harmful';
export const HARMFUL_HEAD = 'harmful';

export interface HarmfulAnalysis {
  /** Calibrated probability of the highest-scoring part. */
  probability: number;
  /** Lexicon category of that part, or null when no phrase matched. */
  category: HazardCategory | null;
}

export function analyzeHarmful(model: LinearHeads, canonical: CanonicalText): HarmfulAnalysis {
  const index = model.heads.findIndex((head) => head.name === HARMFUL_HEAD);
  if (index < 0) throw new Error(`harmful model: no head named ${HARMFUL_HEAD}`);
  let best: HarmfulAnalysis = { probability: 0, category: null };
  for (const part of canonicalParts(canonical)) {
    let hits: number[] = [];
    const probability = model.score(part, (chunk) => {
      const cues = harmfulCues(chunk);
      hits = hits.length === 0 ? cues.categoryHits : hits.map((value, i) => value + cues.categoryHits[i]!);
      return cues.ids;
    })[index]!;
    const category = topCategory(hits);
    if (probability > best.probability || (probability === best.probability && best.category === null)) best = { probability, category };
  }
  return best;
}
