import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { scanTexts, testDeps } from '../test-support.ts';
import { shingleHashes, winnow, wordsOf } from './fingerprint.ts';
import { documentsScanner, DocumentsConfig } from './index.ts';

const FIXTURES = fileURLToPath(new URL('./test-fixtures', import.meta.url));
const MEMO_SENTENCE =
  'The board of Halvard Systems approved a non-binding offer for Brightwater Logistics at a price of forty-two euros per share, conditional on the completion of financial due diligence by the end of the third quarter.';

describe('document fingerprints', () => {
  it('normalises case, width and punctuation into words with spans', () => {
    const words = wordsOf('Ｈｅｌｌｏ,  WORLD!! it’s');
    assert.deepEqual(words.words, ['hello', 'world', 'it', 's']);
    assert.deepEqual([words.starts[1], words.ends[1]], [8, 13]);
  });

  it('winnows one fingerprint per window at least, in increasing positions', () => {
    const hashes = shingleHashes(wordsOf('one two three four five six seven eight nine ten eleven twelve thirteen').words, 3);
    const selected = winnow(hashes, 4);
    for (let i = 0; i + 4 <= hashes.length; i++) assert.ok(selected.some((p) => p >= i && p < i + 4), `window at ${i} has a fingerprint`);
    assert.deepEqual(selected, [...selected].sort((a, b) => a - b));
  });
});

describe('data/documents scanner', () => {
  const config = { folder: FIXTURES };

  it('reports a verbatim quote with the document name, similarity and exact span', async () => {
    const text = `Can you summarise this? ${MEMO_SENTENCE} Thanks!`;
    const result = await scanTexts(documentsScanner, config, [text]);
    assert.equal(result.outcome, 'fail');
    assert.equal(result.findings.length, 1);
    const [finding] = result.findings;
    assert.equal(finding!.ruleId, 'documents/leak');
    assert.equal(text.slice(...finding!.span), MEMO_SENTENCE.slice(0, -1), 'the span runs from the first to the last matched word');
    assert.match(finding!.evidence!, /^documents\/leak merger-memo\.md similarity 100%$/);
    assert.equal(finding!.score, 1);
  });

  it('still matches with changed case, whitespace, punctuation and a few words', async () => {
    const edited = MEMO_SENTENCE.toUpperCase().replace(/, /g, ' -- ').replace('APPROVED', 'ACCEPTED').replace('FINANCIAL', 'LEGAL').replace(/ /g, '  ');
    const result = await scanTexts(documentsScanner, config, [edited]);
    assert.equal(result.findings.length, 1, JSON.stringify(result.findings));
    assert.ok(result.findings[0]!.score >= 0.5 && result.findings[0]!.score < 1);
    // The span still runs from the first to the last word, across the changed words.
    assert.deepEqual(result.findings[0]!.span, [0, edited.length - 1]);
  });

  it('matches text from HTML and CSV documents and reads folders recursively', async () => {
    const html = 'Production database credentials are rotated every thirty days by the platform team, and break-glass accounts may only be used during a declared incident with two approvers present.';
    const result = await scanTexts(documentsScanner, config, [html]);
    assert.deepEqual(result.findings.map((f) => f.evidence?.split(' ')[1]), ['handbook/security.html']);
    const csv = await scanTexts(documentsScanner, config, ['growth 79 20 percent regional director; enterprise: custom, 35 percent, chief revenue officer with written justification']);
    assert.deepEqual(csv.findings.map((f) => f.evidence?.split(' ')[1]), ['pricing.csv']);
  });

  it('maps spans from the canonical view back to the original (fullwidth, zero-width)', async () => {
    const disguised = MEMO_SENTENCE.replace('Halvard', 'Ｈａｌｖａｒｄ').replace('diligence', 'dili\u200Bgence');
    const text = `>> ${disguised}`;
    const result = await scanTexts(documentsScanner, config, [text]);
    assert.equal(result.findings.length, 1);
    assert.equal(text.slice(...result.findings[0]!.span), disguised.slice(0, -1));
  });

  it('does not flag unrelated text on the same topic', async () => {
    const text =
      'Our board approved an offer for a logistics company last year; due diligence took until the end of the quarter, and the integration plan merged two support teams under one director.';
    const result = await scanTexts(documentsScanner, config, [text]);
    assert.equal(result.outcome, 'pass');
    assert.equal(result.findings.length, 0);
  });

  it('finds the right document among many', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'bulwark-docs-'));
    try {
      // Pseudo-words from a 2,000-word vocabulary, drawn with a fixed seed.
      const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vi', 'so', 'pe', 'du'];
      const vocabulary = Array.from({ length: 2000 }, (_, i) => `${syllables[i % 10]}${syllables[Math.floor(i / 10) % 10]}${syllables[Math.floor(i / 100) % 10]}${i >= 1000 ? 'x' : ''}`);
      let state = 7;
      const word = (): string => vocabulary[(state = (Math.imul(state, 1664525) + 1013904223) >>> 0) % vocabulary.length]!;
      const documents: string[] = [];
      for (let d = 0; d < 300; d++) {
        const text = Array.from({ length: 120 }, word).join(' ');
        documents.push(text);
        writeFileSync(join(folder, `doc-${String(d).padStart(3, '0')}.txt`), text);
      }
      const quote = documents[217]!.split(' ').slice(40, 80).join(' ');
      const result = await scanTexts(documentsScanner, { folder }, [`see: ${quote}`]);
      assert.deepEqual(result.findings.map((f) => f.evidence?.split(' ')[1]), ['doc-217.txt']);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('skips non-text files with a warning', () => {
    const warnings: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(line) });
    documentsScanner.create(DocumentsConfig.parse(config), { ...testDeps, logger });
    assert.ok(warnings.some((line) => line.includes('logo.png') && line.includes('not a text format')));
  });

  it('refuses a missing, non-directory or empty folder, naming the setting', () => {
    const create = (folder: string) => () => documentsScanner.create(DocumentsConfig.parse({ folder }), testDeps);
    assert.throws(create(''), /"folder" is required/);
    assert.throws(create(join(FIXTURES, 'missing')), /"folder" .* does not exist/);
    assert.throws(create(join(FIXTURES, 'pricing.csv')), /"folder" .* is not a directory/);
    const empty = mkdtempSync(join(tmpdir(), 'bulwark-empty-'));
    try {
      assert.throws(create(empty), /"folder" .* holds no usable document/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
