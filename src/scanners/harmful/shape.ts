/**
 * Shape features of a request for the harmful classifier: how the text opens (its first one to
 * four words: "how can i", "can you provide", "write a"), how it closes (its last two words), and
 * its length in words (five buckets). The opening carries the form of the ask (a how-to request,
 * a question, an instruction) wherever the topic words sit, and short everyday questions get a
 * weight apart from long instructions. Hashed (FNV-1a over the featurizer's leet-folded words)
 * into a block of 2^SHAPE_BITS ids that `cues.ts` places after its dense cue features.
 */
import { words } from '../injection/features.ts';

export const SHAPE_BITS = 16;
const LEAD_WORDS = 4;
const TAIL_WORDS = 2;
/** Upper bounds of the word-count buckets; longer texts fall in the last bucket. */
const LENGTH_BUCKETS = [6, 12, 25, 60];

const FNV_PRIME = 0x01000193;
const SEED = { lead: 0x3c6ef372, tail: 0xa54ff53a, length: 0x510e527f } as const;

/** FNV-1a over the words' char codes, words separated by a space. */
function hashWords(seed: number, list: readonly number[][]): number {
  let h = seed;
  list.forEach((word, index) => {
    if (index > 0) h = Math.imul(h ^ 32, FNV_PRIME);
    for (const code of word) h = Math.imul(h ^ code, FNV_PRIME);
  });
  return h >>> 0;
}

/** Shape feature ids in [0, 2^SHAPE_BITS), unique, unsorted; none for a text without words. */
export function shapeFeatures(text: string): number[] {
  const list = words(text);
  if (list.length === 0) return [];
  const mask = (1 << SHAPE_BITS) - 1;
  const out = new Set<number>();
  for (let n = 1; n <= Math.min(LEAD_WORDS, list.length); n++) out.add(hashWords(SEED.lead, list.slice(0, n)) & mask);
  out.add(hashWords(SEED.tail, list.slice(-TAIL_WORDS)) & mask);
  const bucket = LENGTH_BUCKETS.findIndex((limit) => list.length <= limit);
  out.add(hashWords(SEED.length, [[bucket < 0 ? LENGTH_BUCKETS.length : bucket]]) & mask);
  return [...out];
}
