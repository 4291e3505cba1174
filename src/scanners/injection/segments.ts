/**
 * Splits a document into the short pieces an injected instruction usually occupies: lines, and
 * sentences inside long lines. The indirect detector scores every piece on its own and keeps the
 * highest, so one imperative sentence addressed to the assistant is not diluted by the email,
 * table or code around it, wherever it sits (start, middle or end).
 *
 * Linear in the length of the text; no regexes on input.
 */
import { pieceCues } from './piece-cues.ts';

/** Pieces shorter than this are merged into the next one (table cells, list bullets). */
const MIN_PIECE = 24;
/** Pieces longer than this are cut at the next whitespace (an unpunctuated wall of text). */
const MAX_PIECE = 600;
/** Most pieces scored per text: beyond it, the remainder is one piece (bounded cost). */
const MAX_PIECES = 400;

/** Where a piece ends by itself: a line feed, or `.`, `!` or `?` followed by whitespace (space, tab, CR, LF, NBSP). */
const NATURAL_BREAK = /\n|[.!?](?=[ \t\r\n\u00a0])/g;
/** Whitespace (the same five): where an over-long piece is cut. */
const SPACE = /[ \t\r\n\u00a0]/g;

/**
 * The pieces cut so far: text[start, end) trimmed becomes a piece, or waits (merged with the next
 * one) while shorter than MIN_PIECE. A class rather than a closure per call (the tsx loader wraps
 * named closures in a `__name` call).
 */
class Pieces {
  readonly out: string[] = [];
  start = 0;
  pending = '';

  constructor(private readonly text: string) {}

  push(end: number): void {
    const piece = this.text.slice(this.start, end).trim();
    this.start = end;
    if (piece === '') return;
    const merged = this.pending === '' ? piece : `${this.pending} ${piece}`;
    if (merged.length < MIN_PIECE) {
      this.pending = merged;
      return;
    }
    this.pending = '';
    this.out.push(merged);
  }
}

/**
 * Lines, and sentences (ending in `.`, `!` or `?` followed by whitespace) within lines; a piece
 * reaching MAX_PIECE units is cut at the next whitespace. The regex engine finds the breaks (several
 * times faster than testing every code unit here); each break is taken exactly where a scan of
 * every unit would take it.
 */
export function segmentsOf(text: string): string[] {
  const pieces = new Pieces(text);
  const out = pieces.out;
  NATURAL_BREAK.lastIndex = 0;
  let natural = NATURAL_BREAK.test(text) ? NATURAL_BREAK.lastIndex - 1 : text.length;
  while (out.length < MAX_PIECES) {
    // A cut comes first when whitespace MAX_PIECE units into the piece precedes the next natural break.
    let cut = text.length;
    if (natural - pieces.start > MAX_PIECE) {
      SPACE.lastIndex = pieces.start + MAX_PIECE;
      if (SPACE.test(text)) cut = SPACE.lastIndex - 1;
    }
    if (cut < natural) {
      pieces.push(cut + 1);
      continue;
    }
    if (natural >= text.length) break;
    pieces.push(natural + 1);
    NATURAL_BREAK.lastIndex = natural + 1;
    natural = NATURAL_BREAK.test(text) ? NATURAL_BREAK.lastIndex - 1 : text.length;
  }
  if (out.length >= MAX_PIECES) {
    const rest = text.slice(pieces.start).trim();
    if (rest !== '') out.push(rest);
  } else pieces.push(text.length);
  const pending = pieces.pending;
  if (pending !== '') {
    if (out.length > 0) out[out.length - 1] = `${out[out.length - 1]} ${pending}`;
    else out.push(pending);
  }
  return out;
}

export type Shape = 'table' | 'code' | 'prose';

/** The symbols shapeOf counts: ; { } ( ) = [ ] < > */
const SYMBOL = /[;{}()=[\]<>]/g;

function shapeOf(piece: string): Shape {
  const bar = piece.indexOf('|');
  if (bar >= 0 && piece.indexOf('|', bar + 1) >= 0) return 'table';
  // Symbols found one regex step at a time; the share only grows, so the first time it passes 4% decides.
  const length = Math.max(1, piece.length);
  let symbols = 0;
  SYMBOL.lastIndex = 0;
  while (SYMBOL.test(piece)) {
    if (++symbols / length > 0.04) return 'code';
  }
  return 'prose';
}

/** The document's register from its pieces' shape counts (ties: table, then code). */
export function dominantShape(table: number, code: number, prose: number): Shape {
  return table >= code && table >= prose ? 'table' : code >= prose ? 'code' : 'prose';
}

/**
 * The pieces of `text`, each prefixed with two register tokens: the document's dominant shape and
 * the piece's own (table row, code, prose). The classifier learns the contrast from their bigram:
 * a prose sentence among table rows or code lines is where an injected instruction sits. Cue tokens
 * (piece-cues.ts) follow the piece: a request addressed to the reader, words the rest of the document lacks.
 */
export function piecesWithContext(text: string): { raw: string; text: string }[] {
  const pieces = segmentsOf(text);
  const shapes = pieces.map(shapeOf);
  const counts = { table: 0, code: 0, prose: 0 };
  for (const shape of shapes) counts[shape]++;
  const dominant = dominantShape(counts.table, counts.code, counts.prose);
  const cues = pieceCues(pieces);
  return pieces.map((raw, index) => ({ raw, text: `qqdoc${dominant} qqpiece${shapes[index]!} ${raw}${cues[index] ? ` ${cues[index]}` : ''}` }));
}

