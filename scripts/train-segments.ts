/**
 * The indirect detector's piece-level model (see src/scanners/injection/segments.ts), trained by
 * scripts/train-injection.ts. Labels come from the data itself: a BIPIA document is a clean
 * context with an attack inserted, and every clean context is a label-0 row, so the pieces of an
 * injected document that no clean document contains are the attack. Pieces of clean documents
 * are the negatives; short direct-injection positives add attack phrasing from other authors.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalize } from '../src/text/canonicalize.ts';
import { inspect } from '../src/scanners/injection/detector.ts';
import { piecesWithContext } from '../src/scanners/injection/segments.ts';
import { fit, platt, rng, toExample, type Example } from '../src/scanners/injection/train.ts';
import { onGrid } from '../src/scanners/injection/weight-grid.ts';
import { sigmoid } from '../src/scanners/injection/model.ts';

export interface SegmentRow {
  text: string;
  label: 0 | 1;
  source: string;
}

export interface SegmentModel {
  weights: Float32Array;
  bias: number;
  platt: { a: number; b: number };
}

/** The parts the detector scores for a document (canonical text and decoded payloads). */
export function partsOf(text: string): string[] {
  return inspect(canonicalize(text), 'indirect').parts;
}

const MAX_DIRECT = 600;

/** Piece examples from the given rows (indices into `rows`). */
export function segmentExamples(rows: readonly SegmentRow[], indices: readonly number[], bits: number, parts: readonly string[][]): Example[] {
  const cleanPieces = (subset: Iterable<number>): Set<string> => {
    const out = new Set<string>();
    for (const index of subset) {
      const row = rows[index]!;
      if (row.label === 0 && row.source.startsWith('bipia:')) for (const part of parts[index]!) for (const piece of piecesWithContext(part)) out.add(piece.raw);
    }
    return out;
  };
  // Negatives come from the fitted rows only; every clean context (held-back ones too) is used to
  // tell the context of an injected document from its attack, never as a training example.
  const negatives = cleanPieces(indices);
  const clean = cleanPieces(rows.keys());
  const examples: Example[] = [];
  const seen = new Set<string>();
  for (const index of indices) {
    const row = rows[index]!;
    if (row.label !== 0 || !row.source.startsWith('bipia:')) continue;
    for (const part of parts[index]!) for (const piece of piecesWithContext(part)) if (negatives.has(piece.raw) && !seen.has(piece.text)) {
      seen.add(piece.text);
      examples.push(toExample(piece.text, [], 0, bits));
    }
  }
  for (const index of indices) {
    const row = rows[index]!;
    if (row.label !== 1) continue;
    if (row.source.startsWith('bipia:')) {
      for (const part of parts[index]!) for (const piece of piecesWithContext(part)) if (!clean.has(piece.raw)) examples.push(toExample(piece.text, [], 1, bits));
    } else if (row.text.length <= MAX_DIRECT) {
      for (const piece of piecesWithContext(parts[index]![0]!)) examples.push(toExample(piece.text, [], 1, bits));
    }
  }
  return examples;
}

export function maxMargin(model: Pick<SegmentModel, 'weights' | 'bias'>, parts: readonly string[], bits: number): number {
  let best = Number.NEGATIVE_INFINITY;
  for (const part of parts) {
    for (const piece of piecesWithContext(part)) {
      const vector = toExample(piece.text, [], 0, bits).vector;
      let sum = 0;
      for (const i of vector.indices) sum += model.weights[i] ?? 0;
      best = Math.max(best, model.bias + sum * vector.value);
    }
  }
  return best;
}

/** Fits the piece model on `fitIndices` and Platt-scales its document score on `heldIndices` (BIPIA rows only). */
/** Our own requests written for people (not for an assistant), one a line; planted as negatives. */
const DOCUMENT_NEGATIVES = readFileSync(join(import.meta.dirname, 'document-negatives.txt'), 'utf8').split('\n').map((line) => line.trim()).filter((line) => line !== '');

