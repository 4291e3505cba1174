/**
 * Topic scoring: a topic is keywords plus example phrases. A text is cut into windows of a few
 * sentences; each window scores keyword hits (1 - 0.6^hits) and its best cosine with an example
 * (rescaled from [COS_FLOOR, COS_FULL] to [0,1]), combined as 1 - (1-k)(1-s). A text's score for
 * a topic is its best window's, and the span is that window.
 */
import { cosine, KeywordMatcher, tokenize, vectorize, type SparseVector, type Token } from './lexical.ts';

export interface TopicSpec {
  name: string;
  keywords: readonly string[];
  examples: readonly string[];
  threshold: number;
}

export interface CompiledTopic<T extends TopicSpec = TopicSpec> {
  spec: T;
  matcher: KeywordMatcher;
  examples: SparseVector[];
}

export interface TopicScore {
  score: number;
  keywordHits: number;
  similarity: number;
  /** Span of the best window in the scored text. */
  start: number;
  end: number;
}

/** Cosines at or below this are chance overlap; at or above COS_FULL, a paraphrase. */
const COS_FLOOR = 0.1;
const COS_FULL = 0.5;
/** Most words per window, and most windows scored per text (longer texts step further). */
const WINDOW_WORDS = 60;
const MAX_WINDOWS = 300;
const SENTENCE_END = /[.!?。！？;\n]/;

export function compileTopic<T extends TopicSpec>(spec: T): CompiledTopic<T> {
  return { spec, matcher: new KeywordMatcher(spec.keywords), examples: spec.examples.map((example) => vectorize(tokenize(example).map((token) => token.word))) };
}

interface Window {
  from: number;
  to: number;
}

/**
 * Windows of whole sentences (a sentence longer than WINDOW_WORDS is cut), up to WINDOW_WORDS
 * words: one starting at each sentence, or back to back when that would make too many.
 */
export function windowsOf(text: string, tokens: readonly Token[]): Window[] {
  if (tokens.length <= WINDOW_WORDS) return tokens.length > 0 ? [{ from: 0, to: tokens.length }] : [];
  const starts: number[] = [0];
  for (let i = 1; i < tokens.length; i++) {
    if (i - starts[starts.length - 1]! >= WINDOW_WORDS || SENTENCE_END.test(text.slice(tokens[i - 1]!.end, tokens[i]!.start))) starts.push(i);
  }
  const overlapping = starts.length <= MAX_WINDOWS;
  const windows: Window[] = [];
  for (let s = 0; s < starts.length; ) {
    const from = starts[s]!;
    let e = s + 1;
    while (e < starts.length && starts[e]! - from < WINDOW_WORDS && (e + 1 < starts.length ? starts[e + 1]! : tokens.length) - from <= WINDOW_WORDS) e++;
    const to = e < starts.length ? starts[e]! : tokens.length;
    windows.push({ from, to });
    if (to >= tokens.length) break;
    s = overlapping ? s + 1 : e;
  }
  return windows;
}

function rescale(similarity: number): number {
  return Math.max(0, Math.min(1, (similarity - COS_FLOOR) / (COS_FULL - COS_FLOOR)));
}

/** Scores prepared windows against each topic. */
export function scoreTopics<T extends TopicSpec>(topics: readonly CompiledTopic<T>[], tokens: readonly Token[], windows: readonly Window[]): TopicScore[] {
  const vectors = windows.map((window) => vectorize(tokens.slice(window.from, window.to).map((token) => token.word)));
  return topics.map((topic) => {
    let best: TopicScore = { score: 0, keywordHits: 0, similarity: 0, start: 0, end: 0 };
    windows.forEach((window, index) => {
      const keywordHits = topic.matcher.size > 0 ? topic.matcher.hits(tokens, window.from, window.to) : 0;
      let similarity = 0;
      for (const example of topic.examples) similarity = Math.max(similarity, cosine(vectors[index]!, example));
      const keyword = 1 - 0.6 ** keywordHits;
      const score = 1 - (1 - keyword) * (1 - rescale(similarity));
      if (score > best.score) best = { score, keywordHits, similarity, start: tokens[window.from]!.start, end: tokens[window.to - 1]!.end };
    });
    return best;
  });
}