/** True for the code units String.prototype.trim removes (WhiteSpace and LineTerminator). */
export function isTrimmed(code: number): boolean {
  if (code <= 32) return code === 32 || (code >= 9 && code <= 13);
  if (code < 0xa0) return false;
  return code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}

/**
 * segmentsOf's pieces as spans of the text, built without strings: piece p is parts
 * `first[p] .. first[p + 1] - 1` joined by single spaces, part k being `text[starts[k], ends[k])`
 * (trimmed, non-empty, in text order, never touching each other). The buffers are reused: valid
 * until the next call. For piece-features.ts; piece-features.test.ts checks it against segmentsOf.
 */
export interface PieceSpans {
  count: number;
  first: Int32Array;
  starts: Int32Array;
  ends: Int32Array;
}

const spans: PieceSpans = { count: 0, first: new Int32Array(65), starts: new Int32Array(64), ends: new Int32Array(64) };
/** Parts so far, where the next slice starts, the pending (merged, too short) length and its first part. */
let partCount = 0;
let sliceStart = 0;
let pendingLength = 0;
let pendingFirst = 0;

function addPart(start: number, end: number): void {
  if (partCount === spans.starts.length) {
    const grow = (from: Int32Array): Int32Array => {
      const to = new Int32Array(from.length * 2 + 1);
      to.set(from);
      return to;
    };
    spans.starts = grow(spans.starts);
    spans.ends = grow(spans.ends);
    spans.first = grow(spans.first);
  }
  spans.starts[partCount] = start;
  spans.ends[partCount] = end;
  partCount++;
}

function closePiece(): void {
  spans.first[spans.count++] = pendingFirst;
  pendingFirst = partCount;
}

/** Pieces.push on spans: `text[sliceStart, end)` trimmed becomes a part, closing a piece once long enough. */
function pushSpan(text: string, end: number): void {
  let start = sliceStart;
  let stop = end;
  sliceStart = end;
  while (start < stop && isTrimmed(text.charCodeAt(start))) start++;
  while (stop > start && isTrimmed(text.charCodeAt(stop - 1))) stop--;
  if (start === stop) return;
  addPart(start, stop);
  const merged = pendingLength === 0 ? stop - start : pendingLength + 1 + (stop - start);
  if (merged < MIN_PIECE) {
    pendingLength = merged;
    return;
  }
  pendingLength = 0;
  closePiece();
}

/** segmentsOf(text) as spans (same breaks, cuts, merges and remainder); see PieceSpans. */
export function pieceSpans(text: string): PieceSpans {
  spans.count = 0;
  partCount = 0;
  sliceStart = 0;
  pendingLength = 0;
  pendingFirst = 0;
  NATURAL_BREAK.lastIndex = 0;
  let natural = NATURAL_BREAK.test(text) ? NATURAL_BREAK.lastIndex - 1 : text.length;
  while (spans.count < MAX_PIECES) {
    let cut = text.length;
    if (natural - sliceStart > MAX_PIECE) {
      SPACE.lastIndex = sliceStart + MAX_PIECE;
      if (SPACE.test(text)) cut = SPACE.lastIndex - 1;
    }
    if (cut < natural) {
      pushSpan(text, cut + 1);
      continue;
    }
    if (natural >= text.length) break;
    pushSpan(text, natural + 1);
    NATURAL_BREAK.lastIndex = natural + 1;
    natural = NATURAL_BREAK.test(text) ? NATURAL_BREAK.lastIndex - 1 : text.length;
  }
  if (spans.count >= MAX_PIECES) {
    // The remainder is one piece whatever its length (nothing is pending once a piece closes).
    let start = sliceStart;
    let stop = text.length;
    while (start < stop && isTrimmed(text.charCodeAt(start))) start++;
    while (stop > start && isTrimmed(text.charCodeAt(stop - 1))) stop--;
    if (start < stop) {
      addPart(start, stop);
      closePiece();
    }
  } else pushSpan(text, text.length);
  // A pending tail joins the last piece (its parts follow that piece's), or is the only piece.
  if (pendingLength !== 0 && spans.count === 0) closePiece();
  spans.first[spans.count] = partCount;
  return spans;
}

/** Symbols shapeOf counts, by ASCII code. */
const IS_SYMBOL = new Uint8Array(128);
for (const symbol of ';{}()=[]<>') IS_SYMBOL[symbol.charCodeAt(0)] = 1;

/** shapeOf piece `piece` of `spans` over `text` (0 table, 1 code, 2 prose), without its string. */
export function spanShape(text: string, spans: PieceSpans, piece: number): 0 | 1 | 2 {
  const last = spans.first[piece + 1]!;
  let bars = 0;
  let symbols = 0;
  // The joining spaces count in the length; they are neither bars nor symbols.
  let length = last - spans.first[piece]! - 1;
  for (let k = spans.first[piece]!; k < last; k++) {
    const end = spans.ends[k]!;
    length += end - spans.starts[k]!;
    for (let i = spans.starts[k]!; i < end; i++) {
      const code = text.charCodeAt(i);
      if (code < 128) {
        if (code === 124) bars++;
        else symbols += IS_SYMBOL[code]!;
      }
    }
  }
  if (bars >= 2) return 0;
  return symbols / Math.max(1, length) > 0.04 ? 1 : 2;
}

/** The shapes in spanShape's numbering. */
export const SHAPES: readonly Shape[] = ['table', 'code', 'prose'];
