/**
 * Maps spans of the canonical text back to the original. The canonical text is a sequence of
 * segments; an identity segment copies original code units one to one, a replacement segment
 * stands for a whole original chunk (every canonical unit in it maps to the whole chunk).
 * Removed characters simply fall between segments.
 */

/** A canonical-to-original span mapper; both spans are end exclusive. */
export type SpanMapper = (start: number, end: number) => [number, number];

/** Clamps a caller-supplied offset into [0, max], treating NaN as 0. */
function clampOffset(value: number, max: number): number {
  if (!(value > 0)) return 0;
  if (value >= max) return max;
  return Math.floor(value);
}

/** The mapper for text that canonicalisation left untouched: spans map to themselves. */
export function identityMapper(length: number): SpanMapper {
  return (start, end) => {
    const s = clampOffset(start, length);
    const e = clampOffset(end, length);
    return s <= e ? [s, e] : [e, s];
  };
}

/** Records segments while the canonical text is built, in order, then freezes them into a mapper. */
export class OffsetMapBuilder {
  private canonStart = new Int32Array(64);
  private origStart = new Int32Array(64);
  private origEnd = new Int32Array(64);
  private identity = new Uint8Array(64);
  private segments = 0;
  private length = 0;

  /** Appends `count` code units copied unchanged from original offset `origStart`. */
  copy(origStart: number, count: number): void {
    if (count <= 0) return;
    const last = this.segments - 1;
    if (last >= 0 && this.identity[last] === 1 && this.origEnd[last] === origStart) {
      this.origEnd[last] = origStart + count;
    } else {
      this.push(origStart, origStart + count, 1);
    }
    this.length += count;
  }

  /** Appends `count` canonical code units that replace original span [origStart, origEnd). */
  replace(origStart: number, origEnd: number, count: number): void {
    if (count <= 0) return;
    this.push(origStart, origEnd, 0);
    this.length += count;
  }

  /** Freezes the segments into a mapper over an original of `originalLength` code units. */
  build(originalLength: number): SpanMapper {
    const segments = new SegmentTable(
      this.canonStart.subarray(0, this.segments),
      this.origStart.subarray(0, this.segments),
      this.origEnd.subarray(0, this.segments),
      this.identity.subarray(0, this.segments),
      this.length,
      originalLength,
    );
    return (start, end) => segments.map(start, end);
  }

  private push(origStart: number, origEnd: number, identity: number): void {
    if (this.segments === this.canonStart.length) this.grow();
    const at = this.segments++;
    this.canonStart[at] = this.length;
    this.origStart[at] = origStart;
    this.origEnd[at] = origEnd;
    this.identity[at] = identity;
  }

  private grow(): void {
    const size = this.canonStart.length * 2;
    const widen = <T extends Int32Array | Uint8Array>(old: T, next: T): T => {
      next.set(old);
      return next;
    };
    this.canonStart = widen(this.canonStart, new Int32Array(size));
    this.origStart = widen(this.origStart, new Int32Array(size));
    this.origEnd = widen(this.origEnd, new Int32Array(size));
    this.identity = widen(this.identity, new Uint8Array(size));
  }
}

/** Frozen segments with binary search; see the module comment for what a segment is. */
class SegmentTable {
  constructor(
    private readonly canonStart: Int32Array,
    private readonly origStart: Int32Array,
    private readonly origEnd: Int32Array,
    private readonly identity: Uint8Array,
    private readonly total: number,
    private readonly originalLength: number,
  ) {}

  /** Smallest original span covering canonical [start, end); an empty span maps to a point. */
  map(start: number, end: number): [number, number] {
    const total = this.total;
    if (total === 0 || this.canonStart.length === 0) return [0, 0];
    let s = clampOffset(start, total);
    let e = clampOffset(end, total);
    if (e < s) [s, e] = [e, s];
    if (s === e) {
      const point = Math.min(s < total ? this.startOf(s) : this.endOf(total - 1), this.originalLength);
      return [point, point];
    }
    return [this.startOf(s), Math.min(this.endOf(e - 1), this.originalLength)];
  }

  private segmentOf(unit: number): number {
    const canonStart = this.canonStart;
    let lo = 0;
    let hi = canonStart.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (canonStart[mid]! <= unit) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private startOf(unit: number): number {
    const seg = this.segmentOf(unit);
    return this.identity[seg] === 1 ? this.origStart[seg]! + (unit - this.canonStart[seg]!) : this.origStart[seg]!;
  }

  private endOf(unit: number): number {
    const seg = this.segmentOf(unit);
    return this.identity[seg] === 1 ? this.origStart[seg]! + (unit - this.canonStart[seg]!) + 1 : this.origEnd[seg]!;
  }
}
