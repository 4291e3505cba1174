/**
 * Helpers for `ScanResult.tail`: the end of a growing text that may still turn into a finding.
 * Every scanner that reports a tail includes `unsettledTail`, because decoders and hidden-character
 * payloads only see a run once it is complete.
 */
import { hiddenKindOf } from '../../text/hidden-characters.ts';

/** A trailing run of characters that base64, hex or URL encoding use, this long or longer, is held. */
const ENCODED_RUN = 8;

function encodedChar(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x2b || code === 0x2f || code === 0x3d || code === 0x5f || code === 0x2d || code === 0x25;
}

/** Length of the trailing run of invisible characters plus, before it, a trailing encoded-looking run. */
export function unsettledTail(text: string): number {
  let i = text.length;
  while (i > 0) {
    const code = text.codePointAt(i - 1)!;
    // A low surrogate: look at the whole code point.
    const point = code >= 0xdc00 && code <= 0xdfff && i >= 2 ? text.codePointAt(i - 2)! : code;
    if (hiddenKindOf(point) === undefined) break;
    i -= point > 0xffff ? 2 : 1;
  }
  let j = i;
  while (j > 0 && encodedChar(text.charCodeAt(j - 1))) j--;
  return text.length - (i - j >= ENCODED_RUN ? j : i);
}
