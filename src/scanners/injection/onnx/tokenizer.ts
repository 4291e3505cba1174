/**
 * A minimal reader of Hugging Face `tokenizer.json` files for sequence classifiers: the WordPiece
 * (BERT) and Unigram (SentencePiece: DeBERTa-v2/v3, Prompt Guard) models with the normalizers,
 * pre-tokenizers and post-processors those exports use. Anything else is refused with the field
 * named. Added/special tokens are never matched in input text: an attacker typing `[SEP]` gets
 * ordinary pieces, not a control token. Work is linear in the input and stops at `maxTokens`.
 */
import { readFileSync } from 'node:fs';
import RE2 from 're2';

/** One tokenised text: piece ids without special tokens, cut at the requested limit. */
export interface Encoding {
  ids: number[];
  /** True when the text had more tokens than were kept. */
  truncated: boolean;
}

export interface Tokenizer {
  /** Ids of `text` (no special tokens), at most `maxTokens` of them. */
  encode(text: string, maxTokens: number): Encoding;
  /** Wraps one chunk of ids with the model's special tokens ([CLS] ... [SEP]). */
  wrap(ids: readonly number[]): number[];
  /** How many special tokens `wrap` adds. */
  readonly specialCount: number;
  readonly kind: 'WordPiece' | 'Unigram';
}

type Json = Record<string, unknown>;

class TokenizerError extends Error {
  constructor(field: string, message: string) {
    super(`tokenizer.json ${field}: ${message}`);
    this.name = 'TokenizerError';
  }
}

function object(value: unknown, field: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TokenizerError(field, 'expected an object');
  return value as Json;
}

function isChineseChar(code: number): boolean {
  return (code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf) || (code >= 0x20000 && code <= 0x2a6df) || (code >= 0x2a700 && code <= 0x2ceaf) || (code >= 0xf900 && code <= 0xfaff) || (code >= 0x2f800 && code <= 0x2fa1f);
}

