/**
 * The protected-document corpus: reads a folder (recursively) once at create time, extracts text
 * (.txt, .md, .json, .csv as is; .html/.htm without tags), and indexes the winnowed fingerprints
 * as hash -> (document, shingle position).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import type { Logger } from 'pino';
import { shingleHashes, winnow, wordsOf } from './fingerprint.ts';

export const TEXT_EXTENSIONS = new Set(['.txt', '.md', '.json', '.csv', '.html', '.htm']);

export interface ProtectedDocument {
  /** Path relative to the folder, with forward slashes; not secret, used in evidence. */
  name: string;
  /** Number of shingles in the document. */
  shingles: number;
  /** Every shingle hash of the document, to extend passages past the fingerprints and measure similarity. */
  hashes: Uint32Array;
}

export interface Corpus {
  documents: ProtectedDocument[];
  /** Fingerprint hash -> one posting, or several: `document * POSITION_SPAN + shingle position`. */
  index: Map<number, number | number[]>;
}

/** Postings pack (document, position) into one number; positions stay below this (a 5 MB text has ~1M words). */
export const POSITION_SPAN = 2 ** 24;

export interface CorpusOptions {
  folder: string;
  shingleWords: number;
  window: number;
  maxFileBytes: number;
  maxDocuments: number;
}

/** Most postings kept per hash: boilerplate shared by many documents says little about any. */
const MAX_POSTINGS = 64;

function textOf(path: string, extension: string): string {
  const raw = readFileSync(path, 'utf8');
  if (extension === '.html' || extension === '.htm') return raw.replace(/<(script|style)\b[^>]*>[^<]*<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ').replace(/&[a-z]+;|&#[0-9]+;/gi, ' ');
  return raw;
}

function listFiles(root: string, folder: string, out: string[], depth: number): void {
  if (depth > 16) return;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) listFiles(root, path, out, depth + 1);
    else if (entry.isFile()) out.push(path);
  }
}

/** Reads and indexes the folder; throws an error naming `folder` when it is missing, not a directory or holds no usable document. */
export function buildCorpus(options: CorpusOptions, logger: Logger): Corpus {
  const root = resolve(options.folder);
  if (options.folder.trim() === '') throw new Error('data/documents: config "folder" is required: expected a directory of protected documents');
  let stat;
  try {
    stat = statSync(root);
  } catch {
    throw new Error(`data/documents: config "folder" ${JSON.stringify(options.folder)} does not exist: expected a directory of protected documents`);
  }
  if (!stat.isDirectory()) throw new Error(`data/documents: config "folder" ${JSON.stringify(options.folder)} is not a directory: expected a directory of protected documents`);
  const files: string[] = [];
  listFiles(root, root, files, 0);
  files.sort();
  const corpus: Corpus = { documents: [], index: new Map() };
  for (const path of files) {
    const name = relative(root, path).split('\\').join('/');
    const extension = extname(path).toLowerCase();
    if (!TEXT_EXTENSIONS.has(extension)) {
      logger.warn({ scanner: 'data/documents', file: name }, 'skipping protected document: not a text format (.txt, .md, .json, .csv, .html)');
      continue;
    }
    if (statSync(path).size > options.maxFileBytes) {
      logger.warn({ scanner: 'data/documents', file: name, maxFileBytes: options.maxFileBytes }, 'skipping protected document: larger than maxFileBytes');
      continue;
    }
    if (corpus.documents.length >= options.maxDocuments) {
      logger.warn({ scanner: 'data/documents', file: name, maxDocuments: options.maxDocuments }, 'skipping protected document: maxDocuments reached');
      continue;
    }
    const words = wordsOf(textOf(path, extension).normalize('NFKC'));
    const hashes = shingleHashes(words.words, options.shingleWords);
    if (hashes.length === 0) {
      logger.warn({ scanner: 'data/documents', file: name }, 'skipping protected document: fewer words than shingleWords');
      continue;
    }
    const selected = winnow(hashes, options.window);
    const documentIndex = corpus.documents.length;
    corpus.documents.push({ name, shingles: hashes.length, hashes });
    for (const position of selected) {
      if (position >= POSITION_SPAN) break;
      const hash = hashes[position]!;
      const posting = documentIndex * POSITION_SPAN + position;
      // Most hashes occur once: a bare number instead of an array keeps the index small.
      const existing = corpus.index.get(hash);
      if (existing === undefined) corpus.index.set(hash, posting);
      else if (typeof existing === 'number') corpus.index.set(hash, [existing, posting]);
      else if (existing.length < MAX_POSTINGS) existing.push(posting);
    }
  }
  if (corpus.documents.length === 0) throw new Error(`data/documents: config "folder" ${JSON.stringify(options.folder)} holds no usable document: expected .txt, .md, .json, .csv or .html files with at least shingleWords words`);
  return corpus;
}
