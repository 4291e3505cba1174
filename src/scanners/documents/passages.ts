/**
 * Leaked passages: every shingle of the scanned text is looked up in the corpus index; hits of
 * one document are chained in text order while the gap between them (in the text and in the
 * document) stays under `maxGap` shingles, and each chain becomes a passage with its span and a
 * similarity (share of the document range's shingles found in the passage).
 */
import { POSITION_SPAN, type Corpus } from './corpus.ts';
import { shingleHashes, type Words } from './fingerprint.ts';

export interface Passage {
  document: number;
  /** Span in the scanned text (UTF-16, end exclusive). */
  start: number;
  end: number;
  /** Share of the matched document range's shingles that occur in the passage (0-1]. */
  similarity: number;
  /** Share of the document's shingles covered by the matched range (0-1]. */
  documentFraction: number;
  hits: number;
}

interface Hit {
  query: number;
  position: number;
}

export interface PassageOptions {
  shingleWords: number;
  maxGap: number;
}

/** Passages of protected documents found in `words` (the words of one scanned text). */
export function findPassages(corpus: Corpus, words: Words, options: PassageOptions): Passage[] {
  const k = options.shingleWords;
  const hashes = shingleHashes(words.words, k);
  const byDocument = new Map<number, Hit[]>();
  for (let query = 0; query < hashes.length; query++) {
    const postings = corpus.index.get(hashes[query]!);
    if (postings === undefined) continue;
    for (const posting of typeof postings === 'number' ? [postings] : postings) {
      const document = Math.floor(posting / POSITION_SPAN);
      let hits = byDocument.get(document);
      if (!hits) byDocument.set(document, (hits = []));
      hits.push({ query, position: posting % POSITION_SPAN });
    }
  }
  const passages: Passage[] = [];
  for (const [document, hits] of byDocument) {
    // Hits arrive in query order; a chain continues while both gaps stay small and the document moves forward.
    let chain: Hit[] = [];
    const flush = (): void => {
      if (chain.length > 0) passages.push(toPassage(corpus, document, chain, words, hashes, options.maxGap));
      chain = [];
    };
    for (const hit of hits) {
      const last = chain[chain.length - 1];
      if (last && (hit.query - last.query > options.maxGap || hit.position <= last.position - options.maxGap || hit.position - last.position > options.maxGap)) flush();
      chain.push(hit);
    }
    flush();
  }
  return passages;
}

/** The smallest step (2..maxGap) in `direction` at which query and document shingles agree again at the same offset, or 0. */
function alignedAgreement(query: Uint32Array, doc: Uint32Array, q: number, p: number, direction: 1 | -1, maxGap: number): number {
  for (let step = 2; step <= maxGap; step++) {
    const qi = q + direction * step;
    const pi = p + direction * step;
    if (qi < 0 || pi < 0 || qi >= query.length || pi >= doc.length) return 0;
    if (query[qi] === doc[pi]) return step;
  }
  return 0;
}

function toPassage(corpus: Corpus, document: number, chain: readonly Hit[], words: Words, queryHashes: Uint32Array, maxGap: number): Passage {
  const doc = corpus.documents[document]!;
  const k = words.words.length - queryHashes.length + 1;
  let firstQuery = Infinity, lastQuery = -1, firstPosition = Infinity, lastPosition = -1;
  for (const hit of chain) {
    if (hit.query < firstQuery) [firstQuery, firstPosition] = [hit.query, hit.position];
    if (hit.query > lastQuery) [lastQuery, lastPosition] = [hit.query, hit.position];
  }
  // Winnowing keeps only some shingles: grow both ends while the neighbours still agree, stepping
  // over a changed word (it spoils k aligned shingles) when an aligned shingle within maxGap agrees again.
  for (;;) {
    while (firstQuery > 0 && firstPosition > 0 && queryHashes[firstQuery - 1] === doc.hashes[firstPosition - 1]) {
      firstQuery--;
      firstPosition--;
    }
    const step = alignedAgreement(queryHashes, doc.hashes, firstQuery, firstPosition, -1, maxGap);
    if (step === 0) break;
    firstQuery -= step;
    firstPosition -= step;
  }
  for (;;) {
    while (lastQuery + 1 < queryHashes.length && lastPosition + 1 < doc.shingles && queryHashes[lastQuery + 1] === doc.hashes[lastPosition + 1]) {
      lastQuery++;
      lastPosition++;
    }
    const step = alignedAgreement(queryHashes, doc.hashes, lastQuery, lastPosition, 1, maxGap);
    if (step === 0) break;
    lastQuery += step;
    lastPosition += step;
  }
  const lowPosition = Math.min(firstPosition, lastPosition);
  const highPosition = Math.max(firstPosition, lastPosition);
  // Similarity: share of the document range's shingles that occur in the passage.
  const present = new Set<number>();
  for (let q = firstQuery; q <= lastQuery; q++) present.add(queryHashes[q]!);
  let found = 0;
  for (let p = lowPosition; p <= highPosition; p++) if (present.has(doc.hashes[p]!)) found++;
  return {
    document,
    start: words.starts[firstQuery]!,
    end: words.ends[Math.min(words.ends.length - 1, lastQuery + k - 1)]!,
    similarity: found / (highPosition - lowPosition + 1),
    documentFraction: Math.min(1, (highPosition - lowPosition + k) / (doc.shingles + k - 1)),
    hits: chain.length,
  };
}
