import { applyEdits } from '../policy/decide.ts';
import type { SpanEdit } from '../scanners/types.ts';
import { getAtPath, setAtPath } from '../wire/json-path.ts';
import type { TextSegment } from '../wire/types.ts';

/** Writes redactions back into a wire body; false when a target is not editable text (caller fails closed). */
export function applyEditsToBody(body: Record<string, unknown>, segments: readonly TextSegment[], edits: readonly SpanEdit[]): boolean {
  const bySegment = new Map<string, SpanEdit[]>();
  for (const edit of edits) bySegment.set(edit.segmentId, [...(bySegment.get(edit.segmentId) ?? []), edit]);
  for (const [segmentId, list] of bySegment) {
    const segment = segments.find((candidate) => candidate.id === segmentId);
    if (!segment || typeof getAtPath(body, segment.path) !== 'string') return false;
    setAtPath(body, segment.path, applyEdits(segment.text, list));
  }
  return true;
}
