/**
 * data/documents cost: index build time and memory for a synthetic corpus (1,000 documents of
 * 1,500 pseudo-words, ~11 MB), and scan time for a ~150 KB text. Prints text, then one JSON line.
 *
 *   node --import tsx bench/documents.ts
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { buildCorpus } from '../src/scanners/documents/corpus.ts';
import { wordsOf } from '../src/scanners/documents/fingerprint.ts';
import { findPassages } from '../src/scanners/documents/passages.ts';

const folder = mkdtempSync(join(tmpdir(), 'bulwark-docbench-'));
try {
  let state = 7;
  const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vi', 'so', 'pe', 'du'];
  const vocabulary = Array.from({ length: 20_000 }, (_, i) => `${syllables[i % 10]}${syllables[Math.floor(i / 10) % 10]}${syllables[Math.floor(i / 100) % 10]}${syllables[Math.floor(i / 1000) % 10]}${i >= 10_000 ? 'x' : ''}`);
  const word = (): string => vocabulary[(state = (Math.imul(state, 1664525) + 1013904223) >>> 0) % vocabulary.length]!;
  let bytes = 0;
  for (let d = 0; d < 1000; d++) {
    const text = Array.from({ length: 1500 }, word).join(' ');
    bytes += text.length;
    writeFileSync(join(folder, `doc-${d}.txt`), text);
  }
  const heapBefore = process.memoryUsage().heapUsed;
  let started = performance.now();
  const corpus = buildCorpus({ folder, shingleWords: 5, window: 4, maxFileBytes: 5_000_000, maxDocuments: 10_000 }, pino({ level: 'silent' }));
  const buildMs = performance.now() - started;
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
  const query = Array.from({ length: 20_000 }, word).join(' ');
  findPassages(corpus, wordsOf(query), { shingleWords: 5, maxGap: 12 });
  started = performance.now();
  for (let i = 0; i < 10; i++) findPassages(corpus, wordsOf(query), { shingleWords: 5, maxGap: 12 });
  const scanMs = (performance.now() - started) / 10;
  console.log(`corpus ${(bytes / 1e6).toFixed(1)} MB in ${corpus.documents.length} documents, ${corpus.index.size} distinct fingerprints`);
  console.log(`index build ${buildMs.toFixed(0)} ms, heap +${heapMb.toFixed(0)} MB; scan of a ${(query.length / 1e3).toFixed(0)} KB text ${scanMs.toFixed(1)} ms`);
  console.log(JSON.stringify({ bench: 'documents', corpusMb: +(bytes / 1e6).toFixed(2), documents: corpus.documents.length, buildMs: Math.round(buildMs), heapMb: Math.round(heapMb), scanKb: Math.round(query.length / 1e3), scanMs: +scanMs.toFixed(2) }));
} finally {
  rmSync(folder, { recursive: true, force: true });
}
