/**
 * Helpers every scanner uses to turn findings into a result, so that outcome, score and
 * edit rules are the same across scanners.
 */
import { z } from 'zod';
import type { Finding, Outcome, ScanResult, Severity, SpanEdit } from '../types.ts';

/** Zod schema for a severity, shared so the generated docs list the same values everywhere. */
export const SeveritySchema = z.enum(['low', 'medium', 'high', 'critical']);

const rank: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

/** True when `a` is strictly more severe than `b`. */
export function moreSevere(a: Severity, b: Severity): boolean {
  return rank[a] > rank[b];
}

/** 'fail' when any finding is high or critical, 'flag' when any is low or medium, otherwise 'pass'. */
export function outcomeOf(findings: readonly Finding[]): Outcome {
  let outcome: Outcome = 'pass';
  for (const finding of findings) {
    if (rank[finding.severity] >= rank.high) return 'fail';
    outcome = 'flag';
  }
  return outcome;
}

/** The highest finding score, or 0 when nothing was found. */
export function maxScore(findings: readonly Finding[]): number {
  let score = 0;
  for (const finding of findings) if (finding.score > score) score = finding.score;
  return score;
}

/**
 * Unions overlapping or touching edits of one segment, keeping the first replacement: the policy
 * drops an edit that overlaps an earlier one, so overlaps here would silently leave text unredacted.
 */
export function mergeEdits(edits: readonly SpanEdit[]): SpanEdit[] {
  if (edits.length < 2) return edits.slice();
  const ordered = edits.slice().sort((a, b) => (a.segmentId < b.segmentId ? -1 : a.segmentId > b.segmentId ? 1 : a.start - b.start || b.end - a.end));
  const merged: SpanEdit[] = [];
  for (const edit of ordered) {
    const last = merged[merged.length - 1];
    // Touching non-empty edits merge too: one replacement for a run of matches, and fewer edits on huge inputs.
    const touches = last !== undefined && last.segmentId === edit.segmentId && (edit.start < last.end || (edit.start === last.end && edit.end > edit.start && last.end > last.start));
    if (last && touches) {
      if (edit.end > last.end) last.end = edit.end;
      continue;
    }
    merged.push({ ...edit });
  }
  return merged;
}

/** Builds the result: outcome from severities, score as the maximum finding score. */
export function buildResult(findings: Finding[], edits?: readonly SpanEdit[]): ScanResult {
  const result: ScanResult = { outcome: outcomeOf(findings), score: maxScore(findings), findings };
  if (edits && edits.length > 0) result.edits = mergeEdits(edits);
  return result;
}

/** A hint of a matched value that never reveals it: its first character and its length. */
export function redactedHint(value: string): string {
  const first = value.codePointAt(0);
  if (first === undefined) return '(empty)';
  const length = [...value].length;
  const head = first < 0x20 || (first >= 0x7f && first < 0xa0) ? '?' : String.fromCodePoint(first);
  return `${head}… (${length} chars)`;
}

/** Tracks findings and edits for one scan with a cap on findings, deduplicating identical ones. */
export class FindingCollector {
  readonly findings: Finding[] = [];
  readonly edits: SpanEdit[] = [];
  /** True once the cap dropped a finding. */
  truncated = false;
  readonly #seen = new Set<string>();
  readonly #maxFindings: number;

  constructor(maxFindings: number) {
    this.#maxFindings = maxFindings;
  }

  /** Adds a finding unless an identical rule+span was already reported; returns whether it was new. */
  add(finding: Finding, replacement?: string): boolean {
    const key = `${finding.segmentId}\u0000${finding.ruleId}\u0000${finding.span[0]}\u0000${finding.span[1]}`;
    if (this.#seen.has(key)) return false;
    this.#seen.add(key);
    // Edits are kept past the cap: a redaction that stops halfway would leak the rest.
    if (replacement !== undefined) this.edits.push({ segmentId: finding.segmentId, start: finding.span[0], end: finding.span[1], replacement });
    if (this.findings.length < this.#maxFindings) this.findings.push(finding);
    else this.truncated = true;
    return true;
  }

  /** The scan result built from what was collected. */
  result(): ScanResult {
    return buildResult(this.findings, this.edits);
  }
}
