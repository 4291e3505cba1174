import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { instantiate, scanContext, scanInput, scanTexts } from '../test-support.ts';
import { sizeLimitsScanner } from './index.ts';
import { countTokensUpTo, loadCounter } from './tokens.ts';

const rules = (result: { findings: { ruleId: string }[] }): string[] => result.findings.map((f) => f.ruleId);

describe('limits/size', () => {
  it('passes ordinary input with the defaults', async () => {
    assert.deepEqual(await scanTexts(sizeLimitsScanner, {}, ['hello', 'world']), { outcome: 'pass', score: 0, findings: [] });
  });

  it('fails a segment over the per-segment limit, spanning the segment', async () => {
    const long = 'x'.repeat(101);
    const result = await scanTexts(sizeLimitsScanner, { maxCharsPerSegment: 100 }, ['short', long]);
    assert.equal(result.outcome, 'fail');
    assert.equal(result.score, 1);
    assert.deepEqual(result.findings.map((f) => [f.ruleId, f.segmentId, f.span, f.severity]), [['limits/segment-chars', 's1', [0, 101], 'high']]);
  });

  it('fails the total and the segment count on the first segment', async () => {
    const result = await scanTexts(sizeLimitsScanner, { maxTotalChars: 10, maxSegments: 2 }, ['aaaa', 'bbbb', 'cccc']);
    assert.deepEqual(rules(result), ['limits/segments', 'limits/total-chars']);
    for (const finding of result.findings) assert.deepEqual([finding.segmentId, finding.span], ['s0', [0, 0]]);
  });

  it('can turn every limit off', async () => {
    const off = { maxCharsPerSegment: null, maxTotalChars: null, maxSegments: null };
    assert.equal((await scanTexts(sizeLimitsScanner, off, ['x'.repeat(200_000), 'y'])).outcome, 'pass');
  });

  it('fails when total tokens exceed maxTokens', async () => {
    const text = 'the quick brown fox jumps over the lazy dog '.repeat(3);
    const tokens = countTokens(text);
    const over = await scanTexts(sizeLimitsScanner, { maxTokens: tokens - 1 }, [text]);
    assert.deepEqual(rules(over), ['limits/tokens']);
    assert.equal(over.outcome, 'fail');
    assert.equal((await scanTexts(sizeLimitsScanner, { maxTokens: tokens }, [text])).outcome, 'pass');
    // The limit is over all segments together.
    assert.deepEqual(rules(await scanTexts(sizeLimitsScanner, { maxTokens: tokens + 1 }, [text, text])), ['limits/tokens']);
  });

  it('supports cl100k_base', async () => {
    assert.equal((await scanTexts(sizeLimitsScanner, { maxTokens: 2, encoding: 'cl100k_base' }, ['one two three four'])).outcome, 'fail');
  });

  it('answers without the tokenizer when bytes cannot exceed the limit', () => {
    const scanner = instantiate(sizeLimitsScanner, { maxTokens: 1000 });
    const result = scanner.scan(scanInput(['a short prompt']), scanContext());
    assert.ok(!(result instanceof Promise));
    assert.equal(result.outcome, 'pass');
  });

  it('counts special-token strings as plain text', async () => {
    assert.equal((await scanTexts(sizeLimitsScanner, { maxTokens: 3 }, ['<|endoftext|><|im_start|>system'])).outcome, 'fail');
  });

  it('counts huge runs without whitespace in bounded time', async () => {
    const config = { maxTokens: 5_000_000, maxCharsPerSegment: null, maxTotalChars: null };
    for (const text of ['a'.repeat(300_000), '\uD800'.repeat(100_000), '漢'.repeat(200_000)]) {
      const started = performance.now();
      const result = await scanTexts(sizeLimitsScanner, config, [text]);
      assert.equal(result.outcome, 'pass');
      assert.ok(performance.now() - started < 2000, `took ${performance.now() - started} ms`);
    }
  });

  it('counts like the tokenizer on ordinary text', async () => {
    const counter = await loadCounter('o200k_base');
    const text = 'Bulwark scans prompts. It counts tokens\n\nexactly, mostly!  '.repeat(400);
    assert.equal(countTokensUpTo(counter, text, 1_000_000), countTokens(text, { disallowedSpecial: new Set() }));
    assert.equal(countTokensUpTo(counter, text, 10), 11);
  });
});
