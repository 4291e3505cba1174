/** Kinds of invisible or direction-changing characters that can smuggle instructions past a reader. */
export type HiddenKind =
  | 'zero-width'
  | 'bidi-control'
  | 'tag-character'
  | 'variation-selector'
  | 'other-invisible';

/** A run of consecutive hidden characters of one kind, as found in the original text. */
export interface HiddenRun {
  kind: HiddenKind;
  /** Span in the original text, UTF-16 code units, end exclusive. */
  start: number;
  end: number;
  /** Number of code points in the run. */
  count: number;
  /** For tag characters and variation-selector payloads: the text they encode, when it decodes. */
  decoded?: string;
}

/** An encoded run (base64, hex, percent-encoding, rot13) found in the text and its decoded form. */
export interface DecodedRun {
  encoding: 'base64' | 'hex' | 'url' | 'rot13';
  /** Span in the original text, end exclusive. */
  start: number;
  end: number;
  /** The decoded text (only kept when it is printable text). */
  text: string;
}

/** The canonical view of one piece of text, with a way back to the original. */
export interface CanonicalText {
  original: string;
  /** NFKC-normalised, confusables folded, hidden characters removed; case preserved. */
  text: string;
  hidden: HiddenRun[];
  decoded: DecodedRun[];
  /** Maps a span of `text` back to the smallest covering span of `original` (both end exclusive). */
  toOriginal(start: number, end: number): [number, number];
}
