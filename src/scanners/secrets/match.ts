/** A secret found in a text, before it becomes a finding. */
import type { Severity } from '../types.ts';

export interface RawMatch {
  /** Rule name; the rule id is `secrets/<rule>`. */
  rule: string;
  /** Span of the secret value in the scanned text (UTF-16, end exclusive). */
  start: number;
  end: number;
  severity: Severity;
  /** Confidence in [0,1]. */
  score: number;
  /** A non-secret prefix for evidence (`ghp_`, `-----BEGIN RSA PRIVATE KEY`), or '' for none. */
  hint: string;
}

/**
 * Keeps one match per overlapping cluster, with its own span: the highest score, then the longest
 * (a provider token inside a named value reports the token, not the value around it).
 */
export function resolveOverlaps(matches: readonly RawMatch[]): RawMatch[] {
  const sorted = matches.slice().sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: RawMatch[] = [];
  for (const match of sorted) {
    const last = kept[kept.length - 1];
    if (last && match.start < last.end) {
      const better = match.score > last.score || (match.score === last.score && match.end - match.start > last.end - last.start);
      if (better) kept[kept.length - 1] = { ...match };
      continue;
    }
    kept.push({ ...match });
  }
  return kept;
}