/** Requests planted into clean documents per training run (see plantedExamples). */
const PLANTED = 2400;

/**
 * More attack wording than BIPIA's few authors: short prompts of the direct-injection data (benign
 * requests and questions as much as attacks; inside a document, any request addressed to the reader
 * is what BIPIA calls an injection) planted as a new line at the start, middle or end of a clean
 * fitted document, the way the BIPIA rows were built. The planted pieces are the positives; our own
 * person-to-person requests (document-negatives.txt), planted alike, are negatives.
 */
export function plantedExamples(rows: readonly SegmentRow[], indices: readonly number[], bits: number, seed: number): Example[] {
  const random = rng(seed ^ 0x2545f491);
  // By context kind first (email, table, code), so the few clean emails get as many planted requests as the many tables.
  const byKind = new Map<string, number[]>();
  for (const index of indices) {
    const row = rows[index]!;
    if (row.label !== 0 || !row.source.startsWith('bipia:')) continue;
    const kind = row.source.split(':')[1]!;
    byKind.set(kind, [...(byKind.get(kind) ?? []), index]);
  }
  const kinds = [...byKind.keys()].sort();
  const prompts = indices.filter((index) => !rows[index]!.source.startsWith('bipia:') && rows[index]!.text.length >= 20 && rows[index]!.text.length <= 300 && !rows[index]!.text.includes('\n'));
  const examples: Example[] = [];
  if (kinds.length === 0 || prompts.length === 0) return examples;
  const plant = (i: number, text: string, label: 0 | 1): void => {
    const contexts = byKind.get(kinds[i % kinds.length]!)!;
    const context = rows[contexts[Math.floor(random() * contexts.length)]!]!.text;
    const lines = context.split('\n');
    const at = [0, Math.floor(lines.length / 2), lines.length][Math.floor(i / kinds.length) % 3]!;
    const planted = [...lines.slice(0, at), text, ...lines.slice(at)].join('\n');
    const known = new Set(piecesWithContext(canonicalize(context).text).map((piece) => piece.raw));
    for (const piece of piecesWithContext(canonicalize(planted).text)) if (!known.has(piece.raw)) examples.push(toExample(piece.text, [], label, bits));
  };
  for (let i = 0; i < PLANTED; i++) plant(i, rows[prompts[Math.floor(random() * prompts.length)]!]!.text.trim(), 1);
  // Counter-examples: requests people write to people in mail, notices and manuals (our own sentences,
  // document-negatives.txt), planted the same way as label 0, so a request alone is no evidence.
  for (let i = 0; i < PLANTED / 2; i++) plant(i, DOCUMENT_NEGATIVES[Math.floor(random() * DOCUMENT_NEGATIVES.length)]!, 0);
  return examples;
}

export function trainSegments(rows: readonly SegmentRow[], parts: readonly string[][], fitIndices: readonly number[], heldIndices: readonly number[], bits: number, seed: number): SegmentModel {
  const examples = segmentExamples(rows, fitIndices, bits, parts).concat(plantedExamples(rows, fitIndices, bits, seed));
  const fitted = fit(examples, { bits, dims: 1 << bits, epochs: 8, learningRate: 0.4, l2: 1e-5, seed });
  const weights = onGrid(fitted.weights);
  const bias = fitted.bias;
  const held = heldIndices.filter((index) => rows[index]!.source.startsWith('bipia:'));
  const margins = held.map((index) => maxMargin({ weights, bias }, parts[index]!, bits));
  const calibration = platt(margins.map((m) => (Number.isFinite(m) ? m : -10)), held.map((index) => rows[index]!.label));
  return { weights, bias, platt: calibration };
}

export function segmentProbability(model: SegmentModel, parts: readonly string[], bits: number): number {
  const m = maxMargin(model, parts, bits);
  return Number.isFinite(m) ? sigmoid(model.platt.a * m + model.platt.b) : 0;
}