const COMBINING = /\p{Mn}/gu;
const CONTROL = /[\p{Cc}\p{Cf}]/u;
/** BERT's punctuation: every ASCII non-alphanumeric printable character, and Unicode P* categories. */
const PUNCTUATION = /[!-/:-@[-`{-~\p{P}]/u;
const WHITESPACE = /\s/u;

function stripAccents(text: string): string {
  return text.normalize('NFD').replace(COMBINING, '');
}

type Normalizer = (text: string) => string;

function normalizerOf(spec: unknown, field: string): Normalizer {
  if (spec === null || spec === undefined) return (text) => text;
  const node = object(spec, field);
  switch (node.type) {
    case 'BertNormalizer': {
      const lowercase = node.lowercase !== false;
      const strip = node.strip_accents === null || node.strip_accents === undefined ? lowercase : node.strip_accents === true;
      const clean = node.clean_text !== false;
      const chinese = node.handle_chinese_chars !== false;
      return (text) => {
        let out = '';
        for (const char of text) {
          const code = char.codePointAt(0)!;
          if (clean && (code === 0 || code === 0xfffd || (CONTROL.test(char) && char !== '\t' && char !== '\n' && char !== '\r'))) continue;
          if (clean && WHITESPACE.test(char)) out += ' ';
          else if (chinese && isChineseChar(code)) out += ` ${char} `;
          else out += char;
        }
        if (lowercase) out = out.toLowerCase();
        return strip ? stripAccents(out) : out;
      };
    }
    case 'Lowercase':
      return (text) => text.toLowerCase();
    case 'StripAccents':
      return stripAccents;
    case 'NFC':
    case 'NFD':
    case 'NFKC':
    case 'NFKD': {
      const form = node.type;
      return (text) => text.normalize(form);
    }
    // SentencePiece's precompiled character map is NFKC plus a few extras; NFKC is the documented approximation.
    case 'Precompiled':
      return (text) => text.normalize('NFKC');
    case 'Strip': {
      const left = node.strip_left !== false;
      const right = node.strip_right !== false;
      return (text) => (left && right ? text.trim() : left ? text.trimStart() : right ? text.trimEnd() : text);
    }
    case 'Replace': {
      const pattern = object(node.pattern, `${field}.pattern`);
      const content = typeof node.content === 'string' ? node.content : '';
      if (typeof pattern.String === 'string') {
        const needle = pattern.String;
        return (text) => text.split(needle).join(content);
      }
      // Regex patterns come from a file: RE2, never a backtracking engine.
      if (typeof pattern.Regex === 'string') {
        const regex = new RE2(pattern.Regex, 'gu');
        return (text) => text.replace(regex, content);
      }
      throw new TokenizerError(`${field}.pattern`, 'expected String or Regex');
    }
    case 'Sequence': {
      if (!Array.isArray(node.normalizers)) throw new TokenizerError(`${field}.normalizers`, 'expected an array');
      const steps = node.normalizers.map((step, index) => normalizerOf(step, `${field}.normalizers.${index}`));
      return (text) => steps.reduce((current, step) => step(current), text);
    }
    default:
      throw new TokenizerError(`${field}.type`, `"${String(node.type)}" is not supported (BertNormalizer, Lowercase, StripAccents, NFC, NFD, NFKC, NFKD, Precompiled, Strip, Replace, Sequence)`);
  }
}

/** Splits text into words; lazily, so a caller that has enough tokens stops reading. */
type PreTokenizer = (text: string) => Iterable<string>;

function* whitespaceSplit(text: string): Iterable<string> {
  for (const word of text.split(/\s+/u)) if (word.length > 0) yield word;
}

/** BERT: split on whitespace, and every punctuation character is a word of its own. */
function* bertSplit(text: string): Iterable<string> {
  let word = '';
  for (const char of text) {
    if (WHITESPACE.test(char)) {
      if (word) yield word;
      word = '';
    } else if (PUNCTUATION.test(char)) {
      if (word) yield word;
      word = '';
      yield char;
    } else word += char;
  }
  if (word) yield word;
}

function* wordsAndPunctuation(text: string): Iterable<string> {
  for (const match of text.matchAll(/[\p{L}\p{N}_]+|[^\p{L}\p{N}_\s]+/gu)) yield match[0];
}

function preTokenizerOf(spec: unknown, field: string): { split: PreTokenizer } {
  if (spec === null || spec === undefined) return { split: (text) => [text] };
  const node = object(spec, field);
  switch (node.type) {
    case 'BertPreTokenizer':
      return { split: bertSplit };
    case 'WhitespaceSplit':
      return { split: whitespaceSplit };
    case 'Whitespace':
      return { split: wordsAndPunctuation };
    case 'Metaspace': {
      const replacement = typeof node.replacement === 'string' ? node.replacement : '\u2581';
      const prepend = typeof node.prepend_scheme === 'string' ? node.prepend_scheme !== 'never' : node.add_prefix_space !== false;
      const split = node.split !== false;
      return {
        *split(text) {
          let replaced = text.replaceAll(' ', replacement);
          if (prepend && !replaced.startsWith(replacement)) replaced = replacement + replaced;
          if (!split) {
            yield replaced;
            return;
          }
          // Each piece starts at a replacement character (HF: split, merged with next).
          let start = 0;
          for (let at = replaced.indexOf(replacement, 1); at !== -1; at = replaced.indexOf(replacement, at + 1)) {
            yield replaced.slice(start, at);
            start = at;
          }
          if (start < replaced.length) yield replaced.slice(start);
        },
      };
    }
    case 'Sequence': {
      if (!Array.isArray(node.pretokenizers)) throw new TokenizerError(`${field}.pretokenizers`, 'expected an array');
      const steps = node.pretokenizers.map((step, index) => preTokenizerOf(step, `${field}.pretokenizers.${index}`));
      return {
        split: function* (text) {
          let words: Iterable<string> = [text];
          for (const step of steps) {
            const previous = words;
            words = (function* () {
              for (const word of previous) yield* step.split(word);
            })();
          }
          yield* words;
        },
      };
    }
    default:
      throw new TokenizerError(`${field}.type`, `"${String(node.type)}" is not supported (BertPreTokenizer, Whitespace, WhitespaceSplit, Metaspace, Sequence)`);
  }
}

type WordModel = (word: string, out: number[]) => void;

function wordPiece(node: Json): WordModel {
  const vocab = new Map(Object.entries(object(node.vocab, 'model.vocab')).map(([token, id]) => [token, Number(id)]));
  const unk = vocab.get(typeof node.unk_token === 'string' ? node.unk_token : '[UNK]');
  if (unk === undefined) throw new TokenizerError('model.unk_token', 'not in the vocabulary');
  const prefix = typeof node.continuing_subword_prefix === 'string' ? node.continuing_subword_prefix : '##';
  const maxChars = typeof node.max_input_chars_per_word === 'number' ? node.max_input_chars_per_word : 100;
  let longest = 1;
  for (const token of vocab.keys()) longest = Math.max(longest, token.length);
  return (word, out) => {
    if (word.length > maxChars) {
      out.push(unk);
      return;
    }
    // Greedy longest match first, as BERT does; pieces are bounded by the longest vocabulary entry.
    const pieces: number[] = [];
    let start = 0;
    while (start < word.length) {
      let end = Math.min(word.length, start + longest);
      let found: number | undefined;
      while (end > start) {
        const piece = start > 0 ? prefix + word.slice(start, end) : word.slice(start, end);
        found = vocab.get(piece);
        if (found !== undefined) break;
        end--;
      }
      if (found === undefined) {
        out.push(unk);
        return;
      }
      pieces.push(found);
      start = end;
    }
    out.push(...pieces);
  };
}

function unigram(node: Json): WordModel {
  if (!Array.isArray(node.vocab)) throw new TokenizerError('model.vocab', 'expected [[piece, score], ...]');
  const pieces = new Map<string, { id: number; score: number }>();
  let longest = 1;
  let minScore = 0;
  node.vocab.forEach((entry, id) => {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'number') throw new TokenizerError(`model.vocab.${id}`, 'expected [piece, score]');
    pieces.set(entry[0], { id, score: entry[1] });
    longest = Math.max(longest, entry[0].length);
    minScore = Math.min(minScore, entry[1]);
  });
  const unk = typeof node.unk_id === 'number' ? node.unk_id : null;
  if (unk === null) throw new TokenizerError('model.unk_id', 'expected the id of the unknown piece');
  // SentencePiece scores an unknown character below every known piece.
  const unkScore = minScore - 10;
  return (word, out) => {
    // Viterbi over UTF-16 positions (bounded by the longest piece): best[i] = best segmentation of word[0, i).
    const n = word.length;
    const best = new Float64Array(n + 1).fill(Number.NEGATIVE_INFINITY);
    const from = new Int32Array(n + 1);
    const ids = new Int32Array(n + 1);
    best[0] = 0;
    for (let end = 1; end <= n; end++) {
      for (let start = Math.max(0, end - longest); start < end; start++) {
        if (best[start] === Number.NEGATIVE_INFINITY) continue;
        const piece = pieces.get(word.slice(start, end));
        if (piece && best[start]! + piece.score > best[end]!) {
          best[end] = best[start]! + piece.score;
          from[end] = start;
          ids[end] = piece.id;
        }
      }
      // One unknown code unit (a surrogate pair counts as one step of two) when nothing else reaches here.
      const step = end >= 2 && /[\uDC00-\uDFFF]/.test(word[end - 1]!) && /[\uD800-\uDBFF]/.test(word[end - 2]!) ? 2 : 1;
      if (best[end] === Number.NEGATIVE_INFINITY && best[end - step] !== Number.NEGATIVE_INFINITY) {
        best[end] = best[end - step]! + unkScore;
        from[end] = end - step;
        ids[end] = unk;
      }
    }
    const reversed: number[] = [];
    for (let at = n; at > 0; at = from[at]!) {
      const id = ids[at]!;
      // Consecutive unknowns fuse into one, as SentencePiece does.
      if (!(id === unk && reversed[reversed.length - 1] === unk)) reversed.push(id);
    }
    for (let i = reversed.length - 1; i >= 0; i--) out.push(reversed[i]!);
  };
}

function specialsOf(spec: unknown): { before: number[]; after: number[] } {
  if (spec === null || spec === undefined) return { before: [], after: [] };
  const node = object(spec, 'post_processor');
  const pair = (value: unknown, field: string): number => {
    if (!Array.isArray(value) || typeof value[1] !== 'number') throw new TokenizerError(`post_processor.${field}`, 'expected [token, id]');
    return value[1];
  };
  switch (node.type) {
    case 'BertProcessing':
    case 'RobertaProcessing':
      return { before: [pair(node.cls, 'cls')], after: [pair(node.sep, 'sep')] };
    case 'TemplateProcessing': {
      if (!Array.isArray(node.single)) throw new TokenizerError('post_processor.single', 'expected an array');
      const specials = object(node.special_tokens ?? {}, 'post_processor.special_tokens');
      const before: number[] = [];
      const after: number[] = [];
      let seenSequence = false;
      node.single.forEach((item, index) => {
        const entry = object(item, `post_processor.single.${index}`);
        if (entry.Sequence) {
          seenSequence = true;
          return;
        }
        const special = object(entry.SpecialToken, `post_processor.single.${index}.SpecialToken`);
        const token = object(specials[String(special.id)], `post_processor.special_tokens.${String(special.id)}`);
        if (!Array.isArray(token.ids)) throw new TokenizerError(`post_processor.special_tokens.${String(special.id)}.ids`, 'expected an array');
        (seenSequence ? after : before).push(...(token.ids as number[]));
      });
      return { before, after };
    }
    default:
      throw new TokenizerError('post_processor.type', `"${String(node.type)}" is not supported (TemplateProcessing, BertProcessing, RobertaProcessing)`);
  }
}

/** Builds a tokenizer from parsed tokenizer.json content. */
export function tokenizerFromJson(json: unknown): Tokenizer {
  const root = object(json, '(root)');
  const model = object(root.model, 'model');
  const kind = model.type;
  if (kind !== 'WordPiece' && kind !== 'Unigram') throw new TokenizerError('model.type', `"${String(kind)}" is not supported (WordPiece, Unigram)`);
  if (kind === 'Unigram' && model.byte_fallback === true) throw new TokenizerError('model.byte_fallback', 'byte fallback is not supported');
  const normalize = normalizerOf(root.normalizer, 'normalizer');
  const pre = preTokenizerOf(root.pre_tokenizer, 'pre_tokenizer');
  const word = kind === 'WordPiece' ? wordPiece(model) : unigram(model);
  const { before, after } = specialsOf(root.post_processor);
  return {
    kind,
    specialCount: before.length + after.length,
    wrap: (ids) => [...before, ...ids, ...after],
    encode(text, maxTokens) {
      const ids: number[] = [];
      const normalized = normalize(text);
      for (const piece of pre.split(normalized)) {
        word(piece, ids);
        // Stop one word past the limit: the rest of the text is never tokenised.
        if (ids.length > maxTokens) return { ids: ids.slice(0, maxTokens), truncated: true };
      }
      return { ids, truncated: false };
    },
  };
}

/** Reads `<dir>/tokenizer.json`; errors name the file and the field. */
export function loadTokenizer(path: string): Tokenizer {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return tokenizerFromJson(json);
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
}
