/**
 * Entry point of the canonical-text module: one pass that removes and reports hidden
 * characters, applies NFKC and homoglyph folding with an offset map back to the original,
 * and decodes embedded encoded runs found in the original.
 */
import type { CanonicalText } from './types.ts';
import { codeUnitsOf } from './code-units.ts';
import { decoderHints, HINT_NON_ASCII } from './decoder-hints.ts';
import { encodedRunsOf, findEncodedRuns, mergeDecodedRuns } from './decoders.ts';
import { normalizeText } from './normalize-text.ts';
import { identityMapper } from './offset-map.ts';

/** Builds the canonical view of `text`; never throws, whatever the string holds. */
export function canonicalize(text: string): CanonicalText {
  const original = typeof text === 'string' ? text : String(text ?? '');
  // One read of the code units answers both "what might be encoded" and "is it ASCII".
  const units = codeUnitsOf(original);
  const hints = decoderHints(units, original.length);
  const decoded = encodedRunsOf(original, units, hints);
  // Pure ASCII has nothing hidden, to normalise or to fold.
  if ((hints & HINT_NON_ASCII) === 0) {
    return { original, text: original, hidden: [], decoded, toOriginal: identityMapper(original.length) };
  }
  const normalized = normalizeText(original);
  let allDecoded = decoded;
  if (normalized.text !== original) {
    // Hidden characters or lookalikes can break an encoded run apart; look again in the canonical view.
    const canonicalRuns = findEncodedRuns(normalized.text).map((run) => {
      const [start, end] = normalized.toOriginal(run.start, run.end);
      return { ...run, start, end };
    });
    allDecoded = mergeDecodedRuns(decoded, canonicalRuns);
  }
  return {
    original,
    text: normalized.text,
    hidden: normalized.hidden,
    decoded: allDecoded,
    toOriginal: normalized.toOriginal,
  };
}

/** A code unit outside ASCII: what decides canonicalize's fast path (HINT_NON_ASCII). */
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * `canonicalize(text).text`, without looking for encoded runs (they never change the text): pure ASCII
 * comes back as it is, anything else is normalised. For callers that only read the canonical text.
 */
export function canonicalTextOf(text: string): string {
  return NON_ASCII.test(text) ? normalizeText(text).text : text;
}
