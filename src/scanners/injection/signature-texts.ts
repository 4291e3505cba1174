/**
 * Test support: generated texts made of the signatures' own words in odd case (upper, capitalised, long s
 * and Kelvin sign), odd whitespace and joins, and now and then an odd neighbour (accents, İ, Σ, CJK,
 * emoji, a lone surrogate, a zero-width space). Texts like these hit signatures often and from awkward
 * angles, so the tests of the prefilter, the anchors and the signatures compare fast paths with plain
 * RegExp runs on them. Deterministic for a seed.
 */
import { seededRandom } from '../../text/seeded-random.ts';
import { SIGNATURES } from './signatures.ts';

const JOINS = [' ', ' ', ' ', '  ', '\u00a0', ' \u2003 ', '\u3000', '\n', '\n\n', '\r\n', '\t', ', ', ': ', ':', ' "', '"', '|>', '<|', '## ', '\n[', '] ', '\n<', '=', ' + ', '-', ''];
const NEIGHBOURS = ['é', 'ü', 'x', '_', '1', 'ſ', '\u212A', 'İ', 'Σ', '中', '😀', '\ud800', '\u200b'];

/** A generator of texts of `count` signature words each. */
export function signatureTexts(seed: number): (count: number) => string {
  const words = [...new Set(SIGNATURES.flatMap((signature) => signature.pattern.source.match(/[\p{L}'’]{2,}/gu) ?? []))];
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const recase = (word: string): string => {
    const roll = random();
    if (roll < 0.15) return word.toUpperCase();
    if (roll < 0.25) return word[0]!.toUpperCase() + word.slice(1);
    if (roll < 0.3) return word.replace(/s/g, 'ſ').replace(/k/g, '\u212A');
    return word;
  };
  return (count) => {
    let text = '';
    for (let k = 0; k < count; k++) text += (random() < 0.05 ? pick(NEIGHBOURS) : '') + recase(pick(words)) + pick(JOINS);
    return text;
  };
}
