/**
 * Test support: writes a tiny ONNX classifier (hand-encoded protobuf, no model download) and a
 * matching WordPiece tokenizer.json. Graph: input_ids -> Gather(embedding) -> ReduceMean over the
 * sequence -> MatMul(head) -> logits [batch, 2]. Embedding rows say which words are "attack"
 * words, so the expected probability of any text can be computed by hand.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Minimal protobuf writer: varints and length-delimited fields are all an ONNX ModelProto needs here.
function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}
const field = (number: number, wire: number): number[] => varint((number << 3) | wire);
const int = (number: number, value: number): number[] => [...field(number, 0), ...varint(value)];
const bytes = (number: number, value: Uint8Array | number[]): number[] => [...field(number, 2), ...varint(value.length), ...value];
const text = (number: number, value: string): number[] => bytes(number, [...Buffer.from(value, 'utf8')]);
const message = (number: number, parts: number[][]): number[] => bytes(number, parts.flat());

const FLOAT = 1;
const INT64 = 7;

function tensor(name: string, dims: number[], values: number[]): number[] {
  const raw = Buffer.alloc(values.length * 4);
  values.forEach((value, index) => raw.writeFloatLE(value, index * 4));
  return [...dims.flatMap((dim) => int(1, dim)), ...int(2, FLOAT), ...text(8, name), ...bytes(9, raw)];
}

function valueInfo(name: string, elemType: number, dims: (number | string)[]): number[] {
  const shape = dims.map((dim) => message(1, [typeof dim === 'number' ? int(1, dim) : text(2, dim)]));
  const tensorType = [...int(1, elemType), ...message(2, shape)];
  return [...text(1, name), ...message(2, [message(1, [tensorType])])];
}

function node(op: string, inputs: string[], outputs: string[], attributes: number[][] = []): number[] {
  return [...inputs.flatMap((input) => text(1, input)), ...outputs.flatMap((output) => text(2, output)), ...text(3, `${op.toLowerCase()}0`), ...text(4, op), ...attributes.flatMap((attribute) => message(5, [attribute]))];
}

const intAttribute = (name: string, value: number): number[] => [...text(1, name), ...int(3, value), ...int(20, 2)];
const intsAttribute = (name: string, values: number[]): number[] => [...text(1, name), ...values.flatMap((value) => int(8, value)), ...int(20, 7)];

/** The WordPiece vocabulary of the tiny model, and which ids are attack words. */
export const TINY_VOCAB: Record<string, number> = { '[PAD]': 0, '[UNK]': 1, '[CLS]': 2, '[SEP]': 3, ignore: 4, previous: 5, instructions: 6, hello: 7, world: 8, the: 9, rules: 10, ignor: 11, '##ing': 12 };
const ATTACK = new Set(['ignore', 'previous', 'instructions', 'rules', 'ignor', '##ing']);
const BENIGN = new Set(['hello', 'world', 'the']);
/** Logit scale of the head: logits = SCALE * mean(embedding rows). */
export const TINY_SCALE = 4;

/** Embedding row of a token id: [benign, attack]. */
export function tinyRow(id: number): [number, number] {
  const token = Object.keys(TINY_VOCAB).find((key) => TINY_VOCAB[key] === id)!;
  return [BENIGN.has(token) ? 1 : 0, ATTACK.has(token) ? 1 : 0];
}

/** The model's injection probability for a wrapped id sequence, computed by hand. */
export function tinyProbability(ids: readonly number[]): number {
  let benign = 0;
  let attack = 0;
  for (const id of ids) {
    const row = tinyRow(id);
    benign += row[0] / ids.length;
    attack += row[1] / ids.length;
  }
  return 1 / (1 + Math.exp(-(TINY_SCALE * attack - TINY_SCALE * benign)));
}

/** The model file's bytes. `withMask` adds an (unused) attention_mask input, as HF exports have. */
export function tinyModelBytes(withMask = true): Buffer {
  const size = Object.keys(TINY_VOCAB).length;
  const embedding: number[] = [];
  for (let id = 0; id < size; id++) embedding.push(...tinyRow(id));
  const head = [TINY_SCALE, 0, 0, TINY_SCALE];
  const graph = [
    message(1, [node('Gather', ['embedding', 'input_ids'], ['embedded'], [intAttribute('axis', 0)])]),
    message(1, [node('ReduceMean', ['embedded'], ['pooled'], [intsAttribute('axes', [1]), intAttribute('keepdims', 0)])]),
    message(1, [node('MatMul', ['pooled', 'head'], ['logits'])]),
    text(2, 'tiny-injection'),
    message(5, [tensor('embedding', [size, 2], embedding)]),
    message(5, [tensor('head', [2, 2], head)]),
    message(11, [valueInfo('input_ids', INT64, ['batch', 'sequence'])]),
    ...(withMask ? [message(11, [valueInfo('attention_mask', INT64, ['batch', 'sequence'])])] : []),
    message(12, [valueInfo('logits', FLOAT, ['batch', 2])]),
  ];
  const model = [int(1, 8), text(2, 'bulwark-test'), message(7, graph), message(8, [int(2, 13)])];
  return Buffer.from(model.flat());
}

/** A BERT-style tokenizer.json for the tiny vocabulary. */
export function tinyTokenizerJson(): unknown {
  return {
    version: '1.0',
    added_tokens: [],
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      special_tokens: { '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] }, '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] } },
    },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: TINY_VOCAB },
  };
}

/** Writes model.onnx and tokenizer.json into `dir`. */
export function writeTinyModel(dir: string, options: { model?: Buffer; tokenizer?: unknown } = {}): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.onnx'), options.model ?? tinyModelBytes());
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(options.tokenizer ?? tinyTokenizerJson()));
  return dir;
}
