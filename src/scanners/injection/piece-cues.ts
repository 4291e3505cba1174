/**
 * Cue tokens for document pieces (segments.ts): what an injected instruction looks like relative to
 * the document around it, independent of the attack's wording.
 * - `qqask`: the piece opens with an imperative verb or a question word and is addressed to the reader;
 * - `qqnovel` / `qqfresh`: few of its content words occur anywhere else in the document (an unrelated
 *   request dropped into an email or a table: "What are the primary functions of the liver?");
 * - `qqnovelask`: both, the cross the linear piece model cannot form on its own;
 * - `qqreplyref`: it talks about the reader's reply, answer or summary (instructions about the output);
 * - `qqtaskask` / `qqtasknovelask`: an ask that names a typical assistant deliverable or quiz topic
 *   (essay, poem, translation, recipe, capital, ...), which requests between people rarely do.
 * Novelty needs context, so it is only judged in documents of three pieces or more. Linear time.
 * cue-stream.ts computes the same cues over a document's spans (the indirect detector's path).
 */

export const IMPERATIVES = new Set(
  `write compose draft create generate produce develop design provide give list name describe explain summarize summarise translate
  tell share send include add insert append mention integrate incorporate modify change rewrite rephrase replace recommend suggest promote
  make build prepare compile outline offer show print output reply respond answer say state display start begin end finish conclude
  ignore disregard forget remember note ensure emphasize emphasise highlight stress encourage urge remind advise visit click download
  install run execute open call contact find search look calculate compute solve convert spell count reverse encode decode teach
  augment enhance enrich expand extend supplement embed weave attach inject close discuss argue persuade convince`.split(/\s+/),
);
/** Deliverables and quiz topics of requests made to an assistant (not to a colleague). */
export const TASK_WORDS = new Set(
  `essay essays poem poems poetry story stories speech haiku limerick song lyrics joke jokes riddle riddles summary introduction paragraph
  paragraphs article blog tweet slogan tagline headline translation translate translated synonym synonyms antonym definition define recipe
  capital population formula equation theorem proof algorithm function script program quiz trivia fact facts meaning word words sentence
  sentences language french spanish german italian chinese japanese russian english history theory planet planets invented invent wrote
  author novel play causes benefits importance tips advice explain describe`.split(/\s+/),
);
export const QUESTION_WORDS = new Set('what who whom whose which when where why how can could would will is are do does did should may might'.split(' '));
export const STOP = new Set(
  `this that with from have will your their there about which would could should these those them they were been being into than then
  what when where while also more most some such only other over just like very much many here after before because please thanks thank
  regards dear best hello`.split(/\s+/),
);

/** The piece talks about the reader's own output ("augment your reply with ...", "your answer should ..."). */
export const REPLY_REFERENCE = /\byour\s+(?:reply|replies|response|responses|answer|answers|output|summary|summaries)\b/i;

function wordsOf(piece: string): string[] {
  return piece.toLowerCase().match(/[\p{L}]+/gu) ?? [];
}

function contentWords(words: readonly string[]): string[] {
  return words.filter((word) => word.length >= 4 && !STOP.has(word));
}

/** isAsk given the piece's first word (pieceCues has its words already). */
function opensAsk(piece: string, first: string): boolean {
  return IMPERATIVES.has(first) || (QUESTION_WORDS.has(first) && piece.trimEnd().endsWith('?'));
}

/** True when the piece opens with an imperative verb, or with a question word and ends with `?`. */
export function isAsk(piece: string): boolean {
  return opensAsk(piece, wordsOf(piece)[0] ?? '');
}

/** One cue string per piece ('' when none apply). */
export function pieceCues(pieces: readonly string[]): string[] {
  const words = pieces.map(wordsOf);
  const content = words.map(contentWords);
  const counts = new Map<string, number>();
  for (const list of content) for (const word of new Set(list)) counts.set(word, (counts.get(word) ?? 0) + 1);
  return pieces.map((_, index) => {
    const ask = opensAsk(pieces[index]!, words[index]![0] ?? '');
    let novelty = '';
    const own = [...new Set(content[index])];
    if (pieces.length >= 3 && own.length >= 2) {
      let shared = 0;
      for (const word of own) if ((counts.get(word) ?? 0) > 1) shared++;
      const share = shared / own.length;
      novelty = share < 0.2 ? 'qqnovel' : share < 0.4 ? 'qqfresh' : '';
    }
    const reply = REPLY_REFERENCE.test(pieces[index]!) ? 'qqreplyref' : '';
    const task = ask && words[index]!.some((word) => TASK_WORDS.has(word));
    const taskCues = task ? (novelty === 'qqnovel' ? 'qqtaskask qqtasknovelask' : 'qqtaskask') : '';
    return [ask ? 'qqask' : '', novelty, ask && novelty === 'qqnovel' ? 'qqnovelask' : '', reply, taskCues].filter((cue) => cue !== '').join(' ');
  });
}

/** Cue flags of one piece (spanCueFlags); the tokens they stand for are cueTokens(flags). */
export const CUE_ASK = 1;
export const CUE_NOVEL = 2;
export const CUE_FRESH = 4;
export const CUE_REPLY = 8;
/** An ask naming a task word (set only with CUE_ASK). */
export const CUE_TASK = 16;

/** The cue tokens `flags` stands for, in pieceCues' order. */
export function cueTokens(flags: number): string[] {
  const ask = (flags & CUE_ASK) !== 0;
  const novel = (flags & CUE_NOVEL) !== 0;
  const out: string[] = [];
  if (ask) out.push('qqask');
  if (novel) out.push('qqnovel');
  if (flags & CUE_FRESH) out.push('qqfresh');
  if (ask && novel) out.push('qqnovelask');
  if (flags & CUE_REPLY) out.push('qqreplyref');
  if (ask && flags & CUE_TASK) out.push(...(novel ? ['qqtaskask', 'qqtasknovelask'] : ['qqtaskask']));
  return out;
}
