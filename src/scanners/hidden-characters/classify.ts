/**
 * Judging hidden-character runs: which are legitimate (emoji sequences, script joiners,
 * variation sequences, direction marks) and how bad the rest are.
 */
import type { HiddenKind, HiddenRun } from '../../text/types.ts';
import type { Severity } from '../types.ts';

/** Switches that decide what counts as legitimate use. */
export interface ClassifyOptions {
  allowEmojiSequences: boolean;
  allowScriptJoiners: boolean;
  allowVariationSequences: boolean;
  allowBidiMarks: boolean;
  allowLeadingBom: boolean;
  blockTagCharacters: boolean;
}

/** What a run is reported as; null from `classify` means legitimate. */
export interface Verdict {
  ruleId: string;
  severity: Severity;
  message: string;
}

/** Score per severity; medium and above reach the default policy threshold of 0.5. */
export const SEVERITY_SCORE: Record<Severity, number> = { critical: 1, high: 0.8, medium: 0.6, low: 0.2 };

/** A run of at least this many zero-width characters or variation selectors can carry bits. */
const PAYLOAD_RUN = 4;

const RULE: Record<HiddenKind, string> = {
  'tag-character': 'hidden-characters/tag-characters',
  'variation-selector': 'hidden-characters/variation-selector-payload',
  'bidi-control': 'hidden-characters/bidi-control',
  'zero-width': 'hidden-characters/zero-width',
  'other-invisible': 'hidden-characters/other-invisible',
};

const EMOJI_BASE = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Emoji}]/u;
const PICTOGRAPH = /\p{Extended_Pictographic}/u;
/** Bases with standardized or ideographic variation sequences: CJK ideographs, math and other symbols. */
const VARIATION_BASE = /[\p{Script=Han}\p{Sm}\p{So}\p{Script=Myanmar}\p{Script=Mongolian}\p{Script=Phags_Pa}\p{Script=Manichaean}]/u;
/** Scripts whose spelling uses ZWJ/ZWNJ (Persian ZWNJ, Indic half forms, ...). */
const JOINER_SCRIPT =
  /[\p{scx=Arabic}\p{scx=Syriac}\p{scx=Thaana}\p{scx=Nko}\p{scx=Mongolian}\p{scx=Devanagari}\p{scx=Bengali}\p{scx=Gurmukhi}\p{scx=Gujarati}\p{scx=Oriya}\p{scx=Tamil}\p{scx=Telugu}\p{scx=Kannada}\p{scx=Malayalam}\p{scx=Sinhala}\p{scx=Tibetan}\p{scx=Khmer}\p{scx=Myanmar}]/u;
const WORD = /[\p{L}\p{N}\p{M}]/u;
/** Scripts written without spaces, where a zero-width space is a word separator, not an intrusion. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tibetan}]/u;
const SUBDIVISION_TAG = /^[a-z]{2}[a-z0-9]{1,4}$/;

/** Hidden runs that touch each other, with the visible code points around them. */
export interface Cluster {
  runs: HiddenRun[];
  before: number | undefined;
  after: number | undefined;
}

