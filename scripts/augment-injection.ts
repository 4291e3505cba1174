/**
 * Training-time augmentation of the prompt-injection model (fit split only, seeded):
 * - every evasion of src/eval/transforms.ts applied in turn to a sample of positives, and to as many
 *   negatives, read through the same canonicalisation and views as at inference: the model sees
 *   decoded and half-decoded forms, and learns that an encoded surface alone is no evidence;
 * - our own hard negatives (prompt-negatives.txt), benign prompts full of trigger words;
 * - our own everyday prompts in 19 languages (multilingual-negatives.txt): the data's translated attacks
 *   (PurpleLlama :mt) cover languages its benign translations (MT-bench) do not, Russian, Korean,
 *   Vietnamese, Indonesian, Tagalog, Chinese and Arabic among them, so the language alone read as an attack;
 * - synthetic optimised-suffix attacks: a prompt with a trailing soup of words glued to symbols and
 *   case flips (the texture of GCG suffixes), so the gibberish features get positive evidence; code
 *   and JSON negatives in the data teach where soup is normal.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalize } from '../src/text/canonicalize.ts';
import { inspect, type InjectionMode } from '../src/scanners/injection/detector.ts';
import { rng, toExample, type Example } from '../src/scanners/injection/train.ts';
import { applyTransform, TRANSFORMS } from '../src/eval/transforms.ts';

interface Row {
  text: string;
  label: 0 | 1;
}

/** Our own benign prompts full of trigger words, one a line. */
const PROMPT_NEGATIVES = readFileSync(join(import.meta.dirname, 'prompt-negatives.txt'), 'utf8').split('\n').map((line) => line.trim()).filter((line) => line !== '');
/** Each hard negative counts this many times (they are few against ~1300 attack rows). */
const HARD_NEGATIVE_COPIES = 4;
/**
 * Our own benign prompts in the languages the data has as attacks only (40 each) and in 12 more (15 each),
 * a third of each language's with trigger words used innocently; written for Bulwark, not drawn from a dataset.
 */
const MULTILINGUAL_NEGATIVES = readFileSync(join(import.meta.dirname, 'multilingual-negatives.txt'), 'utf8').split('\n').map((line) => line.trim().replace(/\\n/g, '\n')).filter((line) => line !== '');
/** Two copies: 920 lines against the 675 translated attacks of the train split. */
const MULTILINGUAL_COPIES = 2;
const TRANSFORMED = 600;
const SUFFIXED = 300;
const MAX_LENGTH = 2000;
const CONSONANTS = [...'bcdfghjklmnpqrstvwxz'];
const GLUE = ['](', '.](', '\\!--', '**', '}}', '({', '=\\', ';)', '"){', '>[', '<!--', '/*', '--', '%)', '$\\', '`,', "'}", '|', '[{', '@"'];

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]!;
}

function vocabulary(rows: readonly Row[], indices: readonly number[]): string[] {
  const words = new Set<string>();
  for (const index of indices.slice(0, 3000)) for (const word of rows[index]!.text.split(/[^A-Za-z]+/)) if (word.length >= 3 && word.length <= 10) words.add(word.toLowerCase());
  return [...words].sort();
}

/** A GCG-like suffix: 16-27 tokens, most glued to symbols, flipped in case or unpronounceable. */
export function soupSuffix(random: () => number, vocab: readonly string[]): string {
  const tokens: string[] = [];
  const count = 16 + Math.floor(random() * 12);
  for (let i = 0; i < count; i++) {
    const word = pick(vocab, random);
    const r = random();
    if (r < 0.3) tokens.push(`${word}${pick(GLUE, random)}`);
    else if (r < 0.5) tokens.push(`${pick(GLUE, random)}${word}`);
    else if (r < 0.65) {
      const other = pick(vocab, random);
      tokens.push(`${word}${other[0]!.toUpperCase()}${other.slice(1)}`);
    } else if (r < 0.75) tokens.push(Array.from({ length: 5 + Math.floor(random() * 4) }, () => pick(CONSONANTS, random)).join(''));
    else tokens.push(word);
  }
  return tokens.join(' ');
}

/** Augmented examples drawn from the rows at `fitIdx` (never the held-back ones). */
export function augmentExamples(rows: readonly Row[], fitIdx: readonly number[], mode: InjectionMode, bits: number, seed: number): Example[] {
  const random = rng(seed ^ 0x5bd1e995);
  const examples: Example[] = [];
  const add = (text: string, label: 0 | 1 = 1): void => {
    const inspection = inspect(canonicalize(text), mode);
    examples.push(toExample(inspection.text, inspection.ids, label, bits));
  };
  // Negatives get the same evasions (all but payload splitting, which is an attack move in itself),
  // so an encoded surface weighs nothing and only what it decodes to decides.
  for (const label of [1, 0] as const) {
    const pool = fitIdx.filter((index) => rows[index]!.label === label && rows[index]!.text.length <= MAX_LENGTH);
    const transforms = label === 1 ? TRANSFORMS : TRANSFORMS.filter((name) => name !== 'split');
    for (let i = 0; i < Math.min(TRANSFORMED, pool.length); i++) add(applyTransform(transforms[i % transforms.length]!, rows[pick(pool, random)]!.text), label);
  }
  // Our own hard negatives (prompt-negatives.txt): instructions of a manual or a recipe, processes to
  // kill, systems and prompts talked about; the data has almost none, so trigger words alone won.
  for (let copy = 0; copy < HARD_NEGATIVE_COPIES; copy++) for (const text of PROMPT_NEGATIVES) add(text, 0);
  for (let copy = 0; copy < MULTILINGUAL_COPIES; copy++) for (const text of MULTILINGUAL_NEGATIVES) add(text, 0);
  const short = fitIdx.filter((index) => rows[index]!.text.length <= 600);
  const vocab = vocabulary(rows, fitIdx);
  for (let i = 0; i < Math.min(SUFFIXED, short.length); i++) add(`${rows[pick(short, random)]!.text} ${soupSuffix(random, vocab)}`);
  return examples;
}
