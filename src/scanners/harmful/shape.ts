/**
 * Shape features of a request for the harmful classifier: how the text opens (its first one to
 * four words: "how can i", "can you provide", "write a"), how it closes (its last two words), and
 * its length in words (five buckets). The opening carries the form of the ask (a how-to request,
 * a question, an instruction) wherever the topic words sit, and short everyday questions get a
 * weight apart from long instructions. Hashed (FNV-1a over the featurizer's leet-folded words)
 * into a block of 2^SHAPE_BITS ids that `cues.ts` places after its dense cue features.
 */
import { scanLoweredWords, type WordScan } from '../injection/features.ts';

export const SHAPE_BITS = 16;
const LEAD_WORDS = 4;
const TAIL_WORDS = 2;
/** Upper bounds of the word-count buckets; longer texts fall in the last bucket. */
const LENGTH_BUCKETS = [6, 12, 25, 60];

const FNV_PRIME = 0x01000193;
const SEED = { lead: 0x3c6ef372, tail: 0xa54ff53a, length: 0x510e527f } as const;

/**
 * FNV-1a over words `from .. to` of the last `scanLoweredWords` scan: their codes are stored with one
 * space between words, which is exactly the separator hashed between words.
 */
function hashRange(seed: number, codes: Uint16Array, starts: Int32Array, from: number, to: number): number {
  let h = seed;
  const end = starts[to]! - 1;
  for (let i = starts[from]!; i < end; i++) h = Math.imul(h ^ codes[i]!, FNV_PRIME);
  return h >>> 0;
}

/** Shape feature ids in [0, 2^SHAPE_BITS), unique, unsorted; none for a text without words. */
export function shapeFeatures(text: string): number[] {
  return shapeOfWords(scanLoweredWords(text.toLowerCase()));
}

/** `shapeFeatures` of a text already split by `scanLoweredWords` (its buffers, still current). */
export function shapeOfWords({ count, codes, starts }: WordScan): number[] {
  if (count === 0) return [];
  const mask = (1 << SHAPE_BITS) - 1;
  const out = new Set<number>();
  for (let n = 1; n <= Math.min(LEAD_WORDS, count); n++) out.add(hashRange(SEED.lead, codes, starts, 0, n) & mask);
  out.add(hashRange(SEED.tail, codes, starts, Math.max(0, count - TAIL_WORDS), count) & mask);
  const bucket = LENGTH_BUCKETS.findIndex((limit) => count <= limit);
  // The length bucket hashes as a one-"word" list whose only code is the bucket number.
  out.add((Math.imul(SEED.length ^ (bucket < 0 ? LENGTH_BUCKETS.length : bucket), FNV_PRIME) >>> 0) & mask);
  return [...out];
}
