import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countChars, FACT_DIGIT, stats, textFacts } from './char-stats.ts';
import { gazetteerBit } from './gazetteer.ts';
import { setWasm, tagTokensFast } from './infer.ts';
import { tokenizeInto, tokensFor } from './tag-text.ts';
import { defaultTaggerModel, type TaggerModel } from './tagger.ts';
import { F_CAP, Tokens, tokenize } from './tokens.ts';
import { sleb, uleb } from './wasm-asm.ts';
import { WasmTokens } from './wasm-tagger.ts';

/** Deterministic pseudo-random numbers in [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

const PIECES = [
  'Maria', 'Gonzalez', 'JOHN', 'smith', 'Main', 'Street', 'St.', 'Apt', '742', '2519', '555-0134', '4111 1111 1111 1111', 'x1y2', 'A1B2',
  'said', 'say', 'Note', 'The', 'Please', 'in', 'at', 'from', 'Mr.', 'U.N.', 'Monday', 'American', 'age', '44', 'years', 'old',
  'Ōkubo', 'Šťastná', 'São', 'Paulo', 'ÉCOLE', 'straße', 'Ærø', 'ǅemal', 'ɐ', 'Москва', '東京', '😀',
  ',', '.', ':', '!', '?', '-', '(', ')', '+', '@', '#', '"', '\u00a0', '\t', '\n', '\r\n', '\u200b', '\u3000', ' ', '  ',
];

function texts(count: number, seed: number): string[] {
  const rand = random(seed);
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    let text = '';
    const length = Math.floor(rand() * 40);
    for (let j = 0; j < length; j++) text += PIECES[Math.floor(rand() * PIECES.length)]! + (rand() < 0.6 ? ' ' : '');
    out.push(text);
  }
  return out;
}

const FIELDS = ['start', 'end', 'kind', 'flags', 'hash', 'shape', 'suffix'] as const;

function tokenArrays(t: Tokens): Record<string, number[]> {
  return Object.fromEntries(FIELDS.map((f) => [f, Array.from(t[f].subarray(0, t.count))]));
}

const model = defaultTaggerModel();
const skip = model === null ? 'no committed model' : process.env.PII_WASM === '0' ? 'PII_WASM=0' : false;

describe('pii WebAssembly tagger', () => {
  it('encodes LEB128 integers', () => {
    assert.deepEqual(uleb(0), [0]);
    assert.deepEqual(uleb(624485), [0xe5, 0x8e, 0x26]);
    assert.deepEqual(sleb(-123456), [0xc0, 0xbb, 0x78]);
    assert.deepEqual(sleb(0x9e3779b1), sleb(0x9e3779b1 | 0));
    assert.deepEqual(sleb(63), [63]);
    assert.deepEqual(sleb(64), [0xc0, 0]);
  });

  it('is in use for the committed model', { skip }, () => {
    assert.ok(tokensFor(model) instanceof WasmTokens, 'WebAssembly with SIMD is expected on Node 20');
  });

  it('tokenizes as tokens.ts (units from U+0250 up classed through its import)', { skip }, () => {
    const kernel = tokensFor(model) as WasmTokens;
    const plain = new Tokens();
    const odd = '\u0250\u1e9e\u2000\u200a\u2028\u3000\ud800\udfff\ufeff\u0391\u03b1\u05d0\u0663\u2167\u0301';
    for (const text of [...texts(3000, 7), '', ' ', '\n\n', 'a', '1', '.', 'A'.repeat(50), '9'.repeat(30), 'Xx1'.repeat(12), odd, `a${odd}b c${odd}`, odd.toUpperCase()]) {
      tokenize(text, plain);
      assert.ok(kernel.tokenizeKernel(text));
      assert.deepEqual(tokenArrays(kernel), tokenArrays(plain), JSON.stringify(text));
    }
  });

  it('counts characters as char-stats.ts', { skip }, () => {
    const kernel = tokensFor(model) as WasmTokens;
    const rand = random(5);
    const digitPieces = ['123-45-6789', '4111 1111 1111 1111', 'DE123456789', 'GB82 WEST 1234 5698 7654 32', 'AB 12 34 56 C', 'ABCDE1234F', '192.168.0.1', '12/31/1999', '2024-01-05', 'Jan 5, 2020', '+1 (212) 555-0134 x12', 'zip 12345', 'passport X1234567', 'Mar', 'plz', 'IT', 'ab12', 'x9', '1', '22', '::1'];
    const inputs = [...texts(1500, 13), '', '1', 'ab1', 'ABCDE1', '9'.repeat(40)];
    for (let k = 0; k < 1500; k++) {
      let text = '';
      for (let j = Math.floor(rand() * 12); j > 0; j--) {
        const from = rand() < 0.5 ? digitPieces : PIECES;
        text += from[Math.floor(rand() * from.length)]! + (rand() < 0.3 ? '' : ' ');
      }
      inputs.push(text, text.toLowerCase());
    }
    for (const text of inputs) {
      countChars(text);
      const expected = { ...stats };
      assert.ok(kernel.loadText(text));
      kernel.countChars(text);
      assert.deepEqual({ ...stats }, expected, JSON.stringify(text));
    }
  });

  it('tags as the JavaScript loop, from its own tokens or copied ones', { skip }, () => {
    setWasm(false);
    const jsModel: TaggerModel = { ...model! };
    const plain = new Tokens();
    tagTokensFast(jsModel, plain, new Uint8Array(1), new Float32Array(1));
    setWasm(true);
    const kernel = tokensFor(model);
    for (const text of texts(1500, 11)) {
      tokenize(text, plain);
      const n = plain.count;
      const js = { labels: new Uint8Array(n), margins: new Float32Array(n) };
      const wasm = { labels: new Uint8Array(n), margins: new Float32Array(n) };
      const jsGaz = Array.from(tagTokensFast(jsModel, plain, js.labels, js.margins).gaz.subarray(0, n));
      const copiedGaz = Array.from(tagTokensFast(model!, plain, wasm.labels, wasm.margins).gaz.subarray(0, n));
      assert.deepEqual(wasm.labels, js.labels, text);
      assert.deepEqual(wasm.margins, js.margins, text);
      assert.deepEqual(copiedGaz, jsGaz);
      tokenizeInto(text, kernel);
      wasm.labels.fill(0);
      tagTokensFast(model!, kernel, wasm.labels, wasm.margins);
      assert.deepEqual(wasm.labels, js.labels, text);
    }
  });

  it('prepares a text in one call as the separate steps do (tokens, labels, counts, facts, given names)', { skip }, () => {
    setWasm(false);
    const jsModel: TaggerModel = { ...model! };
    const plain = new Tokens();
    tagTokensFast(jsModel, plain, new Uint8Array(1), new Float32Array(1));
    setWasm(true);
    const kernel = tokensFor({ ...model! }) as WasmTokens;
    const given = gazetteerBit('givenName');
    const rand = random(17);
    const pieces = ['@', 'a@b.co', '://', 'http://x.io', ':/', ':', '/', 'www.', 'WWW.', 'ww.', 'xwww.', 'www', '.', '3', '٣', '42', 'Maria', 'John', 'Anna', 'Smith'];
    const inputs = [...texts(1000, 23), '', '@', '://', 'www.', 'a:', ':/', 'w.', '9', '٣'];
    for (let k = 0; k < 1000; k++) {
      let text = '';
      for (let j = Math.floor(rand() * 10); j > 0; j--) text += (rand() < 0.5 ? pieces : PIECES)[Math.floor(rand() * (rand() < 0.5 ? pieces.length : PIECES.length))]! + (rand() < 0.5 ? ' ' : '');
      inputs.push(text);
    }
    for (const text of inputs) {
      assert.ok(kernel.prepare(text));
      tokenize(text, plain);
      assert.deepEqual(tokenArrays(kernel), tokenArrays(plain), JSON.stringify(text));
      const facts = kernel.tagger.facts();
      assert.equal(facts, textFacts(text), JSON.stringify(text));
      const n = plain.count;
      const js = { labels: new Uint8Array(n), margins: new Float32Array(n) };
      const gaz = tagTokensFast(jsModel, plain, js.labels, js.margins).gaz;
      const result = kernel.tagged();
      assert.deepEqual(Array.from(result.labels.subarray(0, n)), Array.from(js.labels), text);
      assert.deepEqual(Array.from(result.margins.subarray(0, n)), Array.from(js.margins), text);
      let givens = 0;
      for (let i = 0; i < n; i++) if (plain.flags[i]! & F_CAP && gaz[i]! & given) givens++;
      assert.equal(kernel.tagger.givens(), givens, text);
      if (facts & FACT_DIGIT) {
        countChars(text);
        const expected = { ...stats };
        kernel.tagger.readCounts();
        assert.deepEqual({ ...stats }, expected, JSON.stringify(text));
      }
    }
  });

  it('tokenizes punctuation-dense texts (more tokens than a quarter of the units)', { skip }, () => {
    const kernel = tokensFor({ ...model! }) as WasmTokens;
    const plain = new Tokens();
    for (const text of ['.,;'.repeat(3000), 'a.b,'.repeat(2500), '1-2-3 '.repeat(1500), 'x '.repeat(5000)]) {
      tokenize(text, plain);
      assert.ok(kernel.tokenizeKernel(text));
      assert.deepEqual(tokenArrays(kernel), tokenArrays(plain));
      countChars(text);
      const expected = { ...stats };
      kernel.countChars(text);
      assert.deepEqual({ ...stats }, expected);
    }
  });

  it('grows its arrays for long texts, keeping what was tokenized', { skip }, () => {
    const long = texts(400, 3).join('\n');
    const ascii = long.replace(/[^\x00-\x7f]/g, 'e');
    setWasm(false);
    const jsModel: TaggerModel = { ...model! };
    const plain = new Tokens();
    tagTokensFast(jsModel, plain, new Uint8Array(1), new Float32Array(1));
    setWasm(true);
    for (const [text, viaKernel] of [[long, false], [ascii, true]] as const) {
      // A fresh kernel (1,024 tokens): tokens.ts grows it token by token, the kernel tokenizer to the text's length.
      const fresh: TaggerModel = { ...model! };
      const kernel = tokensFor(fresh) as WasmTokens;
      tokenize(text, plain);
      const n = plain.count;
      assert.ok(n > 4096);
      if (viaKernel) assert.ok(kernel.tokenizeKernel(text));
      else tokenize(text, kernel);
      assert.deepEqual(tokenArrays(kernel), tokenArrays(plain));
      const js = { labels: new Uint8Array(n), margins: new Float32Array(n) };
      const wasm = { labels: new Uint8Array(n), margins: new Float32Array(n) };
      tagTokensFast(jsModel, plain, js.labels, js.margins);
      tagTokensFast(fresh, kernel, wasm.labels, wasm.margins);
      assert.deepEqual(wasm.labels, js.labels);
      assert.deepEqual(wasm.margins, js.margins);
    }
  });
});
