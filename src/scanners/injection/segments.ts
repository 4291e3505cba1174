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

type Shape = 'table' | 'code' | 'prose';

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
  const dominant: Shape = counts.table >= counts.code && counts.table >= counts.prose ? 'table' : counts.code >= counts.prose ? 'code' : 'prose';
  const cues = pieceCues(pieces);
  return pieces.map((raw, index) => ({ raw, text: `qqdoc${dominant} qqpiece${shapes[index]!} ${raw}${cues[index] ? ` ${cues[index]}` : ''}` }));
}
