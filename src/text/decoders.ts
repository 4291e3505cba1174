/**
 * Finds encoded runs (base64, hex, URL percent-encoding, rot13) in a text and decodes them,
 * one extra level deep when a decoded run is itself encoded. Spans always index the text
 * given at the top level; a nested decode reports the span of the outer run.
 */
import type { DecodedRun } from './types.ts';
import { scanBase64, scanHex, scanUrl } from './byte-decoders.ts';
import { codeUnitsOf } from './code-units.ts';
import { decoderHints, HINT_BASE64, HINT_HEX, HINT_ROT13, HINT_URL } from './decoder-hints.ts';
import { scanRot13 } from './rot13.ts';
import { isReadableText } from './text-checks.ts';

/** Most decoded runs reported for one text. */
export const MAX_DECODED_RUNS = 64;
/** Most candidates one scanner returns per level; bounds the work spent on decodable noise. */
const MAX_CANDIDATES = MAX_DECODED_RUNS * 4;
const ANY_SCANNER = HINT_BASE64 | HINT_HEX | HINT_URL | HINT_ROT13;

function byPosition(a: DecodedRun, b: DecodedRun): number {
  return a.start - b.start || a.end - b.end;
}

function appendTo(all: DecodedRun[], more: readonly DecodedRun[]): void {
  for (const run of more) all.push(run);
}

/**
 * Every scanner's candidates in text order (a stable sort: ties keep scanner order). `units` and `hints`
 * are those of `s` (codeUnitsOf, decoderHints); the scanners share the units, which nothing overwrites
 * before they are all done. A scanner whose hint is absent would find nothing and is not run.
 */
function candidates(s: string, units: Uint16Array, hints: number): DecodedRun[] {
  const all = (hints & HINT_BASE64) !== 0 ? scanBase64(s, units, MAX_CANDIDATES) : [];
  if ((hints & HINT_HEX) !== 0) appendTo(all, scanHex(s, units, MAX_CANDIDATES));
  if ((hints & HINT_URL) !== 0) appendTo(all, scanUrl(s, MAX_CANDIDATES));
  if ((hints & HINT_ROT13) !== 0) appendTo(all, scanRot13(s, units, MAX_CANDIDATES));
  return all.length > 1 ? all.sort(byPosition) : all;
}

function scanLevel(s: string, units: Uint16Array, hints: number, outer: DecodedRun | undefined, out: DecodedRun[]): void {
  if ((hints & ANY_SCANNER) === 0) return;
  for (const found of candidates(s, units, hints)) {
    if (out.length >= MAX_DECODED_RUNS) return;
    const start = outer === undefined ? found.start : outer.start;
    const end = outer === undefined ? found.end : outer.end;
    if (isReadableText(found.text)) out.push({ encoding: found.encoding, start, end, text: found.text });
    // Rot13 output is letters re-rotated, never a fresh byte encoding worth a second pass.
    if (outer === undefined && found.encoding !== 'rot13') {
      const inner = codeUnitsOf(found.text);
      scanLevel(found.text, inner, decoderHints(inner, found.text.length), found, out);
    }
  }
}

/** All readable encoded runs in `s`, in text order, at most MAX_DECODED_RUNS of them. */
export function findEncodedRuns(s: string): DecodedRun[] {
  if (s.length < 8) return [];
  const units = codeUnitsOf(s);
  return encodedRunsOf(s, units, decoderHints(units, s.length));
}

/**
 * findEncodedRuns for a caller that already holds the code units of `s` (as codeUnitsOf returned them,
 * with no copy made since) and their decoderHints.
 */
export function encodedRunsOf(s: string, units: Uint16Array, hints: number): DecodedRun[] {
  const out: DecodedRun[] = [];
  if (s.length < 8) return out;
  scanLevel(s, units, hints, undefined, out);
  return out;
}

/**
 * Merges runs found in the canonical text (spans already mapped to the original) into those found
 * in the original: a canonical run repeating an overlapping original run is dropped, and an original
 * run that is only a fragment of a longer canonical run of the same encoding gives way to it.
 */
export function mergeDecodedRuns(primary: DecodedRun[], extra: DecodedRun[]): DecodedRun[] {
  const merged = primary.filter(
    (p) =>
      !extra.some(
        (e) => e.encoding === p.encoding && e.start <= p.start && p.end <= e.end && e.text.length > p.text.length,
      ),
  );
  for (const run of extra) {
    const duplicate = primary.some(
      (p) => p.encoding === run.encoding && p.text === run.text && p.start < run.end && run.start < p.end,
    );
    if (!duplicate) merged.push(run);
  }
  merged.sort((a, b) => a.start - b.start || a.end - b.end);
  return merged.length > MAX_DECODED_RUNS ? merged.slice(0, MAX_DECODED_RUNS) : merged;
}
