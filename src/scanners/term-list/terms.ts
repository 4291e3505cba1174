/**
 * Compiling configured terms: the canonical, folded pattern each term matches as, its rule
 * id, and which of its edges need a word boundary.
 */
import { canonicalize } from '../../text/canonicalize.ts';
import type { Severity } from '../types.ts';
import type { Folder } from './fold.ts';

/** A configured term after defaults are applied. */
export interface TermEntry {
  term: string;
  ruleId?: string | undefined;
  severity?: Severity | undefined;
}

/** One automaton pattern and what a match of it reports. */
export interface CompiledTerm {
  pattern: string;
  ruleId: string;
  severity: Severity;
  /** Redacted hint of the term, for evidence. */
  hint: string;
  checkStart: boolean;
  checkEnd: boolean;
}

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
/** Scripts written without spaces between words, where a word-boundary test would never pass. */
const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tibetan}]/u;

/** True when the code point is a letter, digit or combining mark (a word character). */
export function isWordCodePoint(cp: number): boolean {
  if (cp < 0x80) return (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);
  return WORD_CHAR.test(String.fromCodePoint(cp));
}

function needsBoundary(cp: number | undefined): boolean {
  if (cp === undefined || !isWordCodePoint(cp)) return false;
  return cp < 0x80 || !UNSPACED_SCRIPT.test(String.fromCodePoint(cp));
}

/** A rule-id-safe slug of a term: lower-case letters and digits joined by '-', at most 48 chars. */
export function slugOf(term: string): string {
  const slug = term
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return [...slug].slice(0, 48).join('').replace(/-+$/, '');
}

/** Compiles entries; terms that fold to the same pattern keep the first entry's rule. */
export function compileTerms(entries: readonly TermEntry[], folder: Folder, options: { wholeWord: boolean; caseSensitive: boolean; severity: Severity; ruleIdPrefix: string; ruleIdStyle: 'index' | 'slug' }): CompiledTerm[] {
  const compiled: CompiledTerm[] = [];
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    // Terms go through the same canonicalisation as the text, or a folded homoglyph in a term would never match.
    const pattern = folder.view(canonicalize(entry.term).text).text.replace(/[\t\n\v\f\r ]+/g, ' ').trim();
    if (pattern.length === 0) throw new Error(`term-list: terms[${index}] is empty after normalisation`);
    const key = options.caseSensitive ? pattern : pattern.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    // By default the id names the position, not the term: events must not leak a confidential term.
    const suffix = options.ruleIdStyle === 'slug' ? slugOf(entry.term) || `term-${index}` : `term-${index}`;
    const lastCp = pattern.codePointAt(pattern.length - 1 - (pattern.length > 1 && isLowSurrogate(pattern.charCodeAt(pattern.length - 1)) ? 1 : 0));
    compiled.push({
      pattern,
      ruleId: entry.ruleId ?? `${options.ruleIdPrefix}/${suffix}`,
      severity: entry.severity ?? options.severity,
      hint: hintOf(pattern),
      checkStart: options.wholeWord && needsBoundary(pattern.codePointAt(0)),
      checkEnd: options.wholeWord && needsBoundary(lastCp),
    });
  });
  return compiled;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

function hintOf(pattern: string): string {
  const chars = [...pattern];
  return `${chars[0] ?? ''}… (${chars.length} chars)`;
}

/** The code point ending just before `index`, or undefined at the start. */
export function codePointBefore(text: string, index: number): number | undefined {
  if (index <= 0) return undefined;
  const unit = text.charCodeAt(index - 1);
  if (isLowSurrogate(unit) && index >= 2) {
    const high = text.charCodeAt(index - 2);
    if (high >= 0xd800 && high <= 0xdbff) return (high - 0xd800) * 0x400 + (unit - 0xdc00) + 0x10000;
  }
  return unit;
}

/** True when a match at [start, end) of `text` sits on the word boundaries its term asks for. */
export function onBoundaries(text: string, start: number, end: number, term: CompiledTerm): boolean {
  if (term.checkStart) {
    const before = codePointBefore(text, start);
    if (before !== undefined && isWordCodePoint(before)) return false;
  }
  if (term.checkEnd && end < text.length) {
    if (isWordCodePoint(text.codePointAt(end)!)) return false;
  }
  return true;
}
