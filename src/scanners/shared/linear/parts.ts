/** What the linear safety classifiers read of a segment. */
import { canonicalize } from '../../../text/canonicalize.ts';
import type { CanonicalText } from '../../../text/types.ts';

/**
 * The canonical text and each decoded run / hidden payload (canonicalised too: it is
 * attacker-chosen). Scored separately, so an encoded payload cannot be diluted by its wrapper.
 */
export function canonicalParts(canonical: CanonicalText): string[] {
  const parts = [canonical.text];
  for (const run of canonical.decoded) parts.push(canonicalize(run.text).text);
  for (const run of canonical.hidden) if (run.decoded) parts.push(canonicalize(run.decoded).text);
  return parts;
}
