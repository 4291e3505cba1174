/**
 * Feature collection for features.ts: a bitmap over the 2^bits hashed buckets dedupes as features
 * arrive (like a Set), `features` lists each bucket once in first-seen order, and a summary bitmap
 * (one bit per 32-bucket word) lets the sorted output be read off in O(2^bits / 1024 + unique) with no
 * sort (typed-array sort is slow here). Both bitmaps are all-zero between calls: a call starts with
 * useBitmap, marks, and ends with drainSorted, drainDot or clearMarked. Used for bits <= 24; other sizes
 * go through a Set and a sort (no model uses them).
 */
export const MAX_BITMAP_BITS = 24;
let bitmapBits = -1;
let bitmap = new Int32Array(1);
let summary = new Int32Array(1);
/** Set while a call has marks in the bitmaps; still set at the next call only if one threw midway. */
let dirty = false;
let features = new Uint32Array(4096);

/** Makes room for `needed` features in the list. */
export function reserve(needed: number): void {
  if (features.length >= needed) return;
  const grown = new Uint32Array(Math.max(needed, features.length * 2));
  grown.set(features);
  features = grown;
}

/** The features marked so far, in first-seen order (valid until the next reserve). */
export function marked(): Uint32Array {
  return features;
}

/** Starts a call: sizes the bitmaps for 2^bits buckets (kept at the largest size met, so models of different sizes share them). */
export function useBitmap(bits: number): void {
  if (dirty) {
    bitmap.fill(0);
    summary.fill(0);
  }
  dirty = true;
  if (bits <= bitmapBits) return;
  bitmapBits = bits;
  bitmap = new Int32Array(Math.max(1, 2 ** bits / 32));
  summary = new Int32Array(Math.max(1, bitmap.length / 32));
}

/** Adds bucket `index` (< 2^bits) to `features[count]` unless already present; returns the new count. */
export function mark(index: number, count: number): number {
  const word = index >>> 5;
  const bit = 1 << (index & 31);
  const held = bitmap[word]!;
  if ((held & bit) !== 0) return count;
  if (held === 0) summary[word >>> 5] = summary[word >>> 5]! | (1 << (word & 31));
  bitmap[word] = held | bit;
  features[count] = index;
  return count + 1;
}

/** Ends a call: writes the marked buckets (all below 2^bits) in ascending order into `out` from 0 and clears both bitmaps. */
export function drainSorted(out: Uint32Array, bits: number): void {
  let k = 0;
  const summaryWords = Math.ceil(2 ** bits / 1024);
  for (let s = 0; s < summaryWords; s++) {
    let words = summary[s]!;
    if (words === 0) continue;
    summary[s] = 0;
    while (words !== 0) {
      const low = words & -words;
      words ^= low;
      const word = (s << 5) + 31 - Math.clz32(low);
      let held = bitmap[word]!;
      bitmap[word] = 0;
      while (held !== 0) {
        const one = held & -held;
        held ^= one;
        out[k++] = (word << 5) + 31 - Math.clz32(one);
      }
    }
  }
  dirty = false;
}

/** Ends a call: drainSorted's walk, summing `weights[index] ?? 0` in ascending index order instead of writing the indices. */
export function drainDot(weights: Float32Array, bits: number): number {
  let sum = 0;
  const summaryWords = Math.ceil(2 ** bits / 1024);
  for (let s = 0; s < summaryWords; s++) {
    let words = summary[s]!;
    if (words === 0) continue;
    summary[s] = 0;
    while (words !== 0) {
      const low = words & -words;
      words ^= low;
      const word = (s << 5) + 31 - Math.clz32(low);
      let held = bitmap[word]!;
      bitmap[word] = 0;
      while (held !== 0) {
        const one = held & -held;
        held ^= one;
        sum += weights[(word << 5) + 31 - Math.clz32(one)] ?? 0;
      }
    }
  }
  dirty = false;
  return sum;
}

/** Ends a call without reading the bitmaps: clears the words of the `count` features listed. */
export function clearMarked(count: number): void {
  const list = features;
  for (let i = 0; i < count; i++) {
    const index = list[i]!;
    bitmap[index >>> 5] = 0;
    summary[index >>> 10] = 0;
  }
  dirty = false;
}
