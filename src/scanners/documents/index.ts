/**
 * data/documents: passages of the organisation's confidential documents in prompts and answers.
 * A folder of protected documents is fingerprinted once (words, k-word shingles, winnowing); each
 * segment's canonical view is fingerprinted the same way, hits are chained into passages, and a
 * passage long enough (or covering enough of its document) is reported with its span.
 */
import { z } from 'zod';
import { FindingCollector, SeveritySchema } from '../shared/result.ts';
import { defineScanner, type ScanContext, type ScanInput, type ScanResult, type ScanSegment } from '../types.ts';
import { buildCorpus } from './corpus.ts';
import { wordsOf, type Words } from './fingerprint.ts';
import { findPassages, type Passage } from './passages.ts';

/** Configuration of data/documents. */
export const DocumentsConfig = z
  .object({
    folder: z.string().default('').describe('Directory of protected documents (read recursively at start-up; .txt, .md, .json, .csv, .html are read as text, other files are skipped with a warning). Required: a missing, non-directory or empty folder stops start-up.'),
    minMatchChars: z.number().int().min(1).max(1_000_000).default(120).describe('Report a passage when the matched text spans at least this many characters.'),
    minDocumentFraction: z.number().min(0).max(1).default(0.8).describe('Also report a shorter passage when it covers at least this share of its (short) document.'),
    minSimilarity: z.number().min(0).max(1).default(0.5).describe('Least share of the document range\'s fingerprints found in the passage (1 = verbatim; a few changed words stay above 0.5).'),
    shingleWords: z.number().int().min(2).max(20).default(5).describe('Words per shingle (k): longer shingles mean fewer chance matches and less tolerance for edits.'),
    window: z.number().int().min(1).max(100).default(4).describe('Winnowing window in shingles: every shared run of window + shingleWords - 1 words is guaranteed a fingerprint.'),
    maxGap: z.number().int().min(1).max(1000).default(12).describe('Most shingles between two hits of one passage (tolerates changed words).'),
    severity: SeveritySchema.default('high').describe('Severity of a leaked passage.'),
    maxFileBytes: z.number().int().min(1).default(5_000_000).describe('Larger files in the folder are skipped with a warning.'),
    maxDocuments: z.number().int().min(1).default(10_000).describe('Most documents indexed; the rest are skipped with a warning.'),
    maxFindings: z.number().int().min(1).max(100_000).default(100).describe('Most findings reported per scan.'),
  })
  .strict();
export type DocumentsConfig = z.output<typeof DocumentsConfig>;

/** Documents fingerprint scanner definition. */
export const documentsScanner = defineScanner({
  id: 'data/documents',
  description:
    'Finds passages of protected documents (a configured folder, fingerprinted at start-up by word shingles and winnowing) in the canonical view of each segment, ' +
    'tolerating case, whitespace, punctuation and a few changed words. One finding per leaked passage (rule id `documents/leak`, score = similarity, evidence = document file name and similarity) ' +
    'when it spans at least minMatchChars characters or covers minDocumentFraction of its document. Outcome: fail if any finding is high or critical, flag if low or medium, else pass; score: the highest similarity, 0 when none.',
  phases: ['request', 'response', 'response-stream'],
  configSchema: DocumentsConfig,
  create(config, deps) {
    const corpus = buildCorpus({ folder: config.folder, shingleWords: config.shingleWords, window: config.window, maxFileBytes: config.maxFileBytes, maxDocuments: config.maxDocuments }, deps.logger);
    deps.logger.info({ scanner: 'data/documents', documents: corpus.documents.length, fingerprints: corpus.index.size }, 'protected documents indexed');
    return {
      scan(input: ScanInput, context: ScanContext): ScanResult {
        const collector = new FindingCollector(config.maxFindings);
        let tail = 0;
        for (const segment of input.segments) {
          context.signal.throwIfAborted();
          const canonical = segment.canonical;
          const words = wordsOf(canonical.text);
          const passages = findPassages(corpus, words, { shingleWords: config.shingleWords, maxGap: config.maxGap });
          if (input.phase === 'response-stream') tail = streamTail(segment.text.length, canonical, words, passages, config);
          for (const passage of passages) {
            if (passage.hits < 2 || passage.similarity < config.minSimilarity) continue;
            const [from, to] = canonical.toOriginal(passage.start, passage.end);
            const start = Math.max(0, Math.min(from, segment.text.length));
            const end = Math.max(start, Math.min(to, segment.text.length));
            if (end - start < config.minMatchChars && passage.documentFraction < config.minDocumentFraction) continue;
            const name = corpus.documents[passage.document]!.name;
            const similarity = Math.round(passage.similarity * 100);
            collector.add({
              ruleId: 'documents/leak',
              message: `Passage of protected document "${name}" (similarity ${similarity}%, ${end - start} characters, ${Math.round(passage.documentFraction * 100)}% of the document)`,
              severity: config.severity,
              score: Math.round(passage.similarity * 1000) / 1000,
              segmentId: segment.id,
              span: [start, end],
              evidence: `documents/leak ${name} similarity ${similarity}%`,
            });
          }
        }
        return input.phase === 'response-stream' ? { ...collector.result(), tail } : collector.result();
      },
    };
  },
});

/**
 * What a growing answer must keep back: the last window + k - 1 words (a passage's first
 * fingerprint may only appear that late), and any passage still open at the end (its last hit
 * within maxGap + k words of the end), from its start, until it is long enough to report or ends.
 */
function streamTail(length: number, canonical: ScanSegment['canonical'], words: Words, passages: readonly Passage[], config: DocumentsConfig): number {
  const n = words.starts.length;
  if (n === 0) return 0;
  const settle = config.window + config.shingleWords - 1;
  let holdFrom = n > settle ? words.starts[n - settle]! : words.starts[0]!;
  const open = config.maxGap + config.shingleWords;
  const openAfter = n > open ? words.starts[n - open]! : 0;
  for (const passage of passages) if (passage.end >= openAfter) holdFrom = Math.min(holdFrom, passage.start);
  const [original] = canonical.toOriginal(holdFrom, canonical.text.length);
  return Math.max(0, length - Math.min(original, length));
}
