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

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 13 || code === 10 || code === 0xa0;
}

/** Lines, and sentences (ending in `.`, `!` or `?` followed by whitespace) within lines. */
export function segmentsOf(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  let pending = '';
  const push = (end: number): void => {
    const piece = text.slice(start, end).trim();
    start = end;
    if (piece === '') return;
    const merged = pending === '' ? piece : `${pending} ${piece}`;
    if (merged.length < MIN_PIECE) {
      pending = merged;
      return;
    }
    pending = '';
    out.push(merged);
  };
  for (let i = 0; i < text.length && out.length < MAX_PIECES; i++) {
    const code = text.charCodeAt(i);
    if (code === 10) push(i + 1);
    else if ((code === 46 || code === 33 || code === 63) && i + 1 < text.length && isSpace(text.charCodeAt(i + 1))) push(i + 1);
    else if (i - start >= MAX_PIECE && isSpace(code)) push(i + 1);
  }
  if (out.length >= MAX_PIECES) {
    const rest = text.slice(start).trim();
    if (rest !== '') out.push(rest);
  } else push(text.length);
  if (pending !== '') {
    if (out.length > 0) out[out.length - 1] = `${out[out.length - 1]} ${pending}`;
    else out.push(pending);
  }
  return out;
}

type Shape = 'table' | 'code' | 'prose';

function shapeOf(piece: string): Shape {
  let bars = 0;
  let symbols = 0;
  for (let i = 0; i < piece.length; i++) {
    const code = piece.charCodeAt(i);
    if (code === 124) bars++;
    // ; { } ( ) = [ ] < >
    else if (code === 59 || code === 123 || code === 125 || code === 40 || code === 41 || code === 61 || code === 91 || code === 93 || code === 60 || code === 62) symbols++;
  }
  if (bars >= 2) return 'table';
  return symbols / Math.max(1, piece.length) > 0.04 ? 'code' : 'prose';
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
