/**
 * Code blocks in text: Markdown fences (``` or ~~~, with their info string) and runs of unfenced
 * lines that look like code (statement-like starts, code punctuation at the end, symbol density;
 * prose-like lines count against). One pass over the lines; each line's shape is judged on at
 * most its first 500 characters.
 */
import { fenceLanguage, identifyLanguage } from './languages.ts';

export interface CodeBlock {
  /** Span of the block in the text, fences included (UTF-16, end exclusive). */
  start: number;
  end: number;
  fenced: boolean;
  /** The fence's info string ('' when none or unfenced). */
  info: string;
  /** A fence that is not closed yet (the text may still be growing). */
  open: boolean;
  /** Lines of code in the block. */
  lines: number;
  language: string;
  confidence: number;
}

export interface Line {
  start: number;
  /** End of the line's text, before the newline. */
  end: number;
  /** Whether a newline ends it (false only for the last line). */
  terminated: boolean;
}

/** The lines of `text` with their spans. */
export function linesOf(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (;;) {
    const newline = text.indexOf('\n', start);
    if (newline < 0) {
      lines.push({ start, end: text.length, terminated: false });
      return lines;
    }
    lines.push({ start, end: newline > start && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline, terminated: true });
    start = newline + 1;
  }
}

const FENCE = /^ {0,3}(`{3,}|~{3,})([^\n`]{0,200})$/;
const SHAPE_CHARS = 500;

