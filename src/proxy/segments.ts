import { canonicalize } from '../text/canonicalize.ts';
import type { ScanSegment } from '../scanners/types.ts';
import type { TextSegment } from '../wire/types.ts';

/** Adds the canonical view every scanner needs, computed once per segment. */
export function toScanSegments(segments: readonly TextSegment[]): ScanSegment[] {
  return segments.map((segment) => ({
    id: segment.id,
    role: segment.role,
    origin: segment.origin,
    text: segment.text,
    canonical: canonicalize(segment.text),
  }));
}
