/**
 * Document fingerprints: words (letters and digits, NFKC, lowercase; whitespace and punctuation
 * only separate), k-word shingles hashed to 32 bits, and winnowing (Schleimer et al., 2003): the
 * minimum hash of every window of `window` consecutive shingles, so any shared run of at least
 * `window + k - 1` words shares a fingerprint. One linear pass each.
 */

export interface Words {
  /** Normalised words. */
  words: string[];
  /** Span of each word in the text it came from (UTF-16, end exclusive). */
  starts: number[];
  ends: number[];
}

const WORD = /[\p{L}\p{N}]+/gu;

/** The words of `text` with their spans; the text should already be canonical (NFKC) for best results. */
export function wordsOf(text: string): Words {
  const out: Words = { words: [], starts: [], ends: [] };
  WORD.lastIndex = 0;
  for (let m = WORD.exec(text); m; m = WORD.exec(text)) {
    out.words.push(m[0].normalize('NFKC').toLowerCase());
    out.starts.push(m.index);
    out.ends.push(m.index + m[0].length);
  }
  return out;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Hash of each run of `k` consecutive words (length: words - k + 1, or 0). */
export function shingleHashes(words: readonly string[], k: number): Uint32Array {
  const count = Math.max(0, words.length - k + 1);
  const wordHashes = words.map(fnv1a);
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    let hash = 0x9e3779b9;
    for (let j = 0; j < k; j++) {
      hash = Math.imul(hash ^ wordHashes[i + j]!, 0x85ebca6b);
      hash ^= hash >>> 13;
    }
    out[i] = hash >>> 0;
  }
  return out;
}

/** Winnowing: positions (shingle indexes) of the selected fingerprints, rightmost minimum per window. */
export function winnow(hashes: Uint32Array, window: number): number[] {
  const selected: number[] = [];
  if (hashes.length === 0) return selected;
  if (hashes.length <= window) {
    let min = 0;
    for (let i = 1; i < hashes.length; i++) if (hashes[i]! <= hashes[min]!) min = i;
    selected.push(min);
    return selected;
  }
  // Monotonic deque of indexes with increasing hashes: the front is the window minimum.
  const deque: number[] = [];
  let head = 0;
  let last = -1;
  for (let i = 0; i < hashes.length; i++) {
    while (deque.length > head && hashes[deque[deque.length - 1]!]! >= hashes[i]!) deque.pop();
    deque.push(i);
    if (deque[head]! <= i - window) head++;
    if (i >= window - 1) {
      const min = deque[head]!;
      if (min !== last) {
        selected.push(min);
        last = min;
      }
    }
  }
  return selected;
}