/** Statement-like line starts across languages (case-sensitive: prose starts with a capital). */
const STRONG_START =
  /^(?:\$ [a-z.\/~]|>>> |PS [A-Z]:\\[^>]{0,80}> |#!\/|#include\b|@echo off|def \w{1,60}\s?\(|class \w{1,60}\s?[:({<]|import [\w.{*]|from [\w.]{1,80} import |function\s?[\w$]{0,60}\s?\(|(?:const|let|var) [\w${[]|return\b|(?:if|for|while|switch)\s?\(|else\s?\{|\}\s?(?:else|catch|finally)\b|public |private |protected |package \w|export (?:default |const |function |class |interface |type |async )|interface [A-Z]\w{0,40}|type [A-Z]\w{0,40}(?:<[^>\n]{0,40}>)?\s?=|enum [A-Z]\w{0,40}\s?\{|struct \w{1,40}\s?\{|impl\b|func |fn \w|use [\w:]{1,60};|using [\w.]{1,60};|namespace \w|(?:SELECT|INSERT INTO|UPDATE|DELETE FROM|CREATE TABLE|DROP TABLE|ALTER TABLE|WHERE|FROM|GROUP BY|ORDER BY|HAVING|LIMIT|VALUES|(?:INNER |LEFT |RIGHT )?JOIN) |set -[a-z]{1,6}\b|for \w{1,30} in |while \[|if \[|(?:sudo|curl|wget|echo|export|chmod|chown|rm|mkdir|cd|apt|apt-get|yum|brew|pip|pip3|npm|npx|yarn|git|docker|kubectl|ssh|scp|nc|ncat|bash|sh|python3?|node|powershell|pwsh|iex|iwr|certutil|bitsadmin|dd|mkfs(?:\.\w{2,8})?|tar|cat|grep|systemctl) |(?:Invoke|Get|Set|New|Remove|Start|Write)-[A-Z]\w{1,40}|\$[A-Za-z_][\w:]{0,40}\s?=|<\/?[a-zA-Z][\w-]{0,20}[\s>\/]|print\(|console\.\w|await |async |try\s?[:{]|except\b|elif\b|[\w.]{1,60}\([^\n]{0,200}\);$)/;
/** Non-code lines (blank, weak, indented) a run of code may hold between two code lines. */
const MAX_GAP_LINES = 3;
const CLOSER = /^(?:[}\])]{1,4}[;,)]{0,3}|end|fi|done|esac|EOF|<\/[a-z]{1,20}>)$/;
const PROSE_WORD = /(?:^|\s)[A-Za-z][a-z']{1,20}(?=[\s,.;:!?]|$)/g;

/** How code-like one line is: 0 prose or blank, 1 weak, 2+ code. */
export function codeLineScore(text: string): number {
  const line = (text.length > SHAPE_CHARS ? text.slice(0, SHAPE_CHARS) : text).trim();
  if (line === '') return 0;
  if (CLOSER.test(line)) return 2;
  // A lone tag (<instruction>) is prompt markup more often than HTML; a list item is prose.
  if (/^<\/?[A-Za-z_][\w-]{0,40}>$/.test(line)) return 1;
  // Markdown tables, list items and bold labels are prose layout, whatever code they quote.
  if (/^\|.*\|$/.test(line)) return 0;
  const listItem = /^(?:[-*+]|\d{1,3}[.)])\s|^\*\*[^*]/.test(line);
  // A JSON or YAML-in-quotes key line ("name": value) is data written as code.
  let score = STRONG_START.test(line) || /^"[^"\n]{1,80}"\s?:\s?(?:["{\[\d-]|true|false|null)/.test(line) ? 2 : 0;
  const last = line[line.length - 1]!;
  if (last === ';' || last === '{' || last === '}' || (last === ':' && /^\s{0,40}(?:if|for|while|def|class|else|elif|try|except|with)\b/.test(line))) score += 1;
  let symbols = 0;
  for (let i = 0; i < line.length; i++) if ('{}()[];=<>$|&\\/*_#@:"\''.includes(line[i]!)) symbols++;
  const density = symbols / line.length;
  if (density >= 0.12) score += 1;
  if (/[\w)\]]\.[a-zA-Z_]\w{0,40}\(|\w\(\)|\w\[[\w"']|==|!=|=>|->|::|\|\||&&|\+=|:=|\s-{1,2}[a-zA-Z][\w-]{0,20}(?:\s|=|$)/.test(line)) score += 1;
  PROSE_WORD.lastIndex = 0;
  let words = 0;
  while (words < 8 && PROSE_WORD.exec(line) !== null) words++;
  if (words >= 8 && density < 0.05) score -= 2;
  // A sentence: capital first, ends with a full stop, few symbols.
  if (/^[A-Z][a-z]/.test(line) && /[.!?]$/.test(line) && density < 0.08) score -= 2;
  return Math.max(0, listItem ? score - 1 : score);
}

interface Run {
  start: number;
  end: number;
  lines: number;
  strong: boolean;
  /** Indexes of its first and last code lines. */
  first: number;
  last: number;
}

/** Code blocks of `text` (fenced and unfenced), in text order, each with its language. */
export function findCodeBlocks(text: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = linesOf(text);
  let fence: { marker: string; info: string; start: number; contentStart: number; lines: number } | null = null;
  let run: Run | null = null;
  let gap = 0;
  let seenFence = false;
  let lastScore = 0;
  // Unfenced runs in order; null marks a fence between two runs (they never merge across it).
  const runs: (Run | null)[] = [];
  const flushRun = (): void => {
    if (run) runs.push(run);
    run = null;
    gap = 0;
  };
  lines.forEach((line, index) => {
    const raw = text.slice(line.start, Math.min(line.end, line.start + SHAPE_CHARS + 210));
    const fenceMatch = raw.length <= 210 ? FENCE.exec(raw) : null;
    if (fence) {
      if (fenceMatch && fenceMatch[1]![0] === fence.marker[0] && fenceMatch[1]!.length >= fence.marker.length && fenceMatch[2]!.trim() === '') {
        pushFence(blocks, text, fence, line.start, line.end, false);
        fence = null;
      } else if (raw.trim() !== '') fence.lines++;
      return;
    }
    if (fenceMatch) {
      const closesEarlierBlock = !seenFence && fenceMatch[2]!.trim() === '' && (run !== null || lastScore >= 2);
      seenFence = true;
      flushRun();
      runs.push(null);
      // A bare fence right after code, with no fence before it: the text began inside a block (a stream window), so it closes.
      if (closesEarlierBlock) return;
      fence = { marker: fenceMatch[1]!, info: fenceMatch[2]!.trim(), start: line.start, contentStart: line.terminated ? line.end + 1 : line.end, lines: 0 };
      return;
    }
    const score = codeLineScore(text.slice(line.start, Math.min(line.end, line.start + SHAPE_CHARS + 10)));
    const blank = raw.trim() === '';
    if (!blank) lastScore = score;
    if (score >= 2) {
      if (run) {
        // Lines skipped since the run's last code line (blanks, docstrings, continuations) join it.
        run.end = line.end;
        run.lines++;
        run.strong ||= score >= 3;
      } else run = { start: line.start, end: line.end, lines: 1, strong: score >= 3, first: index, last: index };
      run.last = index;
      gap = 0;
    } else if (run && gap < MAX_GAP_LINES && (blank || score === 1 || /^[ \t]{2,}\S/.test(raw))) {
      // Blank, weak or indented lines may sit inside code; the run stays open for a few of them.
      gap++;
    } else flushRun();
  });
  flushRun();
  if (fence) pushFence(blocks, text, fence, text.length, text.length, true);
  for (const merged of mergeRuns(runs, lines, text)) {
    if (merged.lines < 2 && !merged.strong) continue;
    const identified = identifyLanguage(text.slice(merged.start, merged.end));
    blocks.push({ start: merged.start, end: merged.end, fenced: false, info: '', open: false, lines: merged.lines, language: identified.language, confidence: identified.confidence });
  }
  return blocks.sort((a, b) => a.start - b.start);
}

/** Lines between two runs of one block at most (docstrings, comments, blank lines), when none of them is a prose sentence. */
const MERGE_GAP_LINES = 8;
const SENTENCE = /^[A-Z][a-z']{0,20}(?:\s[^\s]{1,30}){4,}[.!?:]$/;

/** Joins runs of code separated by a few non-prose lines, so one program is one block (identified as a whole). */
function mergeRuns(runs: readonly (Run | null)[], lines: readonly Line[], text: string): Run[] {
  const merged: Run[] = [];
  let previous: Run | null = null;
  for (const run of runs) {
    if (run === null) {
      previous = null;
      continue;
    }
    if (previous && run.first - previous.last - 1 <= MERGE_GAP_LINES && !hasSentence(lines, previous.last + 1, run.first, text)) {
      previous.end = run.end;
      previous.last = run.last;
      previous.lines += run.lines;
      previous.strong ||= run.strong;
      continue;
    }
    previous = { ...run };
    merged.push(previous);
  }
  return merged;
}

function hasSentence(lines: readonly Line[], from: number, to: number, text: string): boolean {
  for (let i = from; i < to; i++) {
    const line = lines[i]!;
    if (SENTENCE.test(text.slice(line.start, Math.min(line.end, line.start + SHAPE_CHARS)).trim())) return true;
  }
  return false;
}

function pushFence(blocks: CodeBlock[], text: string, fence: { info: string; start: number; contentStart: number; lines: number }, contentEnd: number, end: number, open: boolean): void {
  const declared = fenceLanguage(fence.info);
  if (declared === null || fence.lines === 0) return;
  const content = text.slice(Math.min(fence.contentStart, contentEnd), contentEnd);
  const identified = identifyLanguage(content, fence.info === '' ? undefined : fence.info);
  // An untagged fence holding no code features (ASCII art, a poem) is not code.
  if (declared === undefined && identified.language === 'unknown' && identified.score === 0) return;
  blocks.push({ start: fence.start, end, fenced: true, info: fence.info, open, lines: fence.lines, language: identified.language, confidence: identified.confidence });
}