function codePointBefore(text: string, index: number): number | undefined {
  if (index <= 0) return undefined;
  const low = text.charCodeAt(index - 1);
  if (low >= 0xdc00 && low <= 0xdfff && index >= 2) {
    const high = text.charCodeAt(index - 2);
    if (high >= 0xd800 && high <= 0xdbff) return (high - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
  }
  return low;
}

/** Groups touching runs (e.g. VS16 then ZWJ inside one emoji) so each sees its real neighbours. */
export function clusterRuns(text: string, runs: readonly HiddenRun[]): Cluster[] {
  const clusters: Cluster[] = [];
  let current: HiddenRun[] = [];
  const close = (): void => {
    const first = current[0];
    const last = current[current.length - 1];
    if (first && last) clusters.push({ runs: current, before: codePointBefore(text, first.start), after: last.end < text.length ? text.codePointAt(last.end) : undefined });
    current = [];
  };
  for (const run of runs) {
    const previous = current[current.length - 1];
    if (previous && previous.end !== run.start) close();
    current.push(run);
  }
  close();
  return clusters;
}

const test = (pattern: RegExp, cp: number | undefined): boolean => cp !== undefined && pattern.test(String.fromCodePoint(cp));

/** True when the run is one character that is exactly `cp`. */
function isOnly(text: string, run: HiddenRun, ...cps: number[]): boolean {
  return run.count === 1 && cps.includes(text.codePointAt(run.start) ?? -1);
}

/** Legitimate-use checks; a run that passes one is not reported. */
function isLegitimate(text: string, run: HiddenRun, cluster: Cluster, options: ClassifyOptions): boolean {
  const { before, after } = cluster;
  const alone = cluster.runs.length === 1;
  switch (run.kind) {
    case 'tag-character':
      // Subdivision flags: U+1F3F4, tag letters, CANCEL TAG.
      return options.allowEmojiSequences && alone && before === 0x1f3f4 && text.codePointAt(run.end - 2) === 0xe007f && SUBDIVISION_TAG.test(run.decoded ?? '');
    case 'variation-selector': {
      if (run.count !== 1 || run.decoded !== undefined) return false;
      // The selector must directly follow its base; VS16 then ZWJ is the only companion allowed.
      const shapeOk = alone || (cluster.runs.length === 2 && cluster.runs[0] === run && isOnly(text, cluster.runs[1]!, 0x200d));
      if (!shapeOk) return false;
      const emojiSelector = isOnly(text, run, 0xfe0e, 0xfe0f);
      if (options.allowEmojiSequences && emojiSelector && test(EMOJI_BASE, before)) return true;
      // Emoji take only the emoji presentation selectors, under the emoji switch.
      return options.allowVariationSequences && !test(PICTOGRAPH, before) && test(VARIATION_BASE, before);
    }
    case 'zero-width': {
      if (options.allowLeadingBom && run.start === 0 && isOnly(text, run, 0xfeff)) return true;
      if (!isOnly(text, run, 0x200c, 0x200d)) return false;
      const zwj = isOnly(text, run, 0x200d);
      if (options.allowEmojiSequences && zwj && test(PICTOGRAPH, after)) {
        // ZWJ between emoji, possibly after the base's VS16.
        if (alone && test(EMOJI_BASE, before) && (before ?? 0) > 0x7f) return true;
        if (cluster.runs.length === 2 && cluster.runs[1] === run && isOnly(text, cluster.runs[0]!, 0xfe0f) && test(EMOJI_BASE, before)) return true;
      }
      return options.allowScriptJoiners && alone && test(JOINER_SCRIPT, before) && test(JOINER_SCRIPT, after);
    }
    case 'bidi-control':
      return options.allowBidiMarks && onlyMarks(text, run);
    case 'other-invisible':
      return false;
  }
}

/** True when the run holds only LRM, RLM or ALM, which set direction but embed nothing. */
function onlyMarks(text: string, run: HiddenRun): boolean {
  for (let i = run.start; i < run.end; i++) {
    const unit = text.charCodeAt(i);
    if (unit !== 0x200e && unit !== 0x200f && unit !== 0x061c) return false;
  }
  return true;
}

/** The verdict for one run, or null when it is legitimate. */
export function classify(text: string, run: HiddenRun, cluster: Cluster, options: ClassifyOptions): Verdict | null {
  if (isLegitimate(text, run, cluster, options)) return null;
  const ruleId = RULE[run.kind];
  const n = run.count;
  switch (run.kind) {
    case 'tag-character':
      if (run.decoded) return { ruleId, severity: 'critical', message: 'Invisible tag characters spell out hidden text' };
      return { ruleId, severity: options.blockTagCharacters ? 'critical' : 'medium', message: 'Invisible tag characters outside an emoji flag' };
    case 'variation-selector':
      if (run.decoded) return { ruleId, severity: 'critical', message: 'Variation selectors encode hidden text' };
      if (n >= PAYLOAD_RUN) return { ruleId, severity: 'high', message: `A run of ${n} variation selectors can encode hidden data` };
      return { ruleId, severity: n > 1 ? 'medium' : 'low', message: n > 1 ? 'Repeated variation selectors' : 'Variation selector without a base that uses it' };
    case 'bidi-control':
      if (onlyMarks(text, run)) return { ruleId, severity: 'low', message: 'Direction marks' };
      return { ruleId, severity: 'high', message: 'Bidirectional controls can make text display differently from what a model reads' };
    case 'zero-width': {
      if (n >= PAYLOAD_RUN) return { ruleId, severity: 'high', message: `A run of ${n} zero-width characters can encode hidden data` };
      if (insideWord(cluster)) return { ruleId, severity: 'medium', message: 'Zero-width characters inside a word' };
      return { ruleId, severity: 'low', message: 'Zero-width characters' };
    }
    case 'other-invisible':
      return { ruleId, severity: n >= 3 ? 'medium' : 'low', message: n >= 3 ? `A run of ${n} invisible characters` : 'Invisible formatting characters' };
  }
}

/** Letters or digits on both sides, outside scripts that separate words with zero-width spaces. */
function insideWord(cluster: Cluster): boolean {
  const { before, after } = cluster;
  if (!test(WORD, before) || !test(WORD, after)) return false;
  return !test(UNSPACED, before) && !test(UNSPACED, after);
}
