/**
 * Runs the dangerous-pattern rules over a text line by line: a pattern runs on a line only when
 * the lower-cased line holds one of its triggers; multi-line patterns remember where each part
 * last matched and fire when all parts lie within WINDOW_LINES lines.
 */
import { linesOf } from './blocks.ts';
import { PATTERNS, WINDOW_LINES, type Pattern, type RuleId } from './rules.ts';
import type { CancelSignal } from '../../runtime/cancel-signal.ts';

export interface RuleHit {
  pattern: Pattern;
  /** Span in the text (UTF-16, end exclusive). */
  start: number;
  end: number;
}

export interface MatchResult {
  hits: RuleHit[];
  /**
   * Where a dangerous construct may still be forming at the end of the text: the start of the
   * earliest part of a multi-line pattern still waiting for its other parts, else text.length.
   */
  openFrom: number;
}

/** Lines longer than this are looked at in overlapping pieces, so one pattern run is bounded. */
const PIECE = 8_192;
const OVERLAP = 1_024;

function pieces(text: string, start: number, end: number): [number, number][] {
  if (end - start <= PIECE) return [[start, end]];
  const out: [number, number][] = [];
  for (let from = start; from < end; from += PIECE - OVERLAP) {
    out.push([from, Math.min(end, from + PIECE)]);
    if (from + PIECE >= end) break;
  }
  return out;
}

/** Every hit of the enabled rules in `text`. */
export function matchRules(text: string, enabled: ReadonlySet<RuleId>, signal?: CancelSignal): MatchResult {
  const active = PATTERNS.filter((pattern) => enabled.has(pattern.rule));
  const hits: RuleHit[] = [];
  // For each multi-line pattern: per part, the last line index and span where it matched.
  const partsSeen = new Map<Pattern, ({ line: number; start: number; end: number } | undefined)[]>();
  const lines = linesOf(text);
  lines.forEach((line, index) => {
    if (index % 256 === 0) signal?.throwIfAborted();
    if (line.end === line.start) return;
    for (const [from, to] of pieces(text, line.start, line.end)) {
      const piece = text.slice(from, to);
      const lower = piece.toLowerCase();
      for (const pattern of active) {
        if (!pattern.triggers.some((trigger) => lower.includes(trigger))) continue;
        if (pattern.pattern) {
          const match = pattern.pattern.exec(piece);
          if (match) hits.push({ pattern, start: from + match.index, end: from + match.index + match[0].length });
          continue;
        }
        let seen = partsSeen.get(pattern);
        if (!seen) partsSeen.set(pattern, (seen = pattern.parts!.map(() => undefined)));
        pattern.parts!.forEach((part, i) => {
          const match = part.exec(piece);
          if (match) seen[i] = { line: index, start: from + match.index, end: from + match.index + match[0].length };
        });
        if (seen.every((part) => part !== undefined && index - part.line <= WINDOW_LINES)) {
          const parts = seen as { start: number; end: number }[];
          hits.push({ pattern, start: Math.min(...parts.map((part) => part.start)), end: Math.max(...parts.map((part) => part.end)) });
          seen.fill(undefined);
        }
      }
    }
  });
  // A multi-line pattern with some parts seen in the last window is still open.
  let openFrom = text.length;
  const lastLine = lines.length - 1;
  for (const seen of partsSeen.values()) {
    for (const part of seen) if (part && lastLine - part.line <= WINDOW_LINES) openFrom = Math.min(openFrom, lines[part.line]!.start);
  }
  return { hits, openFrom };
}
