/**
 * Finds encoded runs (base64, hex, URL percent-encoding, rot13) in a text and decodes them,
 * one extra level deep when a decoded run is itself encoded. Spans always index the text
 * given at the top level; a nested decode reports the span of the outer run.
 */
import type { DecodedRun } from './types.ts';
import { scanBase64, scanHex, scanUrl } from './byte-decoders.ts';
import { scanRot13 } from './rot13.ts';
import { isReadableText } from './text-checks.ts';

/** Most decoded runs reported for one text. */
export const MAX_DECODED_RUNS = 64;
/** Most candidates one scanner returns per level; bounds the work spent on decodable noise. */
const MAX_CANDIDATES = MAX_DECODED_RUNS * 4;

function byPosition(a: DecodedRun, b: DecodedRun): number {
  return a.start - b.start || a.end - b.end;
}

function appendTo(all: DecodedRun[], more: readonly DecodedRun[]): void {
  for (const run of more) all.push(run);
}

/** Every scanner's candidates in text order (a stable sort: ties keep scanner order). */
function candidates(s: string): DecodedRun[] {
  const all = scanBase64(s, MAX_CANDIDATES);
  appendTo(all, scanHex(s, MAX_CANDIDATES));
  appendTo(all, scanUrl(s, MAX_CANDIDATES));
  appendTo(all, scanRot13(s, MAX_CANDIDATES));
  return all.length > 1 ? all.sort(byPosition) : all;
}

function scanLevel(s: string, outer: DecodedRun | undefined, out: DecodedRun[]): void {
  for (const found of candidates(s)) {
    if (out.length >= MAX_DECODED_RUNS) return;
    const start = outer === undefined ? found.start : outer.start;
    const end = outer === undefined ? found.end : outer.end;
    if (isReadableText(found.text)) out.push({ encoding: found.encoding, start, end, text: found.text });
    // Rot13 output is letters re-rotated, never a fresh byte encoding worth a second pass.
    if (outer === undefined && found.encoding !== 'rot13') scanLevel(found.text, found, out);
  }
}

/** All readable encoded runs in `s`, in text order, at most MAX_DECODED_RUNS of them. */
export function findEncodedRuns(s: string): DecodedRun[] {
  const out: DecodedRun[] = [];
  if (s.length < 8) return out;
  scanLevel(s, undefined, out);
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
